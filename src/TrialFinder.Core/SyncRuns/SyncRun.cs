namespace TrialFinder.Core.SyncRuns;

/// <summary>
/// One run of the registry sync (or of a snapshot import), with its checkpoint: the query and
/// page token to continue from, saved in the same transaction as the page it follows.
/// </summary>
public sealed class SyncRun
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public string Outcome { get; set; } = SyncOutcomes.Running;
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

    public int Pages { get; set; }
    public int Seen { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Delisted { get; set; }
    public int Failed { get; set; }
    public string? Message { get; set; }

    /// <summary>Set by an admin; the run stops at the next page boundary and can be resumed.</summary>
    public DateTimeOffset? CancelRequestedAt { get; set; }

    /// <summary>For snapshot imports: the date the snapshot's records were read.</summary>
    public DateOnly? SnapshotTakenOn { get; set; }

    public List<SyncError> Errors { get; set; } = [];

    public bool IsResumable => Outcome is SyncOutcomes.Running or SyncOutcomes.Cancelled;

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

public static class SyncKinds
{
    public const string Incremental = "incremental";
    public const string Full = "full";
    public const string Refresh = "refresh";
    public const string Snapshot = "snapshot";
}

public static class SyncOutcomes
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
