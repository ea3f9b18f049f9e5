using TrialFinder.Core.Eligibility;
using TrialFinder.Core.PreScreening;

namespace TrialFinder.Web.Features.PreScreen;

/// <summary>A criterion as the trial states it: the value read and the sentence it was read from.</summary>
public sealed record StatedFact(string Value, string Quote, string Section)
{
    public static StatedFact From(CriterionFact fact) => new(fact.Value, fact.Quote, fact.Section switch
    {
        CriteriaSection.Inclusion => "inclusion",
        CriteriaSection.Exclusion => "exclusion",
        _ => "criteria",
    });
}

/// <summary>
/// One line of the checklist: the criterion, what the trial states (quoted), what the family told us, and the outcome
/// (fits | may-not-fit | not-stated | not-answered); <see cref="Reasons"/> are the quoted facts the outcome rests on.
/// </summary>
public sealed record ChecklistLine(string Criterion, string Outcome, IReadOnlyList<string> Answers, IReadOnlyList<StatedFact> Stated, IReadOnlyList<StatedFact> Reasons)
{
    public static ChecklistLine From(CriterionCheck check) => new(
        check.Criterion, PreScreenWords.Outcome(check.Outcome), check.Answers,
        check.TrialFacts.Select(StatedFact.From).ToList(), check.Reasons.Select(StatedFact.From).ToList());
}

/// <summary>The whole checklist of one trial: its verdict (fits | may-not-fit | not-stated, null without answers) and every line.</summary>
public sealed record Checklist(string? Verdict, IReadOnlyList<ChecklistLine> Lines)
{
    public static Checklist From(PreScreenResult result) =>
        new(PreScreenWords.Verdict(result.Verdict), result.Checks.Select(ChecklistLine.From).ToList());
}

/// <summary>
/// What a result list shows of a trial's pre-screen: the verdict, the conflicting criteria with their quotes, and the
/// answered criteria the trial does not state.
/// </summary>
public sealed record TrialPreScreen(string? Verdict, IReadOnlyList<ChecklistLine> MayNotFit, IReadOnlyList<string> NotStated, IReadOnlyList<string> Fits)
{
    public static TrialPreScreen From(PreScreenResult result) => new(
        PreScreenWords.Verdict(result.Verdict),
        result.Conflicts.Select(ChecklistLine.From).ToList(),
        result.Checks.Where(c => c.Outcome == CriterionOutcome.NotStated).Select(c => c.Criterion).ToList(),
        result.Checks.Where(c => c.Outcome == CriterionOutcome.Fits).Select(c => c.Criterion).ToList());
}

/// <summary>The words the API and the pages use for outcomes and verdicts.</summary>
public static class PreScreenWords
{
    public const string Fits = "fits";
    public const string MayNotFit = "may-not-fit";
    public const string NotStated = "not-stated";
    public const string NotAnswered = "not-answered";

    public static string? Verdict(PreScreenVerdict? verdict) => verdict switch
    {
        PreScreenVerdict.Fits => Fits,
        PreScreenVerdict.MayNotFit => MayNotFit,
        PreScreenVerdict.NotStated => NotStated,
        _ => null,
    };

    public static string Outcome(CriterionOutcome outcome) => outcome switch
    {
        CriterionOutcome.Fits => Fits,
        CriterionOutcome.MayNotFit => MayNotFit,
        CriterionOutcome.NotStated => NotStated,
        _ => NotAnswered,
    };
}
