namespace TrialFinder.Core.Studies;

/// <summary>
/// One arm or cohort as the registry describes it: Type is the registry's ArmGroupType (EXPERIMENTAL,
/// ACTIVE_COMPARATOR, NO_INTERVENTION...), and the description often names therapies the intervention list leaves out.
/// </summary>
public sealed record ArmGroup(string? Label, string? Type, string? Description, IReadOnlyList<string> InterventionNames);
