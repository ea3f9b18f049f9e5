namespace TrialFinder.Core.SyncRuns;

/// <summary>
/// One run of the registry sync (or of a snapshot import), with its checkpoint: the query and
/// page token to continue from, saved in the same transaction as the page it follows.
/// </summary>
public sealed class SyncRun
{
    public long Id { get; set; }
    public required SyncKind Kind { get; set; }
    public SyncOutcome Outcome { get; set; } = SyncOutcome.Running;
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset LastProgressAt { get; set; }

    /// <summary>Incremental runs fetch studies last updated on or after this date.</summary>
    public DateOnly? UpdatedSince { get; set; }

    public List<string> Queries { get; set; } = [];
    public List<string> NctIds { get; set; } = [];

    public int QueryIndex { get; set; }
    public string? PageToken { get; set; }

    /// <summary>The registry's count of matching studies (countTotal), summed over the queries seen so far.</summary>
    public int? ExpectedStudies { get; set; }

    /// <summary>Per query (same order as <see cref="Queries"/>): the registry's countTotal, or -1 when it gave none.</summary>
    public List<int> QueryTotals { get; set; } = [];

    /// <summary>Per query: how many records its pages returned so far (a study matched by two queries counts in both).</summary>
    public List<int> QueryReceived { get; set; } = [];

    /// <summary>
    /// Changes whenever a process takes the run over (start or resume). Every page write is conditional on
    /// it, so a process that lost the sync lock and was replaced can never write this run again.
    /// </summary>
    public Guid Lease { get; set; }

    public int Pages { get; set; }
    public int Seen { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Delisted { get; set; }

    /// <summary>Listed studies a full run did not see but kept listed: a first miss, or a guard rail held.</summary>
    public int DelistingsWithheld { get; set; }

    /// <summary>Why a full run delisted nothing although it missed studies (a guard rail held), for /admin.</summary>
    public string? DelistingSkippedReason { get; set; }
    public int Failed { get; set; }
    public string? Message { get; set; }

    /// <summary>Set by an admin; the run stops at the next page boundary and can be resumed.</summary>
    public DateTimeOffset? CancelRequestedAt { get; set; }

    /// <summary>For snapshot imports: the date the snapshot's records were read.</summary>
    public DateOnly? SnapshotTakenOn { get; set; }

    public List<SyncError> Errors { get; set; } = [];

    /// <summary>
    /// An unfinished incremental or full run is continued by the next run of its kind, from its checkpoint:
    /// after a crash, a cancel, or a failure (registry or database faults pass; a page that stays unreadable
    /// fails again at the same place without harm).
    /// </summary>
    public bool IsResumable => Kind is SyncKind.Incremental or SyncKind.Full
        && Outcome is SyncOutcome.Running or SyncOutcome.Cancelled or SyncOutcome.Failed;

    public TimeSpan? Duration => FinishedAt - StartedAt;
}

public sealed class SyncError
{
    public long Id { get; set; }
    public long SyncRunId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string? NctId { get; set; }
    public int? Page { get; set; }
    public string? Query { get; set; }
    public required string Message { get; set; }
}

public enum SyncKind
{
    Incremental,
    Full,
    Refresh,
    Snapshot,
}

public static class SyncKinds
{
    public static readonly StoredNames<SyncKind> Names = new(
        (SyncKind.Incremental, "incremental"), (SyncKind.Full, "full"), (SyncKind.Refresh, "refresh"), (SyncKind.Snapshot, "snapshot"));

    public static string Stored(this SyncKind kind) => Names.Of(kind);
}

public enum SyncOutcome
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class SyncOutcomes
{
    public static readonly StoredNames<SyncOutcome> Names = new(
        (SyncOutcome.Running, "running"), (SyncOutcome.Succeeded, "succeeded"), (SyncOutcome.Failed, "failed"), (SyncOutcome.Cancelled, "cancelled"));

    public static string Stored(this SyncOutcome outcome) => Names.Of(outcome);
}

/// <summary>
/// A study seen by a sync run: written in the same transaction as the page that carried it, so that a
/// full run's delisting rests only on what that run itself saw, across resumes and whatever other runs
/// did in between. Deleted when the run has finished.
/// </summary>
public sealed class SyncRunSighting
{
    public long SyncRunId { get; set; }
    public required string NctId { get; set; }
}
