namespace TrialFinder.Core.Studies;

/// <summary>
/// One pass of the current classifier and criteria extractor over stored studies: automatic (only the studies read
/// with another <see cref="StudyReading"/> version) or asked for by an admin (every study). Its counts grow batch by
/// batch, so a pass stopped by a crash shows how far it got; the next pass takes up the studies it left.
/// </summary>
public sealed class Reread
{
    public long Id { get; set; }
    public required string ReadingVersion { get; set; }

    /// <summary>True when only studies read with another version were re-read.</summary>
    public bool OnlyStale { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int Studies { get; set; }

    /// <summary>Studies whose tags changed (each got one change record).</summary>
    public int Changed { get; set; }
}
