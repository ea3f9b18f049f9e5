using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TrialFinder.Core.Studies;
using TrialFinder.Data;
using TrialFinder.Data.Search;
using TrialFinder.Web.Features.Places;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Search;

/// <summary>
/// The family's search: validates the filters, turns a place name or postcode into a point,
/// runs the catalogue search and shapes each hit for a results list (pages and API alike).
/// </summary>
public static class SearchTrials
{
    public sealed record Query(SearchParameters Parameters) : IRequest<Result>;

    public sealed record Result(
        SearchParameters Parameters,
        IReadOnlyDictionary<string, string[]> Errors,
        ResolvedPlace? Place,
        IReadOnlyList<ResolvedPlace> OtherPlaces,
        IReadOnlyList<TrialSummary> Trials,
        int Total,
        StudySearchCriteria Criteria,
        IReadOnlyList<Widening> Widenings)
    {
        public bool IsValid => Errors.Count == 0;
        public int PageCount => Math.Max(1, (Total + Criteria.PageSize - 1) / Criteria.PageSize);
    }

    public sealed record ResolvedPlace(string Label, double Latitude, double Longitude);

    /// <summary>A filter whose removal would find trials, for the "no trials match" state.</summary>
    public sealed record Widening(string Filter, int Total, string QueryString);

    public sealed record TrialSummary(
        string NctId,
        string Title,
        string? Acronym,
        string OverallStatus,
        IReadOnlyList<string> Phases,
        IReadOnlyList<string> Diseases,
        IReadOnlyList<string> NetSubtypes,
        IReadOnlyList<string> TherapyTypes,
        bool TakesRefractory,
        string? MinimumAge,
        string? MaximumAge,
        DateOnly? LastUpdatePostedOn,
        NearestSite? NearestSite,
        int SitesWithinRadius,
        int SiteCount,
        Trials.TrialDetails.SnapshotStatusModel? SnapshotStatus,
        int? ReportedSiteCount)
    {
        /// <summary>A source reports more sites than the record lists.</summary>
        public bool SitesArePartial => ReportedSiteCount is { } reported && reported > SiteCount;
    }

    public sealed record NearestSite(string? Facility, string? City, string? Country, string? RecruitmentStatus, double DistanceKm);

    public sealed class Handler(TrialFinderDbContext db, IMediator mediator, IStringLocalizer<SiteText> text, SearchResultCache cache)
        : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var parameters = query.Parameters;
            var catalogVersion = await db.ReadCatalogVersionAsync(cancellationToken);
            var queryString = parameters.ToQueryString();
            if (cache.TryGet(catalogVersion, queryString, out var cached))
            {
                return cached;
            }

            var result = await SearchAsync(parameters, cancellationToken);
            cache.Add(catalogVersion, queryString, result);
            return result;
        }

        private async Task<Result> SearchAsync(SearchParameters parameters, CancellationToken cancellationToken)
        {
            var (criteria, errors) = parameters.Validate(text);

            ResolvedPlace? place = null;
            IReadOnlyList<ResolvedPlace> otherPlaces = [];
            if (criteria.Near is { } point)
            {
                place = new ResolvedPlace(parameters.Near?.Trim() is { Length: > 0 } label ? label : $"{point.Latitude:0.###}, {point.Longitude:0.###}",
                    point.Latitude, point.Longitude);
            }
            else if (!errors.ContainsKey("near") && !string.IsNullOrWhiteSpace(parameters.Near))
            {
                var matches = await mediator.Send(new PlaceLookup.Query(parameters.Near.Trim(), 6), cancellationToken);
                if (matches.Count == 0)
                {
                    errors["near"] = [text["error.near.unknown", parameters.Near.Trim()]];
                }
                else
                {
                    var best = matches[0];
                    place = new ResolvedPlace(best.Label, best.Latitude, best.Longitude);
                    otherPlaces = matches.Skip(1)
                        .Where(m => SameName(m.Label, best.Label))
                        .Select(m => new ResolvedPlace(m.Label, m.Latitude, m.Longitude))
                        .ToList();
                    criteria = criteria with { Near = new GeoPoint(best.Latitude, best.Longitude) };
                }
            }

            if (errors.Count > 0)
            {
                return new Result(parameters, errors, place, otherPlaces, [], 0, criteria, []);
            }

            var search = new StudySearchQuery(db);
            var page = await search.RunAsync(criteria, cancellationToken);
            var trials = page.Hits.Select(Summary).ToList();
            var widenings = page.Total == 0 ? await WideningsAsync(search, parameters, criteria, cancellationToken) : [];
            return new Result(parameters, errors, place, otherPlaces, trials, page.Total, criteria, widenings);
        }

        private static TrialSummary Summary(StudySearchHit hit)
        {
            var s = hit.Study;
            var nearest = hit.NearestSite is { } site
                ? new NearestSite(site.Facility, site.City, site.Country, site.RecruitmentStatus, site.DistanceKm)
                : null;
            return new TrialSummary(hit.NctId, s.BriefTitle, s.Acronym, s.OverallStatus, s.Phases, s.Diseases, s.NetSubtypes,
                s.TherapyTypes, s.TakesRefractory, s.MinimumAgeText, s.MaximumAgeText, s.LastUpdatePostedOn, nearest,
                hit.SitesWithinRadius, s.SiteCount,
                Trials.TrialDetails.SnapshotStatusModel.From(s.Source, s.SnapshotStatusAsOf, s.SnapshotStatusSourceTitle, s.SnapshotStatusSourceUrl),
                s.Source == StudySources.Snapshot ? s.SnapshotReportedSiteCount : null);
        }

        /// <summary>When nothing matches, how many trials each relaxed filter would find.</summary>
        private static async Task<IReadOnlyList<Widening>> WideningsAsync(
            StudySearchQuery search, SearchParameters parameters, StudySearchCriteria criteria, CancellationToken cancellationToken)
        {
            var candidates = new List<(string Filter, StudySearchCriteria Criteria, string QueryString)>();
            if (criteria.Near is not null && criteria.RadiusKm < 1000)
            {
                candidates.Add(("radius", criteria with { RadiusKm = 1000 },
                    parameters.ToQueryString(new Dictionary<string, string?> { ["radiusKm"] = "1000" }, ["radius", "unit", "page"])));
            }

            if (criteria.Near is not null)
            {
                candidates.Add(("place", criteria with { Near = null, Sort = StudySort.Updated },
                    parameters.ToQueryString(remove: ["near", "lat", "lon", "radiusKm", "radius", "unit", "sort", "page"])));
            }

            if (criteria.AgeYears is not null)
            {
                candidates.Add(("age", criteria with { AgeYears = null }, parameters.ToQueryString(remove: ["age", "ageMonths", "page"])));
            }

            if (criteria.Therapies.Count > 0)
            {
                candidates.Add(("therapy", criteria with { Therapies = [] }, parameters.ToQueryString(remove: ["therapy", "page"])));
            }

            if (criteria.Disease is not null)
            {
                candidates.Add(("disease", criteria with { Disease = null }, parameters.ToQueryString(remove: ["disease", "page"])));
            }

            if (criteria.TakesRefractory is not null)
            {
                candidates.Add(("refractory", criteria with { TakesRefractory = null }, parameters.ToQueryString(remove: ["refractory", "page"])));
            }

            if (criteria.Phases.Count > 0)
            {
                candidates.Add(("phase", criteria with { Phases = [] }, parameters.ToQueryString(remove: ["phase", "page"])));
            }

            if (criteria.Country is not null)
            {
                candidates.Add(("country", criteria with { Country = null }, parameters.ToQueryString(remove: ["country", "page"])));
            }

            if (criteria.Text is not null)
            {
                candidates.Add(("q", criteria with { Text = null }, parameters.ToQueryString(remove: ["q", "page"])));
            }

            if (parameters.Status.Length == 0)
            {
                var everyStatus = RegistryStatuses.All.Order().ToList();
                candidates.Add(("status", criteria with { Statuses = everyStatus },
                    parameters.ToQueryString(remove: ["page"]) + string.Concat(everyStatus.Select(s => $"&status={s}"))));
            }

            var widenings = new List<Widening>();
            foreach (var (filter, relaxed, queryString) in candidates)
            {
                var total = (await search.RunAsync(relaxed with { Page = 1, PageSize = 1 }, cancellationToken)).Total;
                if (total > 0)
                {
                    widenings.Add(new Widening(filter, total, queryString.StartsWith('?') ? queryString : "?" + queryString.TrimStart('&')));
                }
            }

            return widenings;
        }

        private static bool SameName(string label, string other) =>
            string.Equals(label.Split(',')[0].Trim(), other.Split(',')[0].Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
