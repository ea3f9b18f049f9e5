using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using TrialFinder.Data.Search;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Search;

/// <summary>
/// The search filters exactly as they arrive in the query string (same names on /trials and
/// /api/trials, see DESIGN.md). Kept as text so that bad input gets a clear message, not a binding error.
/// </summary>
public sealed class SearchParameters
{
    public const int MaxPageSize = SearchFilterParser.MaxPageSize;

    private string[] _therapy = [];
    private string[] _status = [];
    private string[] _phase = [];

    [FromQuery(Name = "age")] public string? Age { get; set; }
    [FromQuery(Name = "ageMonths")] public string? AgeMonths { get; set; }
    [FromQuery(Name = "near")] public string? Near { get; set; }
    [FromQuery(Name = "lat")] public string? Latitude { get; set; }
    [FromQuery(Name = "lon")] public string? Longitude { get; set; }
    [FromQuery(Name = "radiusKm")] public string? RadiusKm { get; set; }

    /// <summary>The form's radius box, read with <see cref="Unit"/> (km or mi) when radiusKm is absent.</summary>
    [FromQuery(Name = "radius")] public string? Radius { get; set; }

    [FromQuery(Name = "unit")] public string? Unit { get; set; }
    [FromQuery(Name = "therapy")] public string[] Therapy { get => _therapy; set => _therapy = Filled(value); }
    [FromQuery(Name = "disease")] public string? Disease { get; set; }
    [FromQuery(Name = "refractory")] public string? Refractory { get; set; }
    [FromQuery(Name = "status")] public string[] Status { get => _status; set => _status = Filled(value); }
    [FromQuery(Name = "phase")] public string[] Phase { get => _phase; set => _phase = Filled(value); }
    [FromQuery(Name = "country")] public string? Country { get; set; }
    [FromQuery(Name = "q")] public string? Text { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
    [FromQuery(Name = "page")] public string? Page { get; set; }
    [FromQuery(Name = "pageSize")] public string? PageSize { get; set; }

    public bool IsEmpty =>
        new[] { Age, AgeMonths, Near, Latitude, Longitude, Disease, Refractory, Country, Text }.All(string.IsNullOrWhiteSpace)
        && Therapy.Length == 0 && Phase.Length == 0;

    public static IReadOnlySet<string> TherapySlugs => SearchFilterParser.TherapySlugs;

    /// <summary>Checks every filter; returns the criteria (without the place, resolved later) or the messages by field.</summary>
    public (StudySearchCriteria Criteria, Dictionary<string, string[]> Errors) Validate(IStringLocalizer<SiteText> text)
    {
        var (criteria, errors) = SearchFilterParser.Parse(ToInput());
        return (criteria, errors
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => new[] { text[g.Last().MessageKey, g.Last().Arguments].Value }));
    }

    public SearchFilterInput ToInput() => new()
    {
        Age = Age, AgeMonths = AgeMonths, Near = Near, Latitude = Latitude, Longitude = Longitude, RadiusKm = RadiusKm, Radius = Radius,
        Unit = Unit, Therapy = Therapy, Disease = Disease, Refractory = Refractory, Status = Status, Phase = Phase, Country = Country,
        Text = Text, Sort = Sort, Page = Page, PageSize = PageSize,
    };

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

    /// <summary>
    /// A blank repeated value (<c>status=</c>, <c>therapy=+</c>) binds as null; it means "no choice", so it is
    /// dropped here rather than in every reader.
    /// </summary>
    private static string[] Filled(string?[]? values) =>
        values is null ? [] : values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToArray();
}
