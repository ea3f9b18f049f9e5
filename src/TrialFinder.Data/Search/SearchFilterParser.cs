using System.Globalization;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Geo;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.Search;

/// <summary>The search filters as text, exactly as they arrive in a query string (names in DESIGN.md).</summary>
public sealed record SearchFilterInput
{
    public string? Age { get; init; }
    public string? AgeMonths { get; init; }
    public string? Near { get; init; }
    public string? Latitude { get; init; }
    public string? Longitude { get; init; }
    public string? RadiusKm { get; init; }
    public string? Radius { get; init; }
    public string? Unit { get; init; }
    public IReadOnlyList<string> Therapy { get; init; } = [];
    public string? Disease { get; init; }
    public string? Refractory { get; init; }
    public IReadOnlyList<string> Status { get; init; } = [];
    public IReadOnlyList<string> Phase { get; init; } = [];
    public string? Country { get; init; }
    public string? Text { get; init; }
    public string? Sort { get; init; }
    public string? Page { get; init; }
    public string? PageSize { get; init; }

    /// <summary>Reads the filters of a query string such as "?age=3&amp;therapy=anti-gd2".</summary>
    public static SearchFilterInput FromQueryString(string queryString)
    {
        var query = System.Web.HttpUtility.ParseQueryString(queryString.TrimStart('?'));
        string? One(string name) => query.GetValues(name)?.FirstOrDefault();
        IReadOnlyList<string> Many(string name) => query.GetValues(name) ?? [];
        return new SearchFilterInput
        {
            Age = One("age"), AgeMonths = One("ageMonths"), Near = One("near"), Latitude = One("lat"), Longitude = One("lon"),
            RadiusKm = One("radiusKm"), Radius = One("radius"), Unit = One("unit"), Therapy = Many("therapy"), Disease = One("disease"),
            Refractory = One("refractory"), Status = Many("status"), Phase = Many("phase"), Country = One("country"), Text = One("q"),
            Sort = One("sort"), Page = One("page"), PageSize = One("pageSize"),
        };
    }
}

/// <summary>A filter that cannot be used: the field, the key of its message in the site's text, and the message's arguments.</summary>
public sealed record SearchFilterError(string Field, string MessageKey, object[] Arguments);

/// <summary>
/// Checks every search filter and turns them into criteria — the one set of rules behind the pages,
/// the API, saved searches, their feeds and the digest. The place name (near) is left for the caller
/// to resolve; coordinates (lat/lon) are used as given.
/// </summary>
public static class SearchFilterParser
{
    public const int MaxPageSize = 100;
    public const double DefaultRadiusKm = 100;

    public static IReadOnlySet<string> DiseaseSlugs { get; } =
        Vocabulary.Default.Diseases.Select(d => d.Slug).Concat(Vocabulary.Default.NetSubtypes.Select(s => s.Slug)).ToHashSet();

    public static IReadOnlySet<string> TherapySlugs { get; } = Vocabulary.Default.Therapies.Select(t => t.Slug).ToHashSet();

    public static (StudySearchCriteria Criteria, IReadOnlyList<SearchFilterError> Errors) Parse(SearchFilterInput input)
    {
        var errors = new List<SearchFilterError>();
        void Error(string field, string key, params object[] arguments) => errors.Add(new SearchFilterError(field, key, arguments));

        decimal? ageYears = null;
        if (!string.IsNullOrWhiteSpace(input.Age) && !string.IsNullOrWhiteSpace(input.AgeMonths))
        {
            Error("age", "error.age.both");
        }
        else if (!string.IsNullOrWhiteSpace(input.Age))
        {
            if (TryDecimal(input.Age, out var years) && years is >= 0 and <= 120)
            {
                ageYears = years;
            }
            else
            {
                Error("age", "error.age");
            }
        }
        else if (!string.IsNullOrWhiteSpace(input.AgeMonths))
        {
            if (int.TryParse(input.AgeMonths.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months <= 1440)
            {
                ageYears = Math.Round(months / 12m, 4);
            }
            else
            {
                Error("ageMonths", "error.ageMonths");
            }
        }

        GeoPoint? point = null;
        var hasLat = !string.IsNullOrWhiteSpace(input.Latitude);
        var hasLon = !string.IsNullOrWhiteSpace(input.Longitude);
        if (hasLat || hasLon)
        {
            if (!hasLat || !hasLon)
            {
                Error("lat", "error.latlon.both");
            }
            else if (!TryDouble(input.Latitude!, out var lat) || lat is < -90 or > 90)
            {
                Error("lat", "error.lat");
            }
            else if (!TryDouble(input.Longitude!, out var lon) || lon is < -180 or > 180)
            {
                Error("lon", "error.lon");
            }
            else
            {
                point = new GeoPoint(lat, lon);
            }
        }

        if (input.Near is { Length: > 100 })
        {
            Error("near", "error.near.length");
        }

        var radiusKm = DefaultRadiusKm;
        if (!string.IsNullOrWhiteSpace(input.RadiusKm))
        {
            if (TryDouble(input.RadiusKm, out var km) && km is >= 1 and <= 20000)
            {
                radiusKm = km;
            }
            else
            {
                Error("radiusKm", "error.radius");
            }
        }
        else if (!string.IsNullOrWhiteSpace(input.Radius))
        {
            var perUnit = input.Unit?.Trim().ToLowerInvariant() switch
            {
                null or "" or "km" => 1.0,
                "mi" => GeoDistance.KmPerMile,
                _ => double.NaN,
            };
            if (double.IsNaN(perUnit))
            {
                Error("unit", "error.unit");
            }
            else if (TryDouble(input.Radius, out var value) && value * perUnit is >= 1 and <= 20000)
            {
                radiusKm = value * perUnit;
            }
            else
            {
                Error("radiusKm", "error.radius");
            }
        }

        var therapies = input.Therapy.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList();
        var unknownTherapy = therapies.FirstOrDefault(t => !TherapySlugs.Contains(t));
        if (unknownTherapy is not null)
        {
            Error("therapy", "error.therapy", Shorten(unknownTherapy));
        }

        string? disease = null;
        if (!string.IsNullOrWhiteSpace(input.Disease))
        {
            disease = input.Disease.Trim().ToLowerInvariant();
            if (!DiseaseSlugs.Contains(disease))
            {
                Error("disease", "error.disease", Shorten(input.Disease));
            }
        }

        bool? refractory = null;
        if (!string.IsNullOrWhiteSpace(input.Refractory))
        {
            if (bool.TryParse(input.Refractory.Trim(), out var value))
            {
                refractory = value ? true : null;
            }
            else
            {
                Error("refractory", "error.refractory");
            }
        }

        var statuses = input.Status.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim().ToUpperInvariant()).Distinct().ToList();
        var unknownStatus = statuses.FirstOrDefault(s => !RegistryStatuses.All.Contains(s));
        if (unknownStatus is not null)
        {
            Error("status", "error.status", Shorten(unknownStatus));
        }

        var phases = input.Phase.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim().ToUpperInvariant()).Distinct().ToList();
        var unknownPhase = phases.FirstOrDefault(p => !RegistryStatuses.Phases.Contains(p));
        if (unknownPhase is not null)
        {
            Error("phase", "error.phase", Shorten(unknownPhase));
        }

        var country = string.IsNullOrWhiteSpace(input.Country) ? null : input.Country.Trim();
        if (country is { Length: > 60 })
        {
            Error("country", "error.country");
        }

        var query = string.IsNullOrWhiteSpace(input.Text) ? null : input.Text.Trim();
        if (query is { Length: > 200 })
        {
            Error("q", "error.q");
        }

        var hasPlace = point is not null || !string.IsNullOrWhiteSpace(input.Near);
        var sort = input.Sort?.Trim().ToLowerInvariant() switch
        {
            null or "" => hasPlace ? StudySort.Distance : query is not null ? StudySort.Relevance : StudySort.Updated,
            "distance" => StudySort.Distance,
            "updated" => StudySort.Updated,
            "relevance" => StudySort.Relevance,
            _ => (StudySort?)null,
        };
        if (sort is null)
        {
            Error("sort", "error.sort");
        }

        var page = 1;
        if (!string.IsNullOrWhiteSpace(input.Page) && (!int.TryParse(input.Page, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > 10000))
        {
            Error("page", "error.page");
            page = 1;
        }

        var pageSize = 20;
        if (!string.IsNullOrWhiteSpace(input.PageSize)
            && (!int.TryParse(input.PageSize, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            Error("pageSize", "error.pageSize", MaxPageSize);
            pageSize = 20;
        }

        var criteria = new StudySearchCriteria
        {
            AgeYears = ageYears,
            Near = point,
            RadiusKm = radiusKm,
            Therapies = therapies,
            Disease = disease,
            TakesRefractory = refractory,
            Statuses = statuses.Count > 0 ? statuses : RegistryStatuses.OpenByDefault,
            Phases = phases,
            Country = country,
            Text = query,
            Sort = sort ?? StudySort.Updated,
            Page = page,
            PageSize = pageSize,
        };
        return (criteria, errors);
    }

    private static bool TryDecimal(string value, out decimal result) =>
        decimal.TryParse(value.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out result);

    private static bool TryDouble(string value, out double result) =>
        double.TryParse(value.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result)
        && double.IsFinite(result);

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
