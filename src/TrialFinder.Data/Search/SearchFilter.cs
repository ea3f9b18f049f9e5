using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Geo;
using TrialFinder.Core.PreScreening;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.Search;

/// <summary>
/// The search filters exactly as they arrive in a query string — the one home of their names, defaults and
/// rules, shared by the pages, the API, saved searches, their feeds and the digest. Kept as text so that bad
/// input gets a clear message, not a binding error. The place name (near) is left to the caller to resolve;
/// coordinates (lat/lon) are used as given.
/// </summary>
public sealed record SearchFilter
{
    /// <summary>The query-string names, the same on /trials, /api/trials and in stored saved searches.</summary>
    public static class Names
    {
        public const string Age = "age";
        public const string AgeMonths = "ageMonths";
        public const string Near = "near";
        public const string Latitude = "lat";
        public const string Longitude = "lon";
        public const string RadiusKm = "radiusKm";
        public const string Radius = "radius";
        public const string Unit = "unit";
        public const string Therapy = "therapy";
        public const string Disease = "disease";
        public const string Refractory = "refractory";
        public const string Status = "status";
        public const string Phase = "phase";
        public const string Country = "country";
        public const string Text = "q";
        public const string Sort = "sort";
        public const string Page = "page";
        public const string PageSize = "pageSize";

        /// <summary>The names that take several values (<c>therapy=a&amp;therapy=b</c>).</summary>
        public static IReadOnlyList<string> Repeated { get; } = [Therapy, Status, Phase];

        public static IReadOnlyList<string> All { get; } =
            [Age, AgeMonths, Near, Latitude, Longitude, RadiusKm, Radius, Unit, Therapy, Disease, Refractory, Status, Phase, Country, Text, Sort, Page, PageSize];
    }

    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const double DefaultRadiusKm = 100;
    public const int MaxPlaceLength = 100;

    /// <summary>More than any realistic catalogue match count: alerts look at every match, not one page.</summary>
    public const int MaxAlertMatches = 2000;

    public static IReadOnlySet<string> DiseaseSlugs { get; } =
        Vocabulary.Default.Diseases.Select(d => d.Slug).Concat(Vocabulary.Default.NetSubtypes.Select(s => s.Slug)).ToHashSet();

    public static IReadOnlySet<string> TherapySlugs { get; } = Vocabulary.Default.Therapies.Select(t => t.Slug).ToHashSet();

    private readonly IReadOnlyList<string> _therapy = [];
    private readonly IReadOnlyList<string> _status = [];
    private readonly IReadOnlyList<string> _phase = [];

    public string? Age { get; init; }
    public string? AgeMonths { get; init; }
    public string? Near { get; init; }
    public string? Latitude { get; init; }
    public string? Longitude { get; init; }
    public string? RadiusKm { get; init; }

    /// <summary>The form's radius box, read with <see cref="Unit"/> (km or mi) when radiusKm is absent.</summary>
    public string? Radius { get; init; }

    public string? Unit { get; init; }
    public IReadOnlyList<string> Therapy { get => _therapy; init => _therapy = Filled(value); }
    public string? Disease { get; init; }
    public string? Refractory { get; init; }
    public IReadOnlyList<string> Status { get => _status; init => _status = Filled(value); }
    public IReadOnlyList<string> Phase { get => _phase; init => _phase = Filled(value); }
    public string? Country { get; init; }
    public string? Text { get; init; }
    public string? Sort { get; init; }
    public string? Page { get; init; }
    public string? PageSize { get; init; }

    /// <summary>
    /// "Tell us about the patient": the raw pt-… values as given, by name (<see cref="PatientQuestions"/>). Medical
    /// data: never logged, never a cache key, never stored unless a clinician chooses to keep it with a saved search.
    /// </summary>
    public IReadOnlyDictionary<string, string> Patient { get; init; } = new Dictionary<string, string>();

    /// <summary>Any patient fact or the pre-screen filter was given.</summary>
    public bool HasPatient => Patient.Values.Any(v => !PatientQuestions.IsDontKnow(v));

    /// <summary>No filter chosen (sorting and paging alone choose nothing): the home page, or a search not worth saving.</summary>
    public bool IsEmpty =>
        new[] { Age, AgeMonths, Near, Latitude, Longitude, RadiusKm, Radius, Disease, Refractory, Country, Text }.All(string.IsNullOrWhiteSpace)
        && Therapy.Count == 0 && Status.Count == 0 && Phase.Count == 0 && !HasPatient;

    /// <summary>The filters from any source of query values: the first value of a single filter, every value of a repeated one.</summary>
    public static SearchFilter From(Func<string, IReadOnlyList<string?>> values)
    {
        string? One(string name) => values(name) is { Count: > 0 } found ? found[0] : null;
        IReadOnlyList<string> Many(string name) => values(name).OfType<string>().ToList();
        return new SearchFilter
        {
            Age = One(Names.Age), AgeMonths = One(Names.AgeMonths), Near = One(Names.Near), Latitude = One(Names.Latitude),
            Longitude = One(Names.Longitude), RadiusKm = One(Names.RadiusKm), Radius = One(Names.Radius), Unit = One(Names.Unit),
            Therapy = Many(Names.Therapy), Disease = One(Names.Disease), Refractory = One(Names.Refractory), Status = Many(Names.Status),
            Phase = Many(Names.Phase), Country = One(Names.Country), Text = One(Names.Text), Sort = One(Names.Sort), Page = One(Names.Page),
            PageSize = One(Names.PageSize),
            Patient = PatientQuestions.Names
                .Select(name => (Name: name, Value: One(name)))
                .Where(p => !string.IsNullOrWhiteSpace(p.Value))
                .ToDictionary(p => p.Name, p => p.Value!, StringComparer.Ordinal),
        };
    }

    /// <summary>The same filters without the patient's facts: what may be cached, saved by default or shown in a link elsewhere.</summary>
    public SearchFilter WithoutPatient() => this with { Patient = new Dictionary<string, string>() };

    /// <summary>Reads the filters of a query string such as "?age=3&amp;therapy=anti-gd2" (a stored saved search).</summary>
    public static SearchFilter FromQueryString(string queryString)
    {
        NameValueCollection query = System.Web.HttpUtility.ParseQueryString(queryString.TrimStart('?'));
        return From(name => query.GetValues(name) ?? []);
    }

    /// <summary>Every (name, value) pair, in the order links have always used.</summary>
    private IEnumerable<KeyValuePair<string, string?>> Pairs()
    {
        KeyValuePair<string, string?> Pair(string name, string? value) => new(name, value);
        return new[]
            {
                Pair(Names.Age, Age), Pair(Names.AgeMonths, AgeMonths), Pair(Names.Near, Near), Pair(Names.Latitude, Latitude),
                Pair(Names.Longitude, Longitude), Pair(Names.RadiusKm, RadiusKm), Pair(Names.Radius, Radius), Pair(Names.Unit, Unit),
                Pair(Names.Disease, Disease), Pair(Names.Refractory, Refractory), Pair(Names.Country, Country), Pair(Names.Text, Text),
                Pair(Names.Sort, Sort), Pair(Names.Page, Page), Pair(Names.PageSize, PageSize),
            }
            .Concat(Therapy.Select(t => Pair(Names.Therapy, t)))
            .Concat(Status.Select(s => Pair(Names.Status, s)))
            .Concat(Phase.Select(p => Pair(Names.Phase, p)))
            .Concat(PatientQuestions.Names.Where(Patient.ContainsKey).Select(name => Pair(name, Patient[name])));
    }

    /// <summary>The patient's facts alone as query pairs ("&amp;pt-…=…"), for links that carry them to a trial page.</summary>
    public string PatientQueryString() =>
        string.Concat(PatientQuestions.Names.Where(Patient.ContainsKey)
            .Select(name => $"&{UrlEncoder.Default.Encode(name)}={UrlEncoder.Default.Encode(Patient[name])}"));

    /// <summary>The query string for these filters with some values replaced, for links (paging, widening, choices); "" when empty.</summary>
    public string ToQueryString(IReadOnlyDictionary<string, string?>? replace = null, IEnumerable<string>? remove = null)
    {
        var removed = new HashSet<string>(remove ?? []);
        if (replace is not null)
        {
            removed.UnionWith(replace.Keys);
        }

        var kept = Pairs().Where(p => !removed.Contains(p.Key) && !string.IsNullOrWhiteSpace(p.Value)).ToList();
        if (replace is not null)
        {
            kept.AddRange(replace.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
        }

        // As ASP.NET Core's QueryString.Create writes it, so links and cache keys read the same everywhere.
        var builder = new StringBuilder();
        foreach (var (name, value) in kept)
        {
            builder.Append(builder.Length == 0 ? '?' : '&').Append(UrlEncoder.Default.Encode(name)).Append('=').Append(UrlEncoder.Default.Encode(value!));
        }

        return builder.ToString();
    }

    /// <summary>Checks every filter and turns them into criteria (the place name, if any, still to be resolved).</summary>
    public (StudySearchCriteria Criteria, IReadOnlyList<SearchFilterError> Errors) Parse()
    {
        var errors = new List<SearchFilterError>();
        void Error(string field, SearchFilterProblem problem, object? argument = null) =>
            errors.Add(new SearchFilterError(field, problem, argument is null ? [] : [argument]));

        decimal? ageYears = null;
        if (!string.IsNullOrWhiteSpace(Age) && !string.IsNullOrWhiteSpace(AgeMonths))
        {
            Error(Names.Age, SearchFilterProblem.AgeTwice);
        }
        else if (!string.IsNullOrWhiteSpace(Age))
        {
            if (TryDecimal(Age, out var years) && years is >= 0 and <= 120)
            {
                ageYears = years;
            }
            else
            {
                Error(Names.Age, SearchFilterProblem.Age);
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
                Error(Names.AgeMonths, SearchFilterProblem.AgeMonths);
            }
        }

        GeoPoint? point = null;
        var hasLat = !string.IsNullOrWhiteSpace(Latitude);
        var hasLon = !string.IsNullOrWhiteSpace(Longitude);
        if (hasLat || hasLon)
        {
            if (!hasLat || !hasLon)
            {
                Error(Names.Latitude, SearchFilterProblem.CoordinateMissing);
            }
            else if (!TryDouble(Latitude!, out var lat) || !GeoPoint.IsLatitude(lat))
            {
                Error(Names.Latitude, SearchFilterProblem.Latitude);
            }
            else if (!TryDouble(Longitude!, out var lon) || !GeoPoint.IsLongitude(lon))
            {
                Error(Names.Longitude, SearchFilterProblem.Longitude);
            }
            else
            {
                point = new GeoPoint(lat, lon);
            }
        }

        if (Near is { Length: > MaxPlaceLength })
        {
            Error(Names.Near, SearchFilterProblem.PlaceTooLong);
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
                Error(Names.RadiusKm, SearchFilterProblem.Radius);
            }
        }
        else if (!string.IsNullOrWhiteSpace(Radius))
        {
            var perUnit = Unit?.Trim().ToLowerInvariant() switch
            {
                null or "" or "km" => 1.0,
                "mi" => GeoDistance.KmPerMile,
                _ => double.NaN,
            };
            if (double.IsNaN(perUnit))
            {
                Error(Names.Unit, SearchFilterProblem.Unit);
            }
            else if (TryDouble(Radius, out var value) && value * perUnit is >= 1 and <= 20000)
            {
                radiusKm = value * perUnit;
            }
            else
            {
                Error(Names.RadiusKm, SearchFilterProblem.Radius);
            }
        }

        var therapies = Therapy.Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList();
        var unknownTherapy = therapies.FirstOrDefault(t => !TherapySlugs.Contains(t));
        if (unknownTherapy is not null)
        {
            Error(Names.Therapy, SearchFilterProblem.Therapy, Shorten(unknownTherapy));
        }

        string? disease = null;
        if (!string.IsNullOrWhiteSpace(Disease))
        {
            disease = Disease.Trim().ToLowerInvariant();
            if (!DiseaseSlugs.Contains(disease))
            {
                Error(Names.Disease, SearchFilterProblem.Disease, Shorten(Disease));
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
                Error(Names.Refractory, SearchFilterProblem.Refractory);
            }
        }

        var statuses = Status.Select(s => s.Trim().ToUpperInvariant()).Distinct().ToList();
        var unknownStatus = statuses.FirstOrDefault(s => !RegistryStatuses.All.Contains(s));
        if (unknownStatus is not null)
        {
            Error(Names.Status, SearchFilterProblem.Status, Shorten(unknownStatus));
        }

        var phases = Phase.Select(p => p.Trim().ToUpperInvariant()).Distinct().ToList();
        var unknownPhase = phases.FirstOrDefault(p => !RegistryStatuses.Phases.Contains(p));
        if (unknownPhase is not null)
        {
            Error(Names.Phase, SearchFilterProblem.Phase, Shorten(unknownPhase));
        }

        var country = string.IsNullOrWhiteSpace(Country) ? null : Country.Trim();
        if (country is { Length: > 60 })
        {
            Error(Names.Country, SearchFilterProblem.Country);
        }

        var query = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim();
        if (query is { Length: > 200 })
        {
            Error(Names.Text, SearchFilterProblem.Text);
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
            Error(Names.Sort, SearchFilterProblem.Sort);
        }

        var page = 1;
        if (!string.IsNullOrWhiteSpace(Page) && (!int.TryParse(Page, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > 10000))
        {
            Error(Names.Page, SearchFilterProblem.Page);
            page = 1;
        }

        var pageSize = DefaultPageSize;
        if (!string.IsNullOrWhiteSpace(PageSize)
            && (!int.TryParse(PageSize, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            Error(Names.PageSize, SearchFilterProblem.PageSize, MaxPageSize);
            pageSize = DefaultPageSize;
        }

        var (patient, invalidPatient) = PatientProfile.Parse(name => Patient.GetValueOrDefault(name));
        foreach (var name in invalidPatient)
        {
            Error(name, SearchFilterProblem.Patient);
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
            Patient = patient,
        };
        return (criteria, errors);
    }

    /// <summary>
    /// The criteria of a stored saved search, for its alerts (the digest and the feed): every match, newest first.
    /// The site checks a search before saving it and stores its place as lat/lon, so no place look-up is needed;
    /// a value that no longer parses is simply left out.
    /// </summary>
    public StudySearchCriteria ToAlertCriteria()
    {
        var (criteria, _) = (this with { Page = null, PageSize = null, Sort = null }).Parse();
        return criteria with { Sort = StudySort.Updated, Page = 1, PageSize = MaxAlertMatches };
    }

    /// <summary>A blank repeated value (<c>status=</c>, <c>therapy=+</c>) means "no choice", so it is dropped here rather than in every reader.</summary>
    private static IReadOnlyList<string> Filled(IReadOnlyList<string?>? values) =>
        values is null ? [] : values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToList();

    private static bool TryDecimal(string value, out decimal result) =>
        decimal.TryParse(value.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out result);

    private static bool TryDouble(string value, out double result) =>
        double.TryParse(value.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result)
        && double.IsFinite(result);

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}

/// <summary>Why a filter cannot be used; the site turns each into a message in the reader's language.</summary>
public enum SearchFilterProblem
{
    AgeTwice,
    Age,
    AgeMonths,
    CoordinateMissing,
    Latitude,
    Longitude,
    PlaceTooLong,
    UnknownPlace,
    Radius,
    Unit,
    Therapy,
    Disease,
    Refractory,
    Status,
    Phase,
    Country,
    Text,
    Sort,
    Page,
    PageSize,

    /// <summary>A patient fact that is neither "don't know" nor an answer its question takes.</summary>
    Patient,
}

/// <summary>A filter that cannot be used: its query-string name, the problem, and what the message shows (the value given, a limit).</summary>
public sealed record SearchFilterError(string Field, SearchFilterProblem Problem, object[] Arguments);
