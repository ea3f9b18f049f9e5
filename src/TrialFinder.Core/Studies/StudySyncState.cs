namespace TrialFinder.Core.Studies;

/// <summary>
/// What the syncs record of a study each time they see it, in a narrow row of its own. A full sync writes it for every
/// study it sees; in the study's wide row each such write was a new copy of the row and, where its page had no room for
/// the copy (every page, right after an ingest), new entries in each of the study's indexes, its GIN indexes included.
/// </summary>
public sealed class StudySyncState
{
    public required string NctId { get; set; }

    /// <summary>When a sync (or a snapshot load) last saw the study.</summary>
    public DateTimeOffset LastSyncedAt { get; set; }

    /// <summary>The sync run (of any kind) that last saw this study.</summary>
    public long? LastSeenRunId { get; set; }

    /// <summary>
    /// Consecutive complete full reconciliations that did not see this study; it is delisted when this
    /// reaches <c>Sync:MissesBeforeDelisting</c>. Reset by the next full run that sees it.
    /// </summary>
    public int FullRunMisses { get; set; }
}
