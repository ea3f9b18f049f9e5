using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TrialFinder.Core.Geo;
using TrialFinder.Core.PreScreening;
using TrialFinder.Core.Studies;
using TrialFinder.Data;
using TrialFinder.Data.Search;
using TrialFinder.Data.Places;
using TrialFinder.Web.Localization;
using Names = TrialFinder.Data.Search.SearchFilter.Names;

namespace TrialFinder.Web.Features.Search;

/// <summary>
/// The family's search: validates the filters, turns a place name or postcode into a point,
/// runs the catalogue search and shapes each hit for a results list (pages and API alike).
/// </summary>
public static class SearchTrials
{
    public sealed record Query(SearchFilter Filter) : IRequest<Result>;

    public sealed record Result(
        SearchFilter Filter,
        IReadOnlyDictionary<string, string[]> Errors,
        ResolvedPlace? Place,
        IReadOnlyList<ResolvedPlace> OtherPlaces,
        IReadOnlyList<TrialSummary> Trials,
        int Total,
        StudySearchCriteria Criteria,
        IReadOnlyList<Widening> Widenings)
    {
        public bool IsValid => Errors.Count == 0;

        /// <summary>With a patient profile and its filter on: how many matching trials were hidden as "may not fit".</summary>
        public int HiddenAsMayNotFit { get; init; }

        /// <summary>More trials match than <see cref="Total"/>, the limit up to which a search counts them.</summary>
        public bool MoreThanTotal { get; init; }

        public int PageCount => Math.Max(1, (Total + Criteria.PageSize - 1) / Criteria.PageSize);

        /// <summary>A page follows this one: within the counted pages, or past them while pages stay full.</summary>
        public bool HasNextPage => Criteria.Page < PageCount || (MoreThanTotal && Trials.Count == Criteria.PageSize);
    }

    public sealed record ResolvedPlace(string Label, double Latitude, double Longitude);

    /// <summary>A filter whose removal would find trials, for the "no trials match" state.</summary>
    public sealed record Widening(string Filter, int Total, string QueryString, bool MoreThanTotal = false);

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

        /// <summary>How the trial's stated criteria compare with the patient's facts; null when none were given.</summary>
        public PreScreen.TrialPreScreen? PreScreen { get; init; }
    }

    public sealed record NearestSite(string? Facility, string? City, string? Country, string? RecruitmentStatus, double DistanceKm);

    public sealed class Handler(
        TrialFinderDbContext db, IStringLocalizer<SiteText> text, SearchResultCache cache, Catalog.CurrentCatalogCache currentCatalog)
        : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken cancellationToken) =>
            query.Filter.HasPatient ? await PreScreenedAsync(query.Filter, cancellationToken) : await CachedAsync(query.Filter, cancellationToken);

        private async Task<Result> CachedAsync(SearchFilter filter, CancellationToken cancellationToken)
        {
            var catalog = await currentCatalog.ReadAsync(db, cancellationToken);
            return await cache.GetOrComputeAsync(catalog, filter.ToQueryString(), () => SearchAsync(filter, cancellationToken), cancellationToken);
        }

        /// <summary>
        /// A search with the patient's facts: the search itself runs (and is cached) without them, so no cache key or
        /// cached answer ever holds them; each trial is then judged against its stored eligibility facts. With the
        /// filter on, every match is judged and those that may not fit are left out before the page is cut.
        /// </summary>
        private async Task<Result> PreScreenedAsync(SearchFilter filter, CancellationToken cancellationToken)
        {
            var (criteria, problems) = filter.Parse();
            var patientErrors = SearchFilterMessages.ByField(problems.Where(p => p.Problem == SearchFilterProblem.Patient), text);
            var plain = filter.WithoutPatient();
            var profile = criteria.Patient;
            if (patientErrors.Count > 0 || !profile.HideConflicts)
            {
                var result = await CachedAsync(plain, cancellationToken);
                if (patientErrors.Count > 0 || !result.IsValid)
                {
                    var errors = new Dictionary<string, string[]>(result.Errors);
                    foreach (var (field, messages) in patientErrors)
                    {
                        errors[field] = messages;
                    }

                    return result with { Filter = filter, Errors = errors, Trials = [], Total = 0, MoreThanTotal = false, Widenings = [] };
                }

                return result with
                {
                    Filter = filter,
                    Criteria = result.Criteria with { Patient = profile },
                    Trials = await JudgeAsync(result.Trials, profile, cancellationToken),
                };
            }

            var every = await SearchAsync(plain, cancellationToken, c => c with { Page = 1, PageSize = SearchFilter.MaxAlertMatches });
            if (!every.IsValid)
            {
                return every with { Filter = filter };
            }

            var judged = await JudgeAsync(every.Trials, profile, cancellationToken);
            var kept = judged.Where(t => t.PreScreen?.Verdict != PreScreen.PreScreenWords.MayNotFit).ToList();
            return every with
            {
                Filter = filter,
                Criteria = every.Criteria with { Page = criteria.Page, PageSize = criteria.PageSize, Patient = profile },
                Trials = kept.Skip((criteria.Page - 1) * criteria.PageSize).Take(criteria.PageSize).ToList(),
                Total = kept.Count,
                MoreThanTotal = false,
                Widenings = [],
                HiddenAsMayNotFit = judged.Count - kept.Count,
            };
        }

        private async Task<IReadOnlyList<TrialSummary>> JudgeAsync(IReadOnlyList<TrialSummary> trials, PatientProfile profile, CancellationToken cancellationToken)
        {
            var checks = await PatientVerdicts.CheckAsync(db, profile, trials.Select(t => t.NctId).ToList(), cancellationToken);
            return trials.Select(t => t with
            {
                PreScreen = PreScreen.TrialPreScreen.From(checks.GetValueOrDefault(t.NctId) ?? Core.PreScreening.PreScreen.Check(profile, [], t.Diseases)),
            }).ToList();
        }

        private async Task<Result> SearchAsync(
            SearchFilter filter, CancellationToken cancellationToken, Func<StudySearchCriteria, StudySearchCriteria>? adjust = null)
        {
            var (criteria, problems) = filter.Parse();
            if (adjust is not null)
            {
                criteria = adjust(criteria);
            }

            var errors = SearchFilterMessages.ByField(problems, text);

            ResolvedPlace? place = null;
            IReadOnlyList<ResolvedPlace> otherPlaces = [];
            if (criteria.Near is { } point)
            {
                place = new ResolvedPlace(filter.Near?.Trim() is { Length: > 0 } label ? label : $"{point.Latitude:0.###}, {point.Longitude:0.###}",
                    point.Latitude, point.Longitude);
            }
            else if (!errors.ContainsKey(Names.Near) && !string.IsNullOrWhiteSpace(filter.Near))
            {
                var resolved = await PlaceResolution.ResolveAsync(db, filter.Near, cancellationToken, PlaceResolution.CountryHintsOf(filter.Country));
                if (resolved.Best is not { } best)
                {
                    errors[Names.Near] = [SearchFilterMessages.UnknownPlace(filter.Near, text)];
                }
                else
                {
                    place = new ResolvedPlace(best.Label, best.Latitude, best.Longitude);
                    otherPlaces = resolved is PlaceResolution.Ambiguous ambiguous
                        ? ambiguous.Choices.Skip(1).Select(m => new ResolvedPlace(m.Label, m.Latitude, m.Longitude)).ToList()
                        : [];
                    criteria = criteria with { Near = new GeoPoint(best.Latitude, best.Longitude) };
                }
            }

            if (errors.Count > 0)
            {
                return new Result(filter, errors, place, otherPlaces, [], 0, criteria, []);
            }

            var search = new StudySearchQuery(db);
            var page = await search.RunAsync(criteria, cancellationToken);
            var trials = page.Hits.Select(Summary).ToList();
            var widenings = page.Total == 0 ? await WideningsAsync(search, filter, criteria, cancellationToken) : [];
            return new Result(filter, errors, place, otherPlaces, trials, page.Total, criteria, widenings) { MoreThanTotal = page.MoreThanTotal };
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
                s.Source == StudySource.Snapshot ? s.SnapshotReportedSiteCount : null);
        }

        /// <summary>When nothing matches, how many trials each relaxed filter would find.</summary>
        private static async Task<IReadOnlyList<Widening>> WideningsAsync(
            StudySearchQuery search, SearchFilter filter, StudySearchCriteria criteria, CancellationToken cancellationToken)
        {
            var candidates = new List<(string Filter, StudySearchCriteria Criteria, string QueryString)>();
            if (criteria.Near is not null && criteria.RadiusKm < 1000)
            {
                candidates.Add(("radius", criteria with { RadiusKm = 1000 },
                    filter.ToQueryString(new Dictionary<string, string?> { [Names.RadiusKm] = "1000" }, [Names.Radius, Names.Unit, Names.Page])));
            }

            if (criteria.Near is not null)
            {
                candidates.Add(("place", criteria with { Near = null, Sort = StudySort.Updated },
                    filter.ToQueryString(remove: [Names.Near, Names.Latitude, Names.Longitude, Names.RadiusKm, Names.Radius, Names.Unit, Names.Sort, Names.Page])));
            }

            if (criteria.AgeYears is not null)
            {
                candidates.Add(("age", criteria with { AgeYears = null }, filter.ToQueryString(remove: [Names.Age, Names.AgeMonths, Names.Page])));
            }

            if (criteria.Therapies.Count > 0)
            {
                candidates.Add(("therapy", criteria with { Therapies = [] }, filter.ToQueryString(remove: [Names.Therapy, Names.Page])));
            }

            if (criteria.Disease is not null)
            {
                candidates.Add(("disease", criteria with { Disease = null }, filter.ToQueryString(remove: [Names.Disease, Names.Page])));
            }

            if (criteria.TakesRefractory is not null)
            {
                candidates.Add(("refractory", criteria with { TakesRefractory = null }, filter.ToQueryString(remove: [Names.Refractory, Names.Page])));
            }

            if (criteria.Phases.Count > 0)
            {
                candidates.Add(("phase", criteria with { Phases = [] }, filter.ToQueryString(remove: [Names.Phase, Names.Page])));
            }

            if (criteria.Country is not null)
            {
                candidates.Add(("country", criteria with { Country = null }, filter.ToQueryString(remove: [Names.Country, Names.Page])));
            }

            if (criteria.Text is not null)
            {
                candidates.Add(("q", criteria with { Text = null }, filter.ToQueryString(remove: [Names.Text, Names.Page])));
            }

            if (filter.Status.Count == 0)
            {
                var everyStatus = RegistryStatuses.All.Order().ToList();
                candidates.Add(("status", criteria with { Statuses = everyStatus },
                    filter.ToQueryString(remove: [Names.Page]) + string.Concat(everyStatus.Select(s => $"&{Names.Status}={s}"))));
            }

            var widenings = new List<Widening>();
            foreach (var (name, relaxed, queryString) in candidates)
            {
                var found = await search.RunAsync(relaxed with { Page = 1, PageSize = 1 }, cancellationToken);
                if (found.Total > 0)
                {
                    widenings.Add(new Widening(name, found.Total, queryString.StartsWith('?') ? queryString : "?" + queryString.TrimStart('&'), found.MoreThanTotal));
                }
            }

            return widenings;
        }
    }
}
