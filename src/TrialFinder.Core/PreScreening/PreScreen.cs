using System.Globalization;
using System.Text.RegularExpressions;
using TrialFinder.Core.Eligibility;

namespace TrialFinder.Core.PreScreening;

/// <summary>How one criterion compares with what the family told us.</summary>
public enum CriterionOutcome
{
    /// <summary>The family did not answer this question ("don't know"): nothing is judged.</summary>
    NotAnswered,

    /// <summary>Answered, but the trial's eligibility text does not state this criterion: ask the trial team.</summary>
    NotStated,

    /// <summary>What the trial states agrees with the answer.</summary>
    Fits,

    /// <summary>What the trial states clearly conflicts with the answer; always carries the sentences that say so.</summary>
    MayNotFit,
}

/// <summary>The overall answer for one trial.</summary>
public enum PreScreenVerdict
{
    /// <summary>Nothing the family told us conflicts with what the trial states, and at least one answer was checked.</summary>
    Fits,

    /// <summary>At least one stated criterion clearly conflicts with an answer (quoted).</summary>
    MayNotFit,

    /// <summary>The trial states none of the criteria the family answered: ask the trial team.</summary>
    NotStated,
}

/// <summary>
/// One line of the checklist: what the trial states of a criterion (each fact with its sentence), what the family
/// told us, and the outcome. <see cref="Reasons"/> are the facts the outcome rests on (the conflicting ones for
/// "may not fit", the agreeing ones for "fits").
/// </summary>
public sealed record CriterionCheck(
    string Criterion,
    IReadOnlyList<CriterionFact> TrialFacts,
    IReadOnlyList<string> Answers,
    CriterionOutcome Outcome,
    IReadOnlyList<CriterionFact> Reasons);

public sealed record PreScreenResult(PreScreenVerdict? Verdict, IReadOnlyList<CriterionCheck> Checks)
{
    /// <summary>The checks that make the trial "may not fit", each with its quoted sentences.</summary>
    public IReadOnlyList<CriterionCheck> Conflicts => Checks.Where(c => c.Outcome == CriterionOutcome.MayNotFit).ToList();
}

/// <summary>
/// Compares a patient profile with a trial's stored eligibility facts, criterion by criterion. Conservative: "may not
/// fit" only where a stated fact clearly conflicts with an answer, and never without the sentence that states it; a
/// trial that states several alternatives (cohorts, "relapsed or refractory") fits when any of them fits.
/// </summary>
public static partial class PreScreen
{
    public static PreScreenResult Check(PatientProfile profile, IReadOnlyList<CriterionFact> facts, IEnumerable<string> trialDiseases)
    {
        var diseases = trialDiseases.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var answered = PatientQuestions.All.Where(q => profile.AnswerTo(q) is not null).Select(q => q.Criterion).ToHashSet();
        var criteria = PatientQuestions.All
            .Where(q => diseases.Contains(q.Disease) || answered.Contains(q.Criterion))
            .Select(q => q.Criterion)
            .Distinct();

        var checks = criteria.Select(c => CheckCriterion(profile, c, facts.Where(f => f.Criterion == c).ToList())).ToList();
        PreScreenVerdict? verdict =
            checks.Any(c => c.Outcome == CriterionOutcome.MayNotFit) ? PreScreenVerdict.MayNotFit
            : checks.Any(c => c.Outcome == CriterionOutcome.Fits) ? PreScreenVerdict.Fits
            : checks.Any(c => c.Outcome == CriterionOutcome.NotStated) ? PreScreenVerdict.NotStated
            : null;
        return new PreScreenResult(verdict, checks);
    }

    private enum Judgement
    {
        Neutral,
        Fits,
        Conflicts,
    }

    private static CriterionCheck CheckCriterion(PatientProfile profile, string criterion, List<CriterionFact> facts)
    {
        var questions = PatientQuestions.All.Where(q => q.Criterion == criterion).ToList();
        var answers = questions.Select(profile.AnswerTo).OfType<string>().ToList();
        // Both the scale and the score are needed to read a performance score.
        if (answers.Count < questions.Count)
        {
            return new CriterionCheck(criterion, facts, answers, CriterionOutcome.NotAnswered, []);
        }

        var judged = facts.Select(f => (Fact: f, Judgement: Judge(criterion, f.Value, answers))).ToList();
        var fitting = judged.Where(j => j.Judgement == Judgement.Fits).Select(j => j.Fact).ToList();
        var conflicting = judged.Where(j => j.Judgement == Judgement.Conflicts && !string.IsNullOrWhiteSpace(j.Fact.Quote)).Select(j => j.Fact).ToList();
        var outcome = fitting.Count > 0 ? CriterionOutcome.Fits
            : conflicting.Count > 0 ? CriterionOutcome.MayNotFit
            : CriterionOutcome.NotStated;
        return new CriterionCheck(criterion, facts, answers, outcome,
            outcome switch { CriterionOutcome.Fits => fitting, CriterionOutcome.MayNotFit => conflicting, _ => [] });
    }

    private static Judgement Judge(string criterion, string value, List<string> answers)
    {
        var answer = answers[0];
        return criterion switch
        {
            "disease-state" => value == answer ? Judgement.Fits : Judgement.Conflicts,
            "measurable-disease" => (value, answer) switch
            {
                ("measurable", "measurable") or ("measurable-or-evaluable", "measurable" or "evaluable") => Judgement.Fits,
                ("measurable", _) or ("measurable-or-evaluable", "none") => Judgement.Conflicts,
                _ => Judgement.Neutral,
            },
            "mycn-amplification" => (value, answer) switch
            {
                ("required", PatientQuestions.Yes) or ("excluded", PatientQuestions.No) => Judgement.Fits,
                ("required", PatientQuestions.No) or ("excluded", PatientQuestions.Yes) => Judgement.Conflicts,
                _ => Judgement.Neutral,
            },
            "performance-score" => JudgePerformance(value, scale: answers[0], score: decimal.Parse(answers[1], CultureInfo.InvariantCulture)),
            "primary-site" => JudgePrimarySite(value, answer),
            "grade" => JudgeGrade(value, answer),
            "ki67" => JudgeKi67(value, decimal.Parse(answer, CultureInfo.InvariantCulture)),
            "differentiation" => (value, answer) switch
            {
                ("well", "well") or ("poorly", "poorly") or ("poorly excluded", "well") => Judgement.Fits,
                ("well", "poorly") or ("poorly", "well") or ("poorly excluded", "poorly") => Judgement.Conflicts,
                _ => Judgement.Neutral,
            },
            "progression" => answer == PatientQuestions.Yes ? Judgement.Fits : Judgement.Conflicts,
            // Required / allowed / excluded: prior therapies, CNS disease, a functional syndrome, and the features a
            // trial can only require (MIBG-avid disease, an ALK alteration, SSTR-positive imaging).
            _ => (value, answer) switch
            {
                ("allowed", _) or ("required", PatientQuestions.Yes) or ("excluded", PatientQuestions.No) => Judgement.Fits,
                ("required", PatientQuestions.No) or ("excluded", PatientQuestions.Yes) => Judgement.Conflicts,
                _ => Judgement.Neutral,
            },
        };
    }

    /// <summary>"lansky>=50", "karnofsky>60", "ecog<=2": judged only on the scale the family gave.</summary>
    private static Judgement JudgePerformance(string value, string scale, decimal score)
    {
        var match = PerformanceValue().Match(value);
        if (!match.Success || match.Groups["scale"].Value != scale)
        {
            return Judgement.Neutral;
        }

        return Satisfies(score, match.Groups["op"].Value, decimal.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture)) is { } ok
            ? ok ? Judgement.Fits : Judgement.Conflicts
            : Judgement.Neutral;
    }

    /// <summary>"<=20", "<20", ">55", "10-55" (both ends included).</summary>
    private static Judgement JudgeKi67(string value, decimal ki67)
    {
        if (Ki67Range().Match(value) is { Success: true } range)
        {
            var low = decimal.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture);
            var high = decimal.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture);
            return ki67 >= low && ki67 <= high ? Judgement.Fits : Judgement.Conflicts;
        }

        if (Ki67Bound().Match(value) is { Success: true } bound
            && Satisfies(ki67, bound.Groups["op"].Value, decimal.Parse(bound.Groups["n"].Value, CultureInfo.InvariantCulture)) is { } ok)
        {
            return ok ? Judgement.Fits : Judgement.Conflicts;
        }

        return Judgement.Neutral;
    }

    private static bool? Satisfies(decimal given, string op, decimal limit) => op switch
    {
        ">=" => given >= limit,
        ">" => given > limit,
        "<=" => given <= limit,
        "<" => given < limit,
        _ => null,
    };

    /// <summary>"G1", "G2", "G3" taken by the inclusion criteria; "G3 excluded" by the exclusions.</summary>
    private static Judgement JudgeGrade(string value, string answer)
    {
        var grade = answer.ToUpperInvariant();
        return value == "G3 excluded" ? (grade == "G3" ? Judgement.Conflicts : Judgement.Fits)
            : value is "G1" or "G2" or "G3" ? (value == grade ? Judgement.Fits : Judgement.Conflicts)
            : Judgement.Neutral;
    }

    /// <summary>
    /// The trial's sites that take a primary site the family may give. Wider sites take narrower ones (a GEP trial takes
    /// a pancreatic NET); an unknown primary or "other gastrointestinal" is taken by any gut-wide site, since such
    /// trials usually take them.
    /// </summary>
    private static readonly Dictionary<string, string[]> SitesTaking = new()
    {
        ["pancreas"] = ["pancreas", "gastroenteropancreatic"],
        ["small-intestine"] = ["small-intestine", "midgut", "gastrointestinal", "gastroenteropancreatic", "extrapancreatic"],
        ["gastrointestinal"] = ["gastrointestinal", "midgut", "gastroenteropancreatic", "extrapancreatic"],
        ["lung"] = ["lung", "extrapancreatic"],
        ["thymus"] = ["thymus", "extrapancreatic"],
        ["unknown-primary"] = ["unknown-primary", "midgut", "gastrointestinal", "gastroenteropancreatic", "extrapancreatic"],
    };

    private static readonly HashSet<string> KnownSites = SitesTaking.Values.SelectMany(s => s).ToHashSet();

    private static Judgement JudgePrimarySite(string value, string answer) =>
        !KnownSites.Contains(value) ? Judgement.Neutral
        : SitesTaking.TryGetValue(answer, out var taking) && taking.Contains(value) ? Judgement.Fits
        : Judgement.Conflicts;

    [GeneratedRegex(@"^(?<scale>[a-z]+)(?<op>>=|<=|>|<)(?<n>\d{1,3})$")]
    private static partial Regex PerformanceValue();

    [GeneratedRegex(@"^(\d{1,3})-(\d{1,3})$")]
    private static partial Regex Ki67Range();

    [GeneratedRegex(@"^(?<op>>=|<=|>|<)(?<n>\d{1,3})$")]
    private static partial Regex Ki67Bound();
}
