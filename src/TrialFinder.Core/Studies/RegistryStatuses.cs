namespace TrialFinder.Core.Studies;

/// <summary>The registry's overall status values (the Status enum of API v2).</summary>
public static class RegistryStatuses
{
    public const string Recruiting = "RECRUITING";
    public const string NotYetRecruiting = "NOT_YET_RECRUITING";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", NotYetRecruiting, Recruiting,
        "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE",
        "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN",
    };

    public static readonly IReadOnlySet<string> Phases = new HashSet<string>(StringComparer.Ordinal)
    {
        "NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4",
    };

    public static readonly IReadOnlyList<string> OpenByDefault = [Recruiting, NotYetRecruiting];
}
