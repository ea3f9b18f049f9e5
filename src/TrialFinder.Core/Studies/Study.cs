using TrialFinder.Core.Classification;
using TrialFinder.Core.Eligibility;

namespace TrialFinder.Core.Studies;

/// <summary>
/// A registry study in the product's own terms: mapped once from the registry's JSON, then
/// classified, stored, searched and shown. Fields the registry leaves out stay null or empty.
/// </summary>
public sealed class Study
{
    public required string NctId { get; set; }
    public required string BriefTitle { get; set; }
    public string? OfficialTitle { get; set; }
    public string? Acronym { get; set; }
    public required string OverallStatus { get; set; }
    public List<string> Phases { get; set; } = [];
    public string? StudyType { get; set; }
    public List<string> Conditions { get; set; } = [];
    public List<string> Keywords { get; set; } = [];
    public List<Intervention> Interventions { get; set; } = [];

    /// <summary>
    /// Arms and cohorts, read by classification only. Not stored: every classification maps the study from its raw
    /// registry JSON (sync and reclassify alike), so a stored copy would only duplicate <see cref="RawJson"/>.
    /// </summary>
    public List<ArmGroup> ArmGroups { get; set; } = [];
    public string? BriefSummary { get; set; }

    /// <summary>Youngest eligible age in years; null means no lower limit.</summary>
    public decimal? MinimumAgeYears { get; set; }

    /// <summary>Oldest eligible age in years; null means no upper limit.</summary>
    public decimal? MaximumAgeYears { get; set; }

    public string? MinimumAgeText { get; set; }
    public string? MaximumAgeText { get; set; }
    public string? Sex { get; set; }
    public bool? HealthyVolunteers { get; set; }
    public string? EligibilityCriteria { get; set; }
    public string? LeadSponsor { get; set; }

    /// <summary>Partial ISO date as the registry gives it ("2024-05" or "2024-05-17"); sorts as text.</summary>
    public string? StartDate { get; set; }

    public DateOnly? FirstPostedOn { get; set; }
    public DateOnly? LastUpdatePostedOn { get; set; }
    public List<Site> Sites { get; set; } = [];

    public List<string> Diseases { get; set; } = [];
    public List<string> NetSubtypes { get; set; } = [];
    public bool TakesRefractory { get; set; }
    public List<string> TherapyTypes { get; set; } = [];
    public List<TagEvidence> TagEvidence { get; set; } = [];

    /// <summary>
    /// What the eligibility text states of the criteria that decide most cases, each with its sentence
    /// (<see cref="CriteriaExtractor"/>); read wherever the study is classified, since it depends on its diseases.
    /// </summary>
    public List<CriterionFact> EligibilityFacts { get; set; } = [];

    /// <summary>
    /// The <see cref="StudyReading"/> version the tags and eligibility facts were read with; null for rows stored
    /// before versions were kept. Bookkeeping: stamping it alone changes nothing a search shows.
    /// </summary>
    public string? ReadingVersion { get; set; }

    /// <summary>
    /// What free-text search reads, in one text: titles, acronym, conditions, keywords and interventions
    /// (PostgreSQL keeps its tsvector in a stored column with a GIN index). Set by <see cref="ComposeSearchText"/>.
    /// </summary>
    public string SearchText { get; set; } = "";

    /// <summary>The registry's JSON for this study, unchanged, so classification can be re-run offline.</summary>
    public required string RawJson { get; set; }

    public required string ContentHash { get; set; }

    /// <summary>False once a full reconciliation no longer finds the study; kept because users bookmark it.</summary>
    public bool IsListed { get; set; } = true;

    public DateTimeOffset? DelistedAt { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }

    /// <summary>What the syncs record each time they see the study (stored apart; set when a sync first writes it).</summary>
    public StudySyncState? SyncState { get; set; }

    /// <summary>Where the stored copy came from: "registry" or "snapshot".</summary>
    public StudySource Source { get; set; } = StudySource.Registry;

    // What a snapshot's provenance says beside the record (see SnapshotProvenance). Only a snapshot copy carries
    // them: once the registry writes the study, it is the source and they are cleared.

    /// <summary>The date of the information the snapshot's overall status was taken from.</summary>
    public DateOnly? SnapshotStatusAsOf { get; set; }

    public string? SnapshotStatusSourceTitle { get; set; }

    /// <summary>An http(s) address; anything else is never stored.</summary>
    public string? SnapshotStatusSourceUrl { get; set; }

    /// <summary>The trial's total number of sites as a source reports it, when the record lists only some.</summary>
    public int? SnapshotReportedSiteCount { get; set; }

    /// <summary>The snapshot's eligibility text is cut short of what the registry holds.</summary>
    public bool SnapshotCriteriaIsExcerpt { get; set; }

    /// <summary>Takes every registry-derived field of a newer version of this study; storage bookkeeping stays.</summary>
    public void ReplaceRegistryContent(Study newer)
    {
        BriefTitle = newer.BriefTitle;
        OfficialTitle = newer.OfficialTitle;
        Acronym = newer.Acronym;
        OverallStatus = newer.OverallStatus;
        Phases = [.. newer.Phases];
        StudyType = newer.StudyType;
        Conditions = [.. newer.Conditions];
        Keywords = [.. newer.Keywords];
        Interventions = [.. newer.Interventions];
        ArmGroups = [.. newer.ArmGroups];
        BriefSummary = newer.BriefSummary;
        MinimumAgeYears = newer.MinimumAgeYears;
        MaximumAgeYears = newer.MaximumAgeYears;
        MinimumAgeText = newer.MinimumAgeText;
        MaximumAgeText = newer.MaximumAgeText;
        Sex = newer.Sex;
        HealthyVolunteers = newer.HealthyVolunteers;
        EligibilityCriteria = newer.EligibilityCriteria;
        LeadSponsor = newer.LeadSponsor;
        StartDate = newer.StartDate;
        FirstPostedOn = newer.FirstPostedOn;
        LastUpdatePostedOn = newer.LastUpdatePostedOn;
        Sites.Clear();
        Sites.AddRange(newer.Sites);
        RawJson = newer.RawJson;
        ContentHash = newer.ContentHash;
        SearchText = newer.SearchText;
    }

    /// <summary>Takes a snapshot provenance entry's facts, or clears them when the entry is missing.</summary>
    public void ApplySnapshotProvenance(SnapshotProvenance? provenance)
    {
        SnapshotStatusAsOf = provenance?.StatusAsOf;
        var hasSafeUrl = SnapshotProvenance.IsHttpUrl(provenance?.StatusSourceUrl);
        SnapshotStatusSourceUrl = hasSafeUrl ? provenance!.StatusSourceUrl : null;
        SnapshotStatusSourceTitle = provenance?.StatusSourceTitle is { Length: > 500 } title ? title[..500] : provenance?.StatusSourceTitle;
        SnapshotReportedSiteCount = provenance?.ReportedSiteCount is > 0 ? provenance.ReportedSiteCount : null;
        SnapshotCriteriaIsExcerpt = provenance?.CriteriaIsExcerpt ?? false;
    }

    public void ClearSnapshotProvenance() => ApplySnapshotProvenance(null);

    public void ComposeSearchText() =>
        SearchText = string.Join(' ', new[] { BriefTitle, OfficialTitle, Acronym }
            .Concat(Conditions)
            .Concat(Keywords)
            .Concat(Interventions.SelectMany(i => new[] { i.Name, i.Description }.Concat(i.OtherNames)))
            .Where(part => !string.IsNullOrWhiteSpace(part)));

    public void ApplyClassification(StudyClassification classification)
    {
        Diseases = [.. classification.Diseases];
        NetSubtypes = [.. classification.NetSubtypes];
        TakesRefractory = classification.TakesRefractory;
        TherapyTypes = [.. classification.TherapyTypes];
        TagEvidence = [.. classification.Evidence];
    }

    /// <summary>Takes the tags and eligibility facts read from <paramref name="newer"/>, whose registry content this study has just taken.</summary>
    public void TakeReadingOf(Study newer)
    {
        ApplyClassification(new StudyClassification(newer.Diseases, newer.NetSubtypes, newer.TakesRefractory, newer.TherapyTypes, newer.TagEvidence));
        EligibilityFacts = [.. newer.EligibilityFacts];
        ReadingVersion = newer.ReadingVersion;
    }

    /// <summary>Reads the eligibility facts from the criteria text for the diseases the study is classified under.</summary>
    public void ReadEligibility(CriteriaExtractor extractor) =>
        EligibilityFacts = [.. extractor.Extract(EligibilityCriteria, Diseases).Facts];
}

/// <summary>
/// Facts a snapshot record's provenance gives beside the record itself: the date and source of its overall status,
/// the total number of sites a source reports (the record lists only some), and whether its criteria are cut short.
/// </summary>
public sealed record SnapshotProvenance(
    DateOnly? StatusAsOf,
    string? StatusSourceTitle,
    string? StatusSourceUrl,
    int? ReportedSiteCount,
    bool CriteriaIsExcerpt)
{
    public static bool IsHttpUrl(string? url) =>
        url is { Length: <= 2000 } && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}

public enum StudySource
{
    Registry,
    Snapshot,
}

public static class StudySources
{
    public static readonly StoredNames<StudySource> Names = new((StudySource.Registry, "registry"), (StudySource.Snapshot, "snapshot"));

    public static string Stored(this StudySource source) => Names.Of(source);
}
