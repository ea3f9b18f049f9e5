using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Studies;
using TrialFinder.Data.Search;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Search;

/// <summary>
/// The search filters exactly as they arrive in the query string (same names on /trials and
/// /api/trials, see DESIGN.md). Kept as text so that bad input gets a clear message, not a binding error.
/// </summary>
public sealed class SearchParameters
{
    public const int MaxPageSize = 100;
    public const double DefaultRadiusKm = 100;

    [FromQuery(Name = "age")] public string? Age { get; set; }
    [FromQuery(Name = "ageMonths")] public string? AgeMonths { get; set; }
    [FromQuery(Name = "near")] public string? Near { get; set; }
    [FromQuery(Name = "lat")] public string? Latitude { get; set; }
    [FromQuery(Name = "lon")] public string? Longitude { get; set; }
    [FromQuery(Name = "radiusKm")] public string? RadiusKm { get; set; }

    /// <summary>The form's radius box, read with <see cref="Unit"/> (km or mi) when radiusKm is absent.</summary>
    [FromQuery(Name = "radius")] public string? Radius { get; set; }

    [FromQuery(Name = "unit")] public string? Unit { get; set; }
    [FromQuery(Name = "therapy")] public string[] Therapy { get; set; } = [];
    [FromQuery(Name = "disease")] public string? Disease { get; set; }
    [FromQuery(Name = "refractory")] public string? Refractory { get; set; }
    [FromQuery(Name = "status")] public string[] Status { get; set; } = [];
    [FromQuery(Name = "phase")] public string[] Phase { get; set; } = [];
    [FromQuery(Name = "country")] public string? Country { get; set; }
    [FromQuery(Name = "q")] public string? Text { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
    [FromQuery(Name = "page")] public string? Page { get; set; }
    [FromQuery(Name = "pageSize")] public string? PageSize { get; set; }

    public bool IsEmpty =>
        new[] { Age, AgeMonths, Near, Latitude, Longitude, Disease, Refractory, Country, Text }.All(string.IsNullOrWhiteSpace)
        && Therapy.Length == 0 && Phase.Length == 0;

    public static IReadOnlySet<string> DiseaseSlugs { get; } =
        Vocabulary.Default.Diseases.Select(d => d.Slug).Concat(Vocabulary.Default.NetSubtypes.Select(s => s.Slug)).ToHashSet();

    public static IReadOnlySet<string> TherapySlugs { get; } = Vocabulary.Default.Therapies.Select(t => t.Slug).ToHashSet();

    /// <summary>Checks every filter; returns the criteria (without the place, resolved later) or the errors by field.</summary>
    public (StudySearchCriteria Criteria, Dictionary<string, string[]> Errors) Validate(IStringLocalizer<SiteText> text)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        decimal? ageYears = null;
        if (!string.IsNullOrWhiteSpace(Age) && !string.IsNullOrWhiteSpace(AgeMonths))
        {
            Error("age", text["error.age.both"]);
        }
        else if (!string.IsNullOrWhiteSpace(Age))
        {
            if (TryDecimal(Age, out var years) && years is >= 0 and <= 120)
            {
                ageYears = years;
            }
            else
            {
                Error("age", text["error.age"]);
            }
        }
        else if (!string.IsNullOrWhiteSpace(AgeMonths))
        {
            if (int.TryParse(AgeMonths.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months <= 1440)
            {
                ageYears = Math.Round(months / 12m, 4);
            }
            else
            {
                Error("ageMonths", text["error.ageMonths"]);
            }
        }

        GeoPoint? point = null;
        var hasLat = !string.IsNullOrWhiteSpace(Latitude);
        var hasLon = !string.IsNullOrWhiteSpace(Longitude);
        if (hasLat || hasLon)
        {
            if (!hasLat || !hasLon)
            {
                Error("lat", text["error.latlon.both"]);
            }
            else if (!TryDouble(Latitude!, out var lat) || lat is < -90 or > 90)
            {
                Error("lat", text["error.lat"]);
            }
            else if (!TryDouble(Longitude!, out var lon) || lon is < -180 or > 180)
            {
                Error("lon", text["error.lon"]);
            }
            else
            {
                point = new GeoPoint(lat, lon);
            }
        }

        if (Near is { Length: > 100 })
        {
            Error("near", text["error.near.length"]);
        }

        var radiusKm = DefaultRadiusKm;
        if (!string.IsNullOrWhiteSpace(RadiusKm))
        {
            if (TryDouble(RadiusKm, out var km) && km is >= 1 and <= 20000)
            {
                radiusKm = km;
            }
            else
            {
                Error("radiusKm", text["error.radius"]);
            }
        }
        else if (!string.IsNullOrWhiteSpace(Radius))
        {
            var perUnit = Unit?.Trim().ToLowerInvariant() switch
            {
                null or "" or "km" => 1.0,
                "mi" => Core.Geo.GeoDistance.KmPerMile,
                _ => double.NaN,
            };
            if (double.IsNaN(perUnit))
            {
                Error("unit", text["error.unit"]);
            }
            else if (TryDouble(Radius, out var value) && value * perUnit is >= 1 and <= 20000)
            {
                radiusKm = value * perUnit;
            }
            else
            {
                Error("radiusKm", text["error.radius"]);
            }
        }

        var therapies = Therapy.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList();
        var unknownTherapy = therapies.FirstOrDefault(t => !TherapySlugs.Contains(t));
        if (unknownTherapy is not null)
        {
            Error("therapy", text["error.therapy", Shorten(unknownTherapy)]);
        }

        string? disease = null;
        if (!string.IsNullOrWhiteSpace(Disease))
        {
            disease = Disease.Trim().ToLowerInvariant();
            if (!DiseaseSlugs.Contains(disease))
            {
                Error("disease", text["error.disease", Shorten(Disease)]);
            }
        }

        bool? refractory = null;
        if (!string.IsNullOrWhiteSpace(Refractory))
        {
            if (bool.TryParse(Refractory.Trim(), out var value))
            {
                refractory = value ? true : null;
            }
            else
            {
                Error("refractory", text["error.refractory"]);
            }
        }

        var statuses = Status.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim().ToUpperInvariant()).Distinct().ToList();
        var unknownStatus = statuses.FirstOrDefault(s => !RegistryStatuses.All.Contains(s));
        if (unknownStatus is not null)
        {
            Error("status", text["error.status", Shorten(unknownStatus)]);
        }

        var phases = Phase.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim().ToUpperInvariant()).Distinct().ToList();
        var unknownPhase = phases.FirstOrDefault(p => !RegistryStatuses.Phases.Contains(p));
        if (unknownPhase is not null)
        {
            Error("phase", text["error.phase", Shorten(unknownPhase)]);
        }

        var country = string.IsNullOrWhiteSpace(Country) ? null : Country.Trim();
        if (country is { Length: > 60 })
        {
            Error("country", text["error.country"]);
        }

        var query = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim();
        if (query is { Length: > 200 })
        {
            Error("q", text["error.q"]);
        }

        var hasPlace = point is not null || !string.IsNullOrWhiteSpace(Near);
        var sort = Sort?.Trim().ToLowerInvariant() switch
        {
            null or "" => hasPlace ? StudySort.Distance : query is not null ? StudySort.Relevance : StudySort.Updated,
            "distance" => StudySort.Distance,
            "updated" => StudySort.Updated,
            "relevance" => StudySort.Relevance,
            _ => (StudySort?)null,
        };
        if (sort is null)
        {
            Error("sort", text["error.sort"]);
        }

        var page = 1;
        if (!string.IsNullOrWhiteSpace(Page) && (!int.TryParse(Page, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > 10000))
        {
            Error("page", text["error.page"]);
            page = 1;
        }

        var pageSize = 20;
        if (!string.IsNullOrWhiteSpace(PageSize)
            && (!int.TryParse(PageSize, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            Error("pageSize", text["error.pageSize", MaxPageSize]);
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

    /// <summary>The query string for these filters with some values replaced, for links (paging, widening, choices).</summary>
    public string ToQueryString(IReadOnlyDictionary<string, string?>? replace = null, IEnumerable<string>? remove = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>
        {
            new("age", Age), new("ageMonths", AgeMonths), new("near", Near), new("lat", Latitude), new("lon", Longitude),
            new("radiusKm", RadiusKm), new("radius", Radius), new("unit", Unit), new("disease", Disease), new("refractory", Refractory),
            new("country", Country), new("q", Text), new("sort", Sort), new("page", Page), new("pageSize", PageSize),
        };
        pairs.AddRange(Therapy.Select(t => new KeyValuePair<string, string?>("therapy", t)));
        pairs.AddRange(Status.Select(s => new KeyValuePair<string, string?>("status", s)));
        pairs.AddRange(Phase.Select(p => new KeyValuePair<string, string?>("phase", p)));

        var removed = new HashSet<string>(remove ?? []);
        if (replace is not null)
        {
            removed.UnionWith(replace.Keys);
        }

        var kept = pairs.Where(p => !removed.Contains(p.Key) && !string.IsNullOrWhiteSpace(p.Value)).ToList();
        if (replace is not null)
        {
            kept.AddRange(replace.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
        }

        return Microsoft.AspNetCore.Http.QueryString.Create(kept).ToUriComponent();
    }

    private static bool TryDecimal(string value, out decimal result) =>
        decimal.TryParse(value.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out result);

    private static bool TryDouble(string value, out double result) =>
        double.TryParse(value.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result)
        && double.IsFinite(result);

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
