using System.Globalization;
using System.Text.Json.Nodes;
using TrialFinder.Core.Geo;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>Facts read straight from a registry record, to compute what a search must return independently of the product.</summary>
public sealed record RecordFacts(string NctId, string Status, decimal? MinimumYears, decimal? MaximumYears, IReadOnlyList<string> Phases, IReadOnlyList<(double Lat, double Lon, string? Status, string? Country)> Sites)
{
    public static RecordFacts From(JsonObject record)
    {
        var protocol = record["protocolSection"]!;
        var eligibility = protocol["eligibilityModule"];
        var sites = (protocol["contactsLocationsModule"]?["locations"]?.AsArray() ?? [])
            .Where(l => l!["geoPoint"] is not null)
            .Select(l => (l!["geoPoint"]!["lat"]!.GetValue<double>(), l["geoPoint"]!["lon"]!.GetValue<double>(),
                l["status"]?.GetValue<string>(), l["country"]?.GetValue<string>()))
            .ToList();
        return new RecordFacts(
            protocol["identificationModule"]!["nctId"]!.GetValue<string>(),
            protocol["statusModule"]!["overallStatus"]!.GetValue<string>(),
            Years(eligibility?["minimumAge"]?.GetValue<string>()),
            Years(eligibility?["maximumAge"]?.GetValue<string>()),
            (protocol["designModule"]?["phases"]?.AsArray() ?? []).Select(p => p!.GetValue<string>()).ToList(),
            sites);
    }

    public bool IsOpen => Status is "RECRUITING" or "NOT_YET_RECRUITING";

    public bool FitsAge(decimal years) => (MinimumYears is null || MinimumYears <= years) && (MaximumYears is null || years <= MaximumYears);

    /// <summary>
    /// The nearest site within the radius that a place search uses, by haversine: any site, except one whose
    /// own status says it is closed while the study is open (README, "The site").
    /// </summary>
    public double? NearestCountingSiteKm(double lat, double lon, double radiusKm) =>
        Sites.Where(s => !(Status is "RECRUITING" or "NOT_YET_RECRUITING" or "ENROLLING_BY_INVITATION" or "AVAILABLE"
                && s.Status is "ACTIVE_NOT_RECRUITING" or "COMPLETED" or "SUSPENDED" or "TERMINATED" or "WITHDRAWN"
                    or "NO_LONGER_AVAILABLE" or "TEMPORARILY_NOT_AVAILABLE" or "WITHHELD"))
            .Select(s => GeoDistance.HaversineKm(lat, lon, s.Lat, s.Lon))
            .Where(km => km <= radiusKm)
            .Select(km => (double?)km)
            .Min();

    private static decimal? Years(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(' ');
        var n = decimal.Parse(parts[0], CultureInfo.InvariantCulture);
        return parts[1].TrimEnd('s') switch
        {
            "Year" => n,
            "Month" => Math.Round(n / 12m, 4),
            "Week" => Math.Round(n * 7m / 365.25m, 4),
            "Day" => Math.Round(n / 365.25m, 4),
            var unit => throw new InvalidDataException($"unexpected age unit {unit}"),
        };
    }
}
