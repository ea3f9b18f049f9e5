using Ganss.Xss;
using Markdig;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Geo;
using TrialFinder.Core.PreScreening;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Infrastructure.Registry;

namespace TrialFinder.Web.Features.Trials;

/// <summary>Everything the trial page shows: summary, who can join, therapies with why, sites by distance, history.</summary>
public static class TrialDetails
{
    /// <param name="Patient">The family's answers, judged against the trial's stored eligibility facts; null shows the facts alone.</param>
    public sealed record Query(string NctId, double? Latitude, double? Longitude, PatientProfile? Patient = null) : IRequest<Model?>;

    public sealed record Model(
        string NctId,
        string Title,
        string? OfficialTitle,
        string? Acronym,
        string OverallStatus,
        IReadOnlyList<string> Phases,
        string? StudyType,
        string? BriefSummaryHtml,
        IReadOnlyList<string> Conditions,
        IReadOnlyList<string> Diseases,
        IReadOnlyList<string> NetSubtypes,
        bool TakesRefractory,
        string? MinimumAge,
        string? MaximumAge,
        string? Sex,
        bool? HealthyVolunteers,
        string? EligibilityHtml,
        string? LeadSponsor,
        string? StartDate,
        DateOnly? FirstPostedOn,
        DateOnly? LastUpdatePostedOn,
        DateTimeOffset LastSyncedAt,
        string Source,
        bool IsListed,
        IReadOnlyList<InterventionModel> Interventions,
        IReadOnlyList<TagModel> Tags,
        IReadOnlyList<SiteModel> Sites,
        bool SitesSortedByDistance,
        IReadOnlyList<ChangeModel> Changes,
        string RegistryUrl,
        SnapshotStatusModel? SnapshotStatus,
        int? ReportedSiteCount,
        bool CriteriaIsExcerpt)
    {
        /// <summary>A source reports more sites than the record lists.</summary>
        public bool SitesArePartial => ReportedSiteCount is { } reported && reported > Sites.Count;

        /// <summary>Every criterion read from the eligibility text with its quote, and, with a profile, the family's answers and outcomes.</summary>
        public PreScreen.Checklist? Checklist { get; init; }
    }

    /// <summary>For a snapshot copy: the date of the information its status came from, and that source.</summary>
    public sealed record SnapshotStatusModel(DateOnly? AsOf, string? SourceTitle, string? SourceUrl)
    {
        public static SnapshotStatusModel? From(Study study) =>
            From(study.Source, study.SnapshotStatusAsOf, study.SnapshotStatusSourceTitle, study.SnapshotStatusSourceUrl);

        public static SnapshotStatusModel? From(StudySource source, DateOnly? asOf, string? sourceTitle, string? sourceUrl) =>
            source == StudySource.Snapshot && (asOf is not null || sourceUrl is not null || sourceTitle is not null)
                ? new SnapshotStatusModel(asOf, sourceTitle, SnapshotProvenance.IsHttpUrl(sourceUrl) ? sourceUrl : null)
                : null;
    }

    public sealed record InterventionModel(string Type, string Name, IReadOnlyList<string> OtherNames);

    public sealed record TagModel(string Kind, string Slug, string Name, string Source, string MatchedText);

    public sealed record SiteModel(
        string? Facility, string? City, string? State, string? PostalCode, string? Country, string? RecruitmentStatus,
        double? Latitude, double? Longitude, double? DistanceKm, IReadOnlyList<SiteContact> Contacts);

    public sealed record ChangeModel(DateTimeOffset DetectedAt, string Kind, string Summary, string? OldValue, string? NewValue);

    public sealed class Handler(TrialFinderDbContext db, IOptions<RegistryOptions> registry) : IRequestHandler<Query, Model?>
    {
        private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();
        private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

        public async ValueTask<Model?> Handle(Query query, CancellationToken cancellationToken)
        {
            var study = await db.Studies.AsNoTracking()
                .Include(s => s.Sites)
                .Include(s => s.SyncState)
                .AsSplitQuery()
                .SingleOrDefaultAsync(s => s.NctId == query.NctId, cancellationToken);
            if (study is null)
            {
                return null;
            }

            var changes = await db.StudyChanges.AsNoTracking()
                .Where(c => c.NctId == query.NctId)
                .OrderByDescending(c => c.DetectedAt).ThenByDescending(c => c.Id)
                .Take(50)
                .Select(c => new ChangeModel(c.DetectedAt, c.Kind, c.Summary, c.OldValue, c.NewValue))
                .ToListAsync(cancellationToken);

            var hasPoint = query.Latitude is not null && query.Longitude is not null;
            // Registry order (Site.Ordinal), then nearest first when a point is given (OrderBy is stable).
            var sites = study.Sites
                .OrderBy(s => s.Ordinal)
                .Select(s => new SiteModel(s.Facility, s.City, s.State, s.PostalCode, s.Country, s.RecruitmentStatus, s.Latitude, s.Longitude,
                    hasPoint && s.Latitude is { } lat && s.Longitude is { } lon
                        ? GeoDistance.HaversineKm(query.Latitude!.Value, query.Longitude!.Value, lat, lon)
                        : null,
                    s.Contacts))
                .OrderBy(s => s.DistanceKm ?? double.MaxValue)
                .ToList();

            var vocabulary = Vocabulary.Default;
            var tags = study.TagEvidence
                .Select(e => new TagModel(e.Kind, e.Slug, TagName(vocabulary, e), e.Source, Shorten(e.MatchedText)))
                .ToList();

            return new Model(
                study.NctId, study.BriefTitle, study.OfficialTitle, study.Acronym, study.OverallStatus, study.Phases, study.StudyType,
                Render(study.BriefSummary), study.Conditions, study.Diseases, study.NetSubtypes, study.TakesRefractory,
                study.MinimumAgeText, study.MaximumAgeText, study.Sex, study.HealthyVolunteers, Render(study.EligibilityCriteria),
                study.LeadSponsor, study.StartDate, study.FirstPostedOn, study.LastUpdatePostedOn, LastSynced(study), study.Source.Stored(),
                study.IsListed,
                study.Interventions.Select(i => new InterventionModel(i.Type, i.Name, i.OtherNames)).ToList(),
                tags, sites, hasPoint, changes,
                registry.Value.StudyPageUrl(study.NctId),
                SnapshotStatusModel.From(study),
                study.Source == StudySource.Snapshot ? study.SnapshotReportedSiteCount : null,
                study.Source == StudySource.Snapshot && study.SnapshotCriteriaIsExcerpt)
            {
                Checklist = PreScreen.Checklist.From(Core.PreScreening.PreScreen.Check(query.Patient ?? PatientProfile.Empty, study.EligibilityFacts, study.Diseases)),
            };
        }

        /// <summary>Registry rich text is markdown with escaped characters; raw HTML is never passed through.</summary>
        public static string? Render(string? markdown) =>
            string.IsNullOrWhiteSpace(markdown) ? null : Sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdown, Markdown));

        private static HtmlSanitizer CreateSanitizer()
        {
            var sanitizer = new HtmlSanitizer();
            sanitizer.AllowedTags.Clear();
            foreach (var tag in new[] { "p", "ul", "ol", "li", "strong", "em", "br", "h1", "h2", "h3", "h4", "code", "blockquote", "a" })
            {
                sanitizer.AllowedTags.Add(tag);
            }

            sanitizer.AllowedAttributes.Clear();
            sanitizer.AllowedAttributes.Add("href");
            sanitizer.AllowedSchemes.Clear();
            sanitizer.AllowedSchemes.Add("https");
            sanitizer.AllowedSchemes.Add("http");
            sanitizer.PostProcessNode += (_, e) =>
            {
                if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link)
                {
                    link.SetAttribute("rel", "nofollow noopener");
                }
            };
            return sanitizer;
        }

        private static string TagName(Vocabulary vocabulary, TagEvidence evidence) => evidence.Kind switch
        {
            TagKinds.Therapy => vocabulary.FindTherapy(evidence.Slug)?.Name ?? evidence.Slug,
            TagKinds.Refractory => vocabulary.Refractory.Name,
            _ => vocabulary.FindDisease(evidence.Slug)?.Name ?? evidence.Slug,
        };

        private static string Shorten(string text) => text.Length > 160 ? text[..157] + "…" : text;

        /// <summary>
        /// A study a worker of the release before study_sync_states wrote while the upgrade rolled out has no sync state
        /// until the next sync starts; it was written (and so last synced) when it last changed.
        /// </summary>
        private static DateTimeOffset LastSynced(Study study) => study.SyncState?.LastSyncedAt ?? study.LastChangedAt;
    }
}
