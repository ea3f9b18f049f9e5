using TrialFinder.Core.Classification;

namespace TrialFinder.Core.Studies;

/// <summary>Compares the stored and the incoming version of a study and lists what a user would notice.</summary>
public static class StudyChangeDetector
{
    public const string Relisted = "Listed by the registry again";
    public const string Delisted = "No longer listed by the registry for this catalogue";
    public const string NoMinimum = "no minimum";
    public const string NoMaximum = "no maximum";

    public static IReadOnlyList<StudyChange> Detect(Study before, Study after, DateTimeOffset detectedAt, long? syncRunId)
    {
        var changes = new List<StudyChange>();

        void Add(string kind, string summary, string? oldValue, string? newValue) =>
            changes.Add(new StudyChange
            {
                NctId = after.NctId,
                SyncRunId = syncRunId,
                DetectedAt = detectedAt,
                Kind = kind,
                Summary = summary,
                OldValue = oldValue,
                NewValue = newValue,
            });

        if (before.OverallStatus != after.OverallStatus)
        {
            Add(StudyChangeKinds.OverallStatus, $"Status changed from {before.OverallStatus} to {after.OverallStatus}",
                before.OverallStatus, after.OverallStatus);
        }

        if (before.BriefTitle != after.BriefTitle || before.OfficialTitle != after.OfficialTitle)
        {
            Add(StudyChangeKinds.Title, "Title changed", before.BriefTitle, after.BriefTitle);
        }

        var phasesBefore = string.Join(", ", before.Phases);
        var phasesAfter = string.Join(", ", after.Phases);
        if (phasesBefore != phasesAfter)
        {
            Add(StudyChangeKinds.Phase, $"Phase changed from {Or(phasesBefore)} to {Or(phasesAfter)}", phasesBefore, phasesAfter);
        }

        var agesBefore = AgeRange(before);
        var agesAfter = AgeRange(after);
        if (agesBefore != agesAfter)
        {
            Add(StudyChangeKinds.EligibleAges, $"Eligible ages changed from {agesBefore} to {agesAfter}", agesBefore, agesAfter);
        }

        if (Normalize(before.EligibilityCriteria) != Normalize(after.EligibilityCriteria))
        {
            Add(StudyChangeKinds.EligibilityCriteria, "Eligibility criteria changed", before.EligibilityCriteria, after.EligibilityCriteria);
        }

        var sitesBefore = before.Sites.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.First());
        var sitesAfter = after.Sites.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.First());
        foreach (var (key, site) in sitesAfter)
        {
            if (!sitesBefore.TryGetValue(key, out var old))
            {
                Add(StudyChangeKinds.SiteAdded, $"Site added: {site.Describe()}", null, site.Describe());
            }
            else if (old.RecruitmentStatus != site.RecruitmentStatus)
            {
                Add(StudyChangeKinds.SiteStatus,
                    $"Site {site.Describe()} changed from {Or(old.RecruitmentStatus)} to {Or(site.RecruitmentStatus)}",
                    old.RecruitmentStatus, site.RecruitmentStatus);
            }
        }

        foreach (var (key, site) in sitesBefore)
        {
            if (!sitesAfter.ContainsKey(key))
            {
                Add(StudyChangeKinds.SiteRemoved, $"Site removed: {site.Describe()}", site.Describe(), null);
            }
        }

        return changes;
    }

    /// <summary>
    /// The change a new classification makes to a stored study's tags, or null when every tag stays (order and
    /// evidence alone are not a change a user would notice).
    /// </summary>
    public static StudyChange? DetectTagChange(Study study, StudyClassification classification, DateTimeOffset detectedAt, long? syncRunId)
    {
        var before = Tags(study.Diseases, study.NetSubtypes, study.TakesRefractory, study.TherapyTypes);
        var after = Tags(classification.Diseases, classification.NetSubtypes, classification.TakesRefractory, classification.TherapyTypes);
        if (before.SetEquals(after))
        {
            return null;
        }

        var added = after.Except(before).Order(StringComparer.Ordinal).ToList();
        var removed = before.Except(after).Order(StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (added.Count > 0) parts.Add("added " + string.Join(", ", added));
        if (removed.Count > 0) parts.Add("removed " + string.Join(", ", removed));
        return new StudyChange
        {
            NctId = study.NctId,
            SyncRunId = syncRunId,
            DetectedAt = detectedAt,
            Kind = StudyChangeKinds.Tags,
            Summary = "Tags changed: " + string.Join("; ", parts),
            OldValue = string.Join(", ", before.Order(StringComparer.Ordinal)),
            NewValue = string.Join(", ", after.Order(StringComparer.Ordinal)),
        };
    }

    private static HashSet<string> Tags(IEnumerable<string> diseases, IEnumerable<string> subtypes, bool refractory, IEnumerable<string> therapies) =>
    [
        .. diseases.Select(d => $"{TagKinds.Disease}:{d}"),
        .. subtypes.Select(s => $"{TagKinds.NetSubtype}:{s}"),
        .. refractory ? [TagKinds.Refractory] : Array.Empty<string>(),
        .. therapies.Select(t => $"{TagKinds.Therapy}:{t}"),
    ];

    private static string AgeRange(Study study) =>
        $"{study.MinimumAgeText ?? NoMinimum} – {study.MaximumAgeText ?? NoMaximum}";

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "none" : value;

    private static string Normalize(string? text) => string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
