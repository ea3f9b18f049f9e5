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

    /// <summary>
    /// Shaped like a registry enum value (upper-case words joined by underscores, at most 40 characters),
    /// known or not: a value the registry adds later is stored and shown as written, never a reason to drop a study.
    /// </summary>
    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= 40 } && value.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

    /// <summary>A study with one of these overall statuses takes (or will take) patients.</summary>
    public static readonly IReadOnlyList<string> StudyOpen = [Recruiting, NotYetRecruiting, "ENROLLING_BY_INVITATION", "AVAILABLE"];

    /// <summary>
    /// A site with one of these statuses of its own takes no patients. A place search leaves such a site out
    /// when its study is open (<see cref="StudyOpen"/>); a study that is not open, or whose status is stale
    /// (UNKNOWN), is found by all its sites, whatever they say.
    /// </summary>
    public static readonly IReadOnlyList<string> SiteClosed =
    [
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "SUSPENDED", "TERMINATED", "WITHDRAWN",
        "NO_LONGER_AVAILABLE", "TEMPORARILY_NOT_AVAILABLE", "WITHHELD",
    ];
}
