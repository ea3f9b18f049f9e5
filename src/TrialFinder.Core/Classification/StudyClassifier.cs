using System.Text.RegularExpressions;
using TrialFinder.Core.Studies;

namespace TrialFinder.Core.Classification;

/// <summary>
/// Tags a study with its diseases, NET subtypes, whether it takes relapsed/refractory patients
/// and its therapy types, keeping for every tag the text that caused it.
/// </summary>
public sealed partial class StudyClassifier(Vocabulary vocabulary)
{
    public const string NetSlug = "net";

    private const string DiagnosticTest = "DIAGNOSTIC_TEST";
    private const string GepSlug = "gep";
    private static readonly string[] GepOrigins = ["pancreatic", "gastrointestinal"];

    public static StudyClassifier Default { get; } = new(Vocabulary.Default);

    public StudyClassification Classify(Study study)
    {
        var evidence = new List<TagEvidence>();

        var diseaseTexts = DiseaseTexts(study).ToList();
        var diseases = MatchAll(TagKinds.Disease, vocabulary.Diseases, diseaseTexts, evidence);
        var subtypes = diseases.Contains(NetSlug)
            ? WithGepOrigins(MatchAll(TagKinds.NetSubtype, vocabulary.NetSubtypes, SubtypeTexts(study, diseaseTexts), evidence), evidence)
            : [];
        var refractory = MatchAll(TagKinds.Refractory, [vocabulary.Refractory], RefractoryTexts(study), evidence).Count > 0;
        var therapyTexts = TherapyTexts(study).ToList();
        var planTexts = therapyTexts.Concat(TreatmentPlanSentences(study)).ToList();
        var therapies = MatchAll(TagKinds.Therapy, vocabulary.Therapies, tag => tag.ReadsSummary ? planTexts : therapyTexts, evidence);

        return new StudyClassification(diseases, subtypes, refractory, therapies, evidence);
    }

    private static List<string> MatchAll(
        string kind, IEnumerable<VocabularyTag> tags, IReadOnlyList<SourcedText> texts, List<TagEvidence> evidence) =>
        MatchAll(kind, tags, _ => texts, evidence);

    private static List<string> MatchAll(
        string kind, IEnumerable<VocabularyTag> tags, Func<VocabularyTag, IReadOnlyList<SourcedText>> textsFor, List<TagEvidence> evidence)
    {
        var matched = new List<string>();
        // Most tags match none of a study's texts: one search of all the texts together rules a tag out at once.
        var combined = new Dictionary<IReadOnlyList<SourcedText>, string>(ReferenceEqualityComparer.Instance);
        foreach (var tag in tags)
        {
            var texts = textsFor(tag);
            if (!combined.TryGetValue(texts, out var all))
            {
                all = string.Join('\n', texts.Select(t => t.Text.Padded));
                combined[texts] = all;
            }

            if (!tag.MayMatch(all))
            {
                continue;
            }

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

    /// <summary>
    /// "Gastro-entero-pancreatic" names both origins, so a GEP tumour is also tagged pancreatic and
    /// gastrointestinal, on the same evidence as the GEP tag.
    /// </summary>
    private static List<string> WithGepOrigins(List<string> subtypes, List<TagEvidence> evidence)
    {
        var gep = evidence.FirstOrDefault(e => e.Kind == TagKinds.NetSubtype && e.Slug == GepSlug);
        if (gep is null)
        {
            return subtypes;
        }

        foreach (var origin in GepOrigins.Where(o => !subtypes.Contains(o)))
        {
            subtypes.Add(origin);
            evidence.Add(gep with { Slug = origin });
        }

        return subtypes;
    }

    private static IEnumerable<SourcedText> DiseaseTexts(Study study) =>
        Sourced(EvidenceSources.Condition, study.Conditions)
            .Concat(Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]))
            .Concat(Sourced(EvidenceSources.Keyword, study.Keywords));

    /// <summary>
    /// Multi-cohort NET trials often name their tumour types only in the inclusion criteria ("GEP-NET or
    /// GEP-NEC", "typical and atypical lung carcinoids"); lines that negate ("no history of carcinoid
    /// syndrome", "... are not eligible") name a type for the opposite reason and are left out. The brief summary
    /// is read too ("Patients with gastroenteropancreatic NETs often die from..."), leaving out sentences that keep
    /// patients out of the trial; "excluded from liver-directed treatment" keeps them out of a treatment, not the trial.
    /// </summary>
    private static IReadOnlyList<SourcedText> SubtypeTexts(Study study, IEnumerable<SourcedText> diseaseTexts) =>
        diseaseTexts
            .Concat(Sourced(EvidenceSources.InclusionCriteria,
                InclusionCriteriaLines(study.EligibilityCriteria).Where(line => !NegatingWords().IsMatch(line))))
            .Concat(Sourced(EvidenceSources.Summary,
                SummarySentences(study.BriefSummary).Where(sentence => !ExcludingPatientsWords().IsMatch(sentence))))
            .ToList();

    private static IReadOnlyList<SourcedText> RefractoryTexts(Study study) =>
        Sourced(EvidenceSources.Condition, study.Conditions)
            .Concat(Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]))
            .Concat(Sourced(EvidenceSources.Keyword, study.Keywords))
            .Concat(Sourced(EvidenceSources.InclusionCriteria, InclusionCriteriaLines(study.EligibilityCriteria)))
            .Concat(Sourced(EvidenceSources.Summary, SummarySentences(study.BriefSummary)))
            .ToList();

    private static IEnumerable<SourcedText> TherapyTexts(Study study)
    {
        var treatments = study.Interventions.Where(i => i.Type != DiagnosticTest).ToList();
        return Sourced(EvidenceSources.Intervention, treatments.Select(i => i.Name))
            .Concat(Sourced(EvidenceSources.InterventionOtherName, treatments.SelectMany(i => i.OtherNames)))
            .Concat(Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]));
    }

    /// <summary>
    /// Summary sentences for the therapy tags that read the summary (a transplant the treatment plan needs is
    /// often named only there, while the interventions list the drugs). A sentence that speaks of earlier
    /// treatment ("relapsed after transplant", "previously treated with") names it for the opposite reason.
    /// </summary>
    private static IEnumerable<SourcedText> TreatmentPlanSentences(Study study) =>
        Sourced(EvidenceSources.Summary, SummarySentences(study.BriefSummary).Where(s => !EarlierTreatmentWords().IsMatch(s)));

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

    /// <summary>
    /// The brief summary one sentence at a time, so that an exclusion ("in the absence of progression",
    /// "after prior PRRT") only cancels the sentence it is in.
    /// </summary>
    private static IEnumerable<string> SummarySentences(string? summary) =>
        string.IsNullOrWhiteSpace(summary)
            ? []
            : SentenceBreak().Split(summary).Select(s => s.Trim()).Where(s => s.Length > 0);

    private static IEnumerable<SourcedText> Sourced(string source, IEnumerable<string?> texts) =>
        texts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => new SourcedText(source, NormalizedText.From(t!)));

    private sealed record SourcedText(string Source, NormalizedText Text);

    [GeneratedRegex(@"\b(prior|previous\w*|earlier|after|following|post|history of|relapsed?|recurren\w*|failed|failure)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EarlierTreatmentWords();

    [GeneratedRegex(@"\b(not (eligible|permitted|allowed|included)|ineligible|excluding|except)\b|\bexcluded\b(?! from)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExcludingPatientsWords();

    [GeneratedRegex(@"(?<=[.!?;:])\s+|\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\b(no|not|without|exclud\w*|ineligible)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NegatingWords();
}
