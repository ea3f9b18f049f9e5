using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using TrialFinder.Core.Geo;
using TrialFinder.Core.Studies;
using TrialFinder.Data.Search;

namespace TrialFinder.Sync.Notifications;

/// <summary>
/// Rebuilds the search criteria of a saved search from its stored query string, for the digest (here)
/// and the feed (in Web). The web site validates a search with its own filter rules before saving it
/// and stores the place as <c>lat</c>/<c>lon</c>, so a stored query string needs no place look-up and
/// any value that does not parse is simply left out rather than reported.
/// </summary>
public static class SavedSearchCriteria
{
    /// <summary>More than any realistic catalogue match count: alerts look at every match, not one page.</summary>
    public const int MaxMatches = 2000;

    public static StudySearchCriteria Parse(string queryString)
    {
        var query = QueryHelpers.ParseQuery(queryString.StartsWith('?') ? queryString : "?" + queryString);
        string? One(string name) => query.TryGetValue(name, out var values) && !StringValues.IsNullOrEmpty(values)
            ? values.ToString().Trim() is { Length: > 0 } value ? value : null
            : null;
        IReadOnlyList<string> Many(string name, Func<string, string> normalize, Func<string, bool> known) =>
            query.TryGetValue(name, out var values)
                ? values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => normalize(v!.Trim())).Where(known).Distinct().ToList()
                : [];

        decimal? age = null;
        if (Decimal(One("age")) is { } years and >= 0 and <= 120)
        {
            age = years;
        }
        else if (One("ageMonths") is { } monthsText
                 && int.TryParse(monthsText, NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months <= 1440)
        {
            age = Math.Round(months / 12m, 4);
        }

        GeoPoint? near = null;
        if (Double(One("lat")) is { } lat && Double(One("lon")) is { } lon && GeoDistance.IsValid(lat, lon))
        {
            near = new GeoPoint(lat, lon);
        }

        var radiusKm = 100.0;
        if (Double(One("radiusKm")) is { } km and >= 1 and <= 20000)
        {
            radiusKm = km;
        }
        else if (Double(One("radius")) is { } radius)
        {
            var perUnit = One("unit")?.ToLowerInvariant() == "mi" ? GeoDistance.KmPerMile : 1.0;
            if (radius * perUnit is >= 1 and <= 20000)
            {
                radiusKm = radius * perUnit;
            }
        }

        var statuses = Many("status", s => s.ToUpperInvariant(), RegistryStatuses.All.Contains);
        return new StudySearchCriteria
        {
            AgeYears = age,
            Near = near,
            RadiusKm = radiusKm,
            Therapies = Many("therapy", s => s.ToLowerInvariant(), _ => true),
            Disease = One("disease")?.ToLowerInvariant(),
            TakesRefractory = One("refractory") is { } refractory && bool.TryParse(refractory, out var takes) && takes ? true : null,
            Statuses = statuses.Count > 0 ? statuses : RegistryStatuses.OpenByDefault,
            Phases = Many("phase", s => s.ToUpperInvariant(), RegistryStatuses.Phases.Contains),
            Country = One("country"),
            Text = One("q"),
            Sort = StudySort.Updated,
            Page = 1,
            PageSize = MaxMatches,
        };
    }

    private static decimal? Decimal(string? text) =>
        text is not null && decimal.TryParse(text.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static double? Double(string? text) =>
        text is not null
        && double.TryParse(text.Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value)
            ? value
            : null;
}
