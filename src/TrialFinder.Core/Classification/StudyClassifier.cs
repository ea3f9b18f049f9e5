using System.Text.RegularExpressions;
using TrialFinder.Core.Eligibility;
using TrialFinder.Core.Studies;

namespace TrialFinder.Core.Classification;

/// <summary>
/// Tags a study with its diseases, NET subtypes, whether it takes relapsed/refractory patients and the therapies it
/// gives, keeping for every tag the text that caused it. The rules are those of the written labelling rule
/// (tests/TrialFinder.Core.Tests/Corpus/LABELLING.md):
/// <list type="bullet">
/// <item>a therapy is tagged only when the trial gives it: from the interventions (never diagnostic tests or imaging
/// agents); from titles, keywords and summary only where the interventions name no therapy, except for plan tags
/// (transplant, surgery, liver-directed delivery) that registries seldom list as interventions, and except for the
/// backbone a title or summary sentence combines the new drug with ("the addition of olaparib to temozolomide"); never from the
/// eligibility criteria; from the descriptions of arms and interventions always (they say what participants receive);
/// and never where the sentence names it as earlier, excluded or allowed treatment (<see cref="MentionScope"/>);</item>
/// <item>a drug the vocabulary does not list is read by its USAN/WHO INN stem ("-tinib", "-platin", "-rsen", the tumour-antibody
/// infix "-tuzumab"; <see cref="DrugStems"/>), under the same scope rules; a drug code is tagged only by the class a summary
/// sentence gives it as an example of ("drugs used in chemotherapy, such as ABT-751");</item>
/// <item>radioactive agents are read by isotope and carrier (<see cref="RadioligandReader"/>);</item>
/// <item>relapsed/refractory is read from titles, keywords, the summary and the criteria a patient must meet (conditions
/// only where there are no such criteria), never from the exclusion criteria.</item>
/// </list>
/// </summary>
public sealed partial class StudyClassifier(Vocabulary vocabulary)
{
    public const string NetSlug = "net";

    private const string DiagnosticTest = "DIAGNOSTIC_TEST";
    private const string NoIntervention = "NO_INTERVENTION";
    private const string ObservationalStudy = "OBSERVATIONAL";
    private const string GepSlug = "gep";
    private const string RadiotherapySlug = "radiotherapy";
    private static readonly string[] GepOrigins = ["pancreatic", "gastrointestinal"];

    private readonly RadioligandReader _radioligands = vocabulary.RadioligandReader;

    public static StudyClassifier Default { get; } = new(Vocabulary.Default);

    public StudyClassification Classify(Study study)
    {
        var evidence = new List<TagEvidence>();
        // Registry criteria are often hard-wrapped at 80 columns; joined, a wrapped line stays in its sentence, so a
        // negation on the next line ("... does not\nsuspect ... pancreatic neuroendocrine tumor") still reaches the site.
        var eligibility = EligibilityText.Parse(study.EligibilityCriteria, joinWrappedLines: true);
        var summary = TextSentences.Split(study.BriefSummary).Select(s => s.Text).ToList();

        var diseaseTexts = DiseaseTexts(study).ToList();
        var diseases = EnrolsOnlyHealthyVolunteers(eligibility) ? [] : Diseases(study, eligibility, summary, diseaseTexts, evidence);
        var subtypes = diseases.Contains(NetSlug) ? NetSubtypes(eligibility, summary, diseaseTexts, evidence) : [];
        var refractory = MatchAll(TagKinds.Refractory, [vocabulary.Refractory], RefractoryTexts(study, eligibility, summary), evidence).Count > 0
            || (!IsAdjuvant(study) && AllowsPriorTreatment(eligibility, evidence));
        var therapies = Therapies(study, summary, evidence);

        return new StudyClassification(diseases, subtypes, refractory, therapies, evidence);
    }

    // ---------------------------------------------------------------- diseases

    private static IEnumerable<SourcedText> DiseaseTexts(Study study) =>
        Sourced(EvidenceSources.Condition, study.Conditions)
            .Concat(Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]))
            .Concat(Sourced(EvidenceSources.Keyword, study.Keywords));

    /// <summary>
    /// Diseases come from conditions, titles and keywords. Further readings, each only where those are silent:
    /// a contextual term ("somatostatin receptor positive tumours") counts where the summary or criteria name the
    /// disease itself; a basket trial counts where an inclusion criterion names the disease as a diagnosis; and where
    /// the brief title names no disease, a disease the summary or inclusion criteria name as the trial's population
    /// ("children with relapsed solid tumours including neuroblastoma") counts too — not one named as an exception,
    /// a comparison, background or another study's population (<see cref="PopulationTexts"/>).
    /// </summary>
    private List<string> Diseases(
        Study study, EligibilityText eligibility, IReadOnlyList<string> summary, List<SourcedText> diseaseTexts, List<TagEvidence> evidence)
    {
        var diseases = MatchAll(TagKinds.Disease, vocabulary.Diseases, diseaseTexts, evidence);
        var inclusion = Sourced(EvidenceSources.InclusionCriteria, eligibility.NotExcluding.SelectMany(c => c.Sentences).Select(s => s.Text)).ToList();
        var background = inclusion.Concat(Sourced(EvidenceSources.Summary, summary))
            .Concat(Sourced(EvidenceSources.InterventionDescription, study.Interventions.Select(i => i.Description)))
            .Where(t => !NegatingWords().IsMatch(t.Text.Original))
            .ToList();

        foreach (var tag in vocabulary.Diseases.Where(t => !diseases.Contains(t.Slug) && t.ContextualPatterns.Count > 0))
        {
            var contextual = diseaseTexts.Select(t => (Text: t, Term: tag.Match(t.Text, tag.ContextualPatterns))).FirstOrDefault(m => m.Term is not null);
            if (contextual.Term is not null && background.Any(t => tag.Match(t.Text) is not null))
            {
                diseases.Add(tag.Slug);
                evidence.Add(new TagEvidence(TagKinds.Disease, tag.Slug, contextual.Text.Source, contextual.Text.Text.Original, contextual.Term));
            }
        }

        if (diseases.Count == 0)
        {
            var diagnoses = inclusion.Where(t => DiagnosisWords().IsMatch(t.Text.Original) && !NegatingWords().IsMatch(t.Text.Original)).ToList();
            diseases.AddRange(MatchAll(TagKinds.Disease, vocabulary.Diseases, diagnoses, evidence));
        }

        var unnamed = vocabulary.Diseases.Where(t => !diseases.Contains(t.Slug)).ToList();
        if (unnamed.Count > 0 && !NamesADisease(study.BriefTitle))
        {
            diseases.AddRange(MatchAll(TagKinds.Disease, unnamed, PopulationTexts(inclusion, summary), evidence));
        }

        return diseases;
    }

    /// <summary>
    /// Criteria that take healthy volunteers and name no disease ("normal healthy volunteers ... at least 21 years of age")
    /// enrol nobody with the disease a registry condition names as the agent's intended use.
    /// </summary>
    private bool EnrolsOnlyHealthyVolunteers(EligibilityText eligibility)
    {
        var inclusion = eligibility.NotExcluding.SelectMany(c => c.Sentences).Select(s => s.Text).ToList();
        return inclusion.Any(HealthyVolunteerWords().IsMatch)
            && !inclusion.Select(NormalizedText.From).Any(s => vocabulary.Diseases.Any(d => d.Match(s) is not null));
    }

    private bool NamesADisease(string briefTitle)
    {
        var title = NormalizedText.From(briefTitle);
        return vocabulary.Diseases.Any(t => t.Match(title) is not null);
    }

    /// <summary>
    /// The inclusion criteria (they say who may enrol) and the summary sentences that say who the trial takes
    /// ("patients with", "children with", "diagnosis of", "including"), with what they except left out ("with the
    /// exception of Merkel cell carcinoma", "non-pancreatic") and what follows a negation ("... with relapsed
    /// neuroblastoma without intravenous morphine" keeps its population, "patients without neuroblastoma" loses it);
    /// sentences that speak of laboratory models, comparisons or other studies ("cell lines derived from neuroblastoma",
    /// "unlike neuroblastoma", "studies have shown"), say nothing of the trial's population.
    /// </summary>
    private static List<SourcedText> PopulationTexts(IEnumerable<SourcedText> inclusion, IReadOnlyList<string> summary) =>
        inclusion
            .Concat(Sourced(EvidenceSources.Summary, summary.Where(s => PopulationWords().IsMatch(s) || DiagnosisWords().IsMatch(s))))
            .Where(t => !BackgroundSentences.IsBackground(t.Text))
            .Select(BeforeNegation)
            .OfType<SourcedText>()
            .Select(WithoutExceptions)
            .ToList();

    /// <summary>
    /// The part of a text before its first negating word; none of it where the text keeps patients out ("children with
    /// neuroblastoma are not eligible") or starts with the negation.
    /// </summary>
    private static SourcedText? BeforeNegation(SourcedText text)
    {
        if (ExcludingPatientsWords().IsMatch(text.Text.Original))
        {
            return null;
        }

        return NegatingWords().Match(text.Text.Original) is { Success: true } negation
            ? negation.Index == 0 ? null : text with { Text = NormalizedText.From(text.Text.Original[..negation.Index]) }
            : text;
    }

    /// <summary>A text with the sites or diseases it excepts taken out, so that only what it includes is read.</summary>
    private static SourcedText WithoutExceptions(SourcedText text) =>
        ExceptionClause().IsMatch(text.Text.Original)
            ? text with { Text = NormalizedText.From(ExceptionClause().Replace(text.Text.Original, " ")) }
            : text;

    /// <summary>
    /// Multi-cohort NET trials often name their tumour types only in the inclusion criteria ("GEP-NET or
    /// GEP-NEC", "typical and atypical lung carcinoids"); sentences that negate ("no history of carcinoid
    /// syndrome", "... are not eligible") name a type for the opposite reason and are left out. The brief summary
    /// is read too, leaving out sentences that keep patients out of the trial; "excluded from liver-directed
    /// treatment" keeps them out of a treatment, not the trial. A site the text excepts is not a site the trial enrols
    /// ("with the exception of small cell lung cancer and merkel cell carcinoma", "(Excluding Small Cell)",
    /// "non-pancreatic (ie, carcinoid) origin").
    /// </summary>
    private static IReadOnlyList<SourcedText> SubtypeTexts(EligibilityText eligibility, IReadOnlyList<string> summary, IEnumerable<SourcedText> diseaseTexts) =>
        diseaseTexts
            .Concat(Sourced(EvidenceSources.InclusionCriteria,
                eligibility.NotExcluding.SelectMany(c => c.Sentences).Select(s => s.Text).Where(s => !NegatingWords().IsMatch(s))))
            .Concat(Sourced(EvidenceSources.Summary, summary.Where(s => !ExcludingPatientsWords().IsMatch(s)))
                .Where(t => !BackgroundSentences.IsBackground(t.Text)))
            .Select(WithoutExceptions)
            .Select(WithoutFamilyApposition)
            .ToList();

    /// <summary>
    /// "Midgut neuroendocrine tumors (GEP-NETs)" names the family a midgut tumour belongs to, not a second, pancreatic site:
    /// a GEP name in brackets right after a narrower site's tumour is left out.
    /// </summary>
    private static SourcedText WithoutFamilyApposition(SourcedText text) =>
        FamilyApposition().Replace(text.Text.Original, "$1") is var without && without != text.Text.Original
            ? text with { Text = NormalizedText.From(without) }
            : text;

    /// <summary>
    /// Subtypes from their names in conditions, titles, keywords, inclusion criteria and summary (<see cref="SubtypeTexts"/>),
    /// then from bare organ words where a sentence of the criteria or summary names a NET and where it arises ("NETs of
    /// the lung, appendix, small intestine, colon, rectum, or pancreas"; "origins including the lung, thymus, the
    /// gastrointestinal tract"), never where the organ is a place the tumour spread to.
    /// </summary>
    private List<string> NetSubtypes(EligibilityText eligibility, IReadOnlyList<string> summary, IEnumerable<SourcedText> diseaseTexts, List<TagEvidence> evidence)
    {
        var texts = SubtypeTexts(eligibility, summary, diseaseTexts);
        var subtypes = MatchAll(TagKinds.NetSubtype, vocabulary.NetSubtypes, texts, evidence);
        var net = vocabulary.Diseases.Single(d => d.Slug == NetSlug);
        var siteSentences = texts
            .Where(t => t.Source is EvidenceSources.InclusionCriteria or EvidenceSources.Summary
                && SiteOfOriginWords().IsMatch(t.Text.Original) && !SpreadWords().IsMatch(t.Text.Original) && net.Match(t.Text) is not null)
            .ToList();
        foreach (var tag in siteSentences.Count > 0 ? vocabulary.NetSubtypes.Where(t => t.SiteWords.Count > 0 && !subtypes.Contains(t.Slug)) : [])
        {
            var site = siteSentences.Select(t => (Text: t, Term: tag.Match(t.Text, tag.SitePatterns))).FirstOrDefault(m => m.Term is not null);
            if (site.Term is not null)
            {
                subtypes.Add(tag.Slug);
                evidence.Add(new TagEvidence(TagKinds.NetSubtype, tag.Slug, site.Text.Source, site.Text.Text.Original, site.Term));
            }
        }

        return WithGepAndItsOrigins(subtypes, evidence);
    }

    /// <summary>
    /// "Gastro-entero-pancreatic" names both origins, so a GEP tumour is also tagged pancreatic and gastrointestinal; and
    /// a trial that enrols both pancreatic and gastrointestinal tumours enrols GEP tumours, so a family filtering by GEP
    /// finds it (LABELLING.md: `gep` when the record says gastro-entero-pancreatic or names both). The evidence of a tag
    /// one implies is the evidence of the tags that imply it.
    /// </summary>
    private static List<string> WithGepAndItsOrigins(List<string> subtypes, List<TagEvidence> evidence)
    {
        var gep = evidence.FirstOrDefault(e => e.Kind == TagKinds.NetSubtype && e.Slug == GepSlug);
        if (gep is null)
        {
            if (GepOrigins.All(subtypes.Contains))
            {
                subtypes.Add(GepSlug);
                evidence.AddRange(evidence.Where(e => e.Kind == TagKinds.NetSubtype && GepOrigins.Contains(e.Slug)).ToList()
                    .Select(origin => origin with { Slug = GepSlug }));
            }

            return subtypes;
        }

        foreach (var origin in GepOrigins.Where(o => !subtypes.Contains(o)))
        {
            subtypes.Add(origin);
            evidence.Add(gep with { Slug = origin });
        }

        return subtypes;
    }

    // ---------------------------------------------------------------- relapsed or refractory

    /// <summary>
    /// Exclusion criteria mention relapse for the opposite reason, so only the criteria a patient must meet are read.
    /// Condition lists are read only where there are no such criteria: registries file front-line trials under
    /// generic terms such as "Recurrent Neuroblastoma", and where criteria exist they say who may enrol. For the same
    /// reason they are not read where a title names the population as newly or previously diagnosed ("... in Patients
    /// With Newly Diagnosed High-Risk Neuroblastoma", a late-effects study of "Previously Diagnosed" patients).
    /// </summary>
    private static IReadOnlyList<SourcedText> RefractoryTexts(Study study, EligibilityText eligibility, IReadOnlyList<string> summary)
    {
        var conditionsSayWhoMayEnrol = ConditionsSayWhoMayEnrol(study, eligibility);
        return Sourced(EvidenceSources.Condition, conditionsSayWhoMayEnrol ? study.Conditions : [])
            .Concat(Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]))
            .Concat(Sourced(EvidenceSources.Keyword, conditionsSayWhoMayEnrol ? study.Keywords : []))
            .Concat(Sourced(EvidenceSources.InclusionCriteria, eligibility.NotExcluding.SelectMany(c => c.Sentences).Select(s => s.Text)))
            .Concat(Sourced(EvidenceSources.Summary, summary))
            .ToList();
    }

    /// <summary>
    /// A criterion that allows earlier systemic treatment ("Prior systemic cytotoxic chemotherapies ... for MCC are allowed",
    /// "prior peri-operative chemotherapy ... is allowed") or counts the earlier lines a patient may have had ("No more than
    /// 2 prior chemotherapy regimens") or how long ago they ended ("At least 4 weeks since prior chemotherapy") lets
    /// previously treated patients enrol, whichever section it stands in; "not allowed" says the opposite.
    /// </summary>
    private static bool AllowsPriorTreatment(EligibilityText eligibility, List<TagEvidence> evidence)
    {
        var allowing = eligibility.Criteria.SelectMany(c => c.Sentences).Select(s => s.Text)
            .FirstOrDefault(s => ((s.Contains("allowed", StringComparison.OrdinalIgnoreCase) || s.Contains("permitted", StringComparison.OrdinalIgnoreCase))
                    && PriorTreatmentAllowed().IsMatch(s) && !NotAllowed().IsMatch(s))
                || PriorLinesCounted().IsMatch(s));
        if (allowing is null)
        {
            return false;
        }

        var term = PriorTreatmentAllowed().Match(allowing) is { Success: true } allowed ? allowed.Value : PriorLinesCounted().Match(allowing).Value;
        evidence.Add(new TagEvidence(TagKinds.Refractory, TagKinds.Refractory, EvidenceSources.Criteria, allowing, term));
        return true;
    }

    /// <summary>An adjuvant trial treats patients with no evident disease after resection: earlier treatment it allows is not relapse.</summary>
    private static bool IsAdjuvant(Study study) =>
        TitlesMatch(study, AdjuvantWord());

    private static bool ConditionsSayWhoMayEnrol(Study study, EligibilityText eligibility) =>
        !eligibility.NotExcluding.Any(c => c.Sentences.Count > 0)
        && !TitlesMatch(study, DiagnosedPopulationWords());

    private static bool TitlesMatch(Study study, Regex words) =>
        new[] { study.BriefTitle, study.OfficialTitle }.Any(t => t is not null && words.IsMatch(t));

    // ---------------------------------------------------------------- therapies

    private List<string> Therapies(Study study, IReadOnlyList<string> summary, List<TagEvidence> evidence)
    {
        var treatments = study.Interventions.Where(i => i.Type != DiagnosticTest && !IsImagingAgent(i)).ToList();
        var interventionTexts = Sourced(EvidenceSources.Intervention, treatments.Select(i => i.Name))
            .Concat(Sourced(EvidenceSources.InterventionOtherName, treatments.SelectMany(i => i.OtherNames)))
            .ToList();
        var matchTherapy = TherapyMatcher(populationIsCohort: study.StudyType == ObservationalStudy);
        var therapies = MatchAll(TagKinds.Therapy, vocabulary.Therapies, interventionTexts, evidence, matchTherapy);

        // A study whose every intervention is a scan or diagnostic test gives no therapy, whatever its title says.
        var onlyDiagnostic = study.Interventions.Count > 0 && treatments.Count == 0;
        var interventionsSilent = therapies.Count == 0 && !onlyDiagnostic;
        var summarySentences = Sourced(EvidenceSources.Summary, summary).ToList();
        var titles = Sourced(EvidenceSources.Title, [study.BriefTitle, study.OfficialTitle]).SelectMany(SplitSentences)
            .Concat(Sourced(EvidenceSources.Keyword, study.Keywords))
            .ToList();
        var describingTreatment = summarySentences.Where(s => GivingWords().IsMatch(s.Text.Original) && !OnlyAboutOtherStudies(s)).ToList();

        // Where the interventions name no therapy (a drug code, an unlisted name), a summary sentence that gives one of
        // them as an example of a class names what the trial gives: "Drugs used in chemotherapy, such as ABT-751, work in
        // different ways to stop the growth of tumor cells".
        var classOfAnIntervention = interventionsSilent
            ? summarySentences.Where(s => !GivingWords().IsMatch(s.Text.Original) && NamesAnExampleOf(s.Text, treatments)).ToList()
            : [];
        var silentTexts = titles.Concat(describingTreatment).Concat(classOfAnIntervention).ToList();

        // Procedures and plans (transplant, surgery, liver-directed delivery) are often left out of the registry's
        // intervention list even where drugs are listed, so tags that read the plan read titles and summary always.
        var planTexts = titles.Concat(summarySentences.Where(s => !OnlyAboutOtherStudies(s))).ToList();

        // A title or summary sentence that combines treatments ("the addition of olaparib to the usual chemotherapy
        // (temozolomide)", "dinutuximab added to induction chemotherapy, surgery and transplant") names the backbone every
        // arm receives, which registries often leave out of the interventions once the new drug is listed. A hedged
        // rationale ("giving more than one drug (combination chemotherapy) together with dinutuximab may kill more tumor
        // cells") speaks of drug classes in general and is left out. Radioligands are the new drug of such trials, not
        // their backbone, so they are read from the interventions and descriptions only.
        IReadOnlyList<SourcedText> combining = onlyDiagnostic
            ? []
            : titles.Where(t => CombiningWords().IsMatch(t.Text.Original))
                .Concat(describingTreatment.Where(s => CombiningWords().IsMatch(s.Text.Original) && !HedgingWords().IsMatch(s.Text.Original)))
                .ToList();
        IReadOnlyList<SourcedText> none = [];
        var remaining = vocabulary.Therapies.Where(t => !therapies.Contains(t.Slug)).ToList();
        therapies.AddRange(MatchAll(TagKinds.Therapy, remaining,
            tag => tag.ReadsSummary && !onlyDiagnostic ? planTexts
                : interventionsSilent ? silentTexts
                : RadioligandReader.Slugs.Contains(tag.Slug) ? none : combining,
            evidence, matchTherapy));

        // Arm and intervention descriptions say what participants receive, so they are read for every tag even where the
        // interventions name a therapy: an arm "induction chemotherapy, surgery, ASCT and radiotherapy, then dinutuximab"
        // often lists only the antibody as an intervention. The same scope rules apply sentence by sentence.
        if (!onlyDiagnostic)
        {
            var descriptions = DescriptionTexts(study, treatments, radioactiveOnly: false);
            var descriptionsForRadiotherapy = DescriptionTexts(study, treatments, radioactiveOnly: true);
            remaining = vocabulary.Therapies.Where(t => !therapies.Contains(t.Slug)).ToList();
            therapies.AddRange(MatchAll(TagKinds.Therapy, remaining,
                tag => tag.Slug == RadiotherapySlug ? descriptionsForRadiotherapy : descriptions,
                evidence, matchTherapy));
        }

        return therapies;
    }

    /// <summary>
    /// A sentence about other studies or what is known of a drug, saying nothing of this trial ("In studies of patients
    /// with similar tumours, octreotide and interferon were better tolerated than chemotherapy"), describes no treatment
    /// the trial gives; one that goes on to this trial ("..., so this study will give dinutuximab") is read, its scope
    /// cues keeping the reported part out.
    /// </summary>
    private static bool OnlyAboutOtherStudies(SourcedText sentence) =>
        BackgroundSentences.SpeaksOfOtherStudies(sentence.Text) && !ThisTrialWords().IsMatch(sentence.Text.Original);

    /// <summary>
    /// Sentences of the descriptions of arms that receive something (a NO_INTERVENTION arm's description, "routine follow
    /// up after surgery", tells what the trial does not give) and of the interventions that are treatments. For the
    /// radiotherapy tag the description of a radioactive agent is left out: "investigational radiotherapeutic drug" under
    /// [225Ac]Ac-DOTATATE describes the radioligand, not external-beam radiation.
    /// </summary>
    private List<SourcedText> DescriptionTexts(Study study, IReadOnlyList<Intervention> treatments, bool radioactiveOnly)
    {
        var arms = study.ArmGroups.Where(a => a.Type != NoIntervention).Select(a => a.Description);
        var interventions = treatments.Where(i => !radioactiveOnly || !NamesRadioactiveAgent(i)).Select(i => i.Description);
        return Sourced(EvidenceSources.ArmDescription, arms)
            .Concat(Sourced(EvidenceSources.InterventionDescription, interventions))
            .SelectMany(SplitSentences)
            .ToList();
    }

    /// <summary>"..., such as ABT-751, ...": the sentence names one of the trial's interventions as an example of what it speaks of.</summary>
    private static bool NamesAnExampleOf(NormalizedText sentence, IReadOnlyList<Intervention> treatments)
    {
        var at = sentence.Padded.IndexOf(" such as ", StringComparison.Ordinal);
        return at >= 0 && treatments.Any(t =>
            NormalizedText.Normalize(t.Name) is { Length: > 0 } name
            && sentence.Padded.IndexOf(" " + name + " ", at + 8, StringComparison.Ordinal) >= 0);
    }

    private bool NamesRadioactiveAgent(Intervention intervention) =>
        new[] { intervention.Name }.Concat(intervention.OtherNames).Select(NormalizedText.From)
            .Any(_radioligands.NamesRadioactiveAgent);

    /// <summary>A tracer or scan: named with an imaging isotope, or with imaging words and no therapeutic isotope or treatment word.</summary>
    private bool IsImagingAgent(Intervention intervention)
    {
        var names = new[] { intervention.Name }.Concat(intervention.OtherNames).Select(NormalizedText.From).ToList();
        if (names.Any(_radioligands.IsImagingOnly))
        {
            return !names.Any(n => _radioligands.Read(n).Any());
        }

        return names.Any(n => vocabulary.ImagingPatterns.Any(n.Contains))
            && !names.Any(n => _radioligands.Read(n).Any() || TreatmentWords().IsMatch(n.Original));
    }

    private Func<VocabularyTag, NormalizedText, string?> TherapyMatcher(bool populationIsCohort)
    {
        var readings = new Dictionary<string, RadioactiveReading>(StringComparer.Ordinal);
        return (tag, text) =>
        {
            if (!readings.TryGetValue(text.Padded, out var reading))
            {
                reading = _radioligands.ReadOnce(text);
                readings[text.Padded] = reading;
            }

            if (reading.ImagingOnly)
            {
                return null;
            }

            if (RadioligandReader.Slugs.Contains(tag.Slug))
            {
                return reading.Mentions.FirstOrDefault(m => m.Slug == tag.Slug && !MentionScope.IsContext(text, m.Position, m.Pattern, populationIsCohort))?.Term;
            }

            if (tag.Slug == RadiotherapySlug && reading.NamesRadioactiveAgent)
            {
                return null;
            }

            return tag.Match(text, (position, pattern) =>
                !MentionScope.IsContext(text, position, pattern, populationIsCohort) && !IsRadioligandCarrier(reading, pattern));
        };
    }

    /// <summary>
    /// The antibody or peptide a therapeutic isotope is bound to is the radioligand, not a second therapy: "iodine I 131
    /// monoclonal antibody 3F8" is a radioligand, not the anti-GD2 antibody given on its own.
    /// </summary>
    private static bool IsRadioligandCarrier(RadioactiveReading reading, TermPattern pattern) =>
        reading.Mentions.Any(m => m.Carrier is { } carrier && pattern.Needle.Trim() == carrier.Needle.Trim());

    // ---------------------------------------------------------------- matching

    private static List<string> MatchAll(
        string kind, IEnumerable<VocabularyTag> tags, IReadOnlyList<SourcedText> texts, List<TagEvidence> evidence) =>
        MatchAll(kind, tags, _ => texts, evidence, (tag, text) => tag.Match(text));

    private static List<string> MatchAll(
        string kind, IEnumerable<VocabularyTag> tags, IReadOnlyList<SourcedText> texts, List<TagEvidence> evidence,
        Func<VocabularyTag, NormalizedText, string?> match) =>
        MatchAll(kind, tags, _ => texts, evidence, match);

    private static List<string> MatchAll(
        string kind, IEnumerable<VocabularyTag> tags, Func<VocabularyTag, IReadOnlyList<SourcedText>> textsFor, List<TagEvidence> evidence,
        Func<VocabularyTag, NormalizedText, string?> match)
    {
        var matched = new List<string>();
        // Most tags match none of a study's texts: one search of all the texts together rules a tag out at once.
        // Radioligand tags are read by isotope and carrier, not only by their terms, so they are always read.
        var combined = new Dictionary<IReadOnlyList<SourcedText>, string>(ReferenceEqualityComparer.Instance);
        foreach (var tag in tags)
        {
            var texts = textsFor(tag);
            if (!combined.TryGetValue(texts, out var all))
            {
                all = string.Join('\n', texts.Select(t => t.Text.Padded));
                combined[texts] = all;
            }

            if (!RadioligandReader.Slugs.Contains(tag.Slug) && !tag.MayMatch(all))
            {
                continue;
            }

            foreach (var text in texts)
            {
                var term = match(tag, text.Text);
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

    private static IEnumerable<SourcedText> SplitSentences(SourcedText text) =>
        TextSentences.Split(text.Text.Original).Select(s => new SourcedText(text.Source, NormalizedText.From(s.Text)));

    private static IEnumerable<SourcedText> Sourced(string source, IEnumerable<string?> texts) =>
        texts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => new SourcedText(source, NormalizedText.From(t!)));

    private sealed record SourcedText(string Source, NormalizedText Text);

    [GeneratedRegex(@"\b(not (eligible|permitted|allowed|included)|ineligible|excluding|except)\b|\bexcluded\b(?! from)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExcludingPatientsWords();

    [GeneratedRegex(@"\b(no|not|without|exclud\w*|ineligible|history of)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NegatingWords();

    /// <summary>
    /// What a text excepts: a bracketed exception ("(Excluding Small Cell)"), an exception clause up to the next stop
    /// ("with the exception of small cell lung cancer and merkel cell carcinoma"), a "non-" word ("non-pancreatic") or a
    /// site the tumour lies outside of ("extrapulmonary (originated outside the lung)").
    /// </summary>
    [GeneratedRegex(@"\((?:excluding|except|other than|not including|with the exception of)\b[^)]*\)|\b(?:with the exception of|except for|except|excluding|other than|not including)\b[^.;:()]*|\bnon[- ]\w+|\boutside (?:of )?(?:the )?\w+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExceptionClause();

    /// <summary>Words that say whom the trial takes.</summary>
    [GeneratedRegex(@"\b(including|such as|enrol\w*|eligible|in treating|treating (young |younger |pediatric |paediatric )?(patients|children|participants))\b|\b(patients|participants|children|adolescents|adults|subjects|people|individuals|infants)( \w+){0,3} (with|who have|who has)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PopulationWords();

    /// <summary>An inclusion criterion naming the patients' own disease ("diagnosis of", "histologically confirmed").</summary>
    [GeneratedRegex(@"\b(diagnos\w*|histolog\w*|patholog\w*|confirmed|documented|patients with|participants with|subjects with|children with)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiagnosisWords();

    /// <summary>A summary sentence that describes what participants receive, not the disease's usual treatment.</summary>
    [GeneratedRegex(@"\b(receiv\w*|given|give|gives|administ\w*|treated with|treatment with|undergo\w*|randomi[sz]\w*|in combination|combined with|dose\w*|evaluat\w*|investigat\w*|assess\w*|test\w*|compar\w*|efficacy|safety|toxicit\w*|study of|trial of|infusion\w*)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GivingWords();

    [GeneratedRegex(@"\b(prior|previous)\b(\W+\w+){0,6}?\W+(systemic|chemotherap\w*|therap(y|ies)|treatments?|immunotherap\w*|lines?|regimens?)\b[^.;]{0,80}?\b(allowed|permitted)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PriorTreatmentAllowed();

    /// <summary>Words that say where a tumour arises: "of the lung", "origin", "primary site", "arising in".</summary>
    [GeneratedRegex(@"\b(of the|of (the )?(following|these) (sites|origins)|origins?|originat\w*|arising|arises|primary (sites?|tumou?rs?|lesions?)|sites? of origin)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SiteOfOriginWords();

    /// <summary>Words that name an organ as a place of spread, not of origin.</summary>
    [GeneratedRegex(@"\b(metasta\w* (to|in|of|into)|spread (to|into)|involvement of|lesions? (in|of)|nodules? (in|of))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpreadWords();

    [GeneratedRegex(@"\b(this|the present|the current) (study|trial|protocol)\b|\bwill\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ThisTrialWords();

    [GeneratedRegex(@"\b(healthy|normal)\s+(human\s+)?(volunteers?|subjects?|adults?|participants?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HealthyVolunteerWords();

    [GeneratedRegex(@"(\b(?:midgut|small[- ]intestin\w*|small[- ]bowel|ileal|jejunal|rectal|gastric|duodenal|appendi\w*|colonic|colorectal|pancreatic)\s+(?:neuroendocrine\s+)?(?:tumou?rs?|neoplasms?|nets?|carcinoids?|nens?))\s*\(\s*(?:gep|gastro-?\s?entero-?\s?pancreatic)[^)]*\)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FamilyApposition();

    [GeneratedRegex(@"\badjuvant\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AdjuvantWord();

    [GeneratedRegex(@"\b(no more than|not more than|up to|a maximum of|at most)\s+(\d|one|two|three|four)\s+(prior|previous)\s+(systemic\s+)?(chemotherap\w*|therap(y|ies)|treatments?|lines?|regimens?)\b|\b(at least|more than|greater than)\s+\d+\s+(days?|weeks?|months?)\s+since\s+(prior|previous|last)\s+(systemic\s+|cytotoxic\s+)?(chemotherap\w*|immunotherap\w*|systemic|antineoplastic\w*)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PriorLinesCounted();

    [GeneratedRegex(@"\b(not|no longer)\s+(be\s+)?(allowed|permitted)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotAllowed();

    [GeneratedRegex(@"\b(newly|previously) diagnosed\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiagnosedPopulationWords();

    [GeneratedRegex(@"\b(may|might|could)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HedgingWords();

    /// <summary>Words that join a new treatment to the backbone it is given with.</summary>
    [GeneratedRegex(@"\b(addition of|added to|in addition to|add on|with or without|in combination with|combined with|combination with|plus|together with|followed by|backbone)\b|\band/or\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CombiningWords();

    [GeneratedRegex(@"\b(therap\w*|treatment|radiotherap\w*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TreatmentWords();
}
