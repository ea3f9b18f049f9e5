using TrialFinder.Core.Studies;

namespace TrialFinder.Core.Classification;

/// <summary>
/// Tags a study with its diseases, NET subtypes, whether it takes relapsed/refractory patients
/// and its therapy types, keeping for every tag the text that caused it.
/// </summary>
public sealed class StudyClassifier(Vocabulary vocabulary)
{
    public const string NetSlug = "net";

    private const string DiagnosticTest = "DIAGNOSTIC_TEST";

    public static StudyClassifier Default { get; } = new(Vocabulary.Default);

    public StudyClassification Classify(Study study)
    {
        var evidence = new List<TagEvidence>();

        var diseaseTexts = DiseaseTexts(study).ToList();
        var diseases = MatchAll(TagKinds.Disease, vocabulary.Diseases, diseaseTexts, evidence);
        var subtypes = diseases.Contains(NetSlug)
            ? MatchAll(TagKinds.NetSubtype, vocabulary.NetSubtypes, diseaseTexts, evidence)
            : [];
        var refractory = MatchAll(TagKinds.Refractory, [vocabulary.Refractory], RefractoryTexts(study), evidence).Count > 0;
        var therapies = MatchAll(TagKinds.Therapy, vocabulary.Therapies, TherapyTexts(study).ToList(), evidence);

        return new StudyClassification(diseases, subtypes, refractory, therapies, evidence);
    }

    private static List<string> MatchAll(
        string kind, IEnumerable<VocabularyTag> tags, IReadOnlyList<SourcedText> texts, List<TagEvidence> evidence)
    {
        var matched = new List<string>();
        foreach (var tag in tags)
        {
            foreach (var text in texts)
            {
                var term = tag.Match(text.Text);
                if (term is null)
                {
                    continue;
                }

                matched.Add(tag.Slug);
                evidence.Add(new TagEvidence(kind, tag.Slug, text.Source, text.Text.Original, term));
                break;
            }
        }

        return matched;
    }

    private static IEnumerable<SourcedText> DiseaseTexts(Study study) =>
        Sourced(EvidenceSources.Condition, study.Conditions)
            .Concat(Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]))
            .Concat(Sourced(EvidenceSources.Keyword, study.Keywords));

    private static IReadOnlyList<SourcedText> RefractoryTexts(Study study) =>
        Sourced(EvidenceSources.Condition, study.Conditions)
            .Concat(Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]))
            .Concat(Sourced(EvidenceSources.Keyword, study.Keywords))
            .Concat(Sourced(EvidenceSources.InclusionCriteria, InclusionCriteriaLines(study.EligibilityCriteria)))
            .ToList();

    private static IEnumerable<SourcedText> TherapyTexts(Study study)
    {
        var treatments = study.Interventions.Where(i => i.Type != DiagnosticTest).ToList();
        return Sourced(EvidenceSources.Intervention, treatments.Select(i => i.Name))
            .Concat(Sourced(EvidenceSources.InterventionOtherName, treatments.SelectMany(i => i.OtherNames)))
            .Concat(Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]));
    }

    /// <summary>The lines of the inclusion part of the criteria: exclusions mention relapse for the opposite reason.</summary>
    private static IEnumerable<string> InclusionCriteriaLines(string? criteria)
    {
        if (string.IsNullOrWhiteSpace(criteria))
        {
            yield break;
        }

        var exclusionStart = criteria.IndexOf("Exclusion Criteria", StringComparison.OrdinalIgnoreCase);
        var inclusion = exclusionStart >= 0 ? criteria[..exclusionStart] : criteria;
        foreach (var line in inclusion.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return line;
        }
    }

    private static IEnumerable<SourcedText> Sourced(string source, IEnumerable<string?> texts) =>
        texts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => new SourcedText(source, NormalizedText.From(t!)));

    private sealed record SourcedText(string Source, NormalizedText Text);
}
