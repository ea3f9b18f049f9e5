using TrialFinder.Core.SyncRuns;

namespace TrialFinder.Sync.Syncing;

public sealed record SyncRunSummary(
    long RunId, SyncKind Kind, SyncOutcome Outcome, int Pages, int Seen, int Inserted, int Updated, int Unchanged,
    int Delisted, int Failed, string? Message, TimeSpan? Duration)
{
    public static SyncRunSummary From(SyncRun run) => new(
        run.Id, run.Kind, run.Outcome, run.Pages, run.Seen, run.Inserted, run.Updated, run.Unchanged,
        run.Delisted, run.Failed, run.Message, run.Duration);

    public bool Succeeded => Outcome == SyncOutcome.Succeeded;

    public override string ToString() =>
        $"{Kind.Stored()} sync #{RunId} {Outcome.Stored()}: {Pages} pages, {Seen} studies seen, {Inserted} new, {Updated} updated, " +
        $"{Unchanged} unchanged, {Delisted} delisted, {Failed} failed" +
        (Duration is { } d ? $" in {d.TotalSeconds:0.0}s" : "") +
        (Message is null ? "" : $" — {Message}");
}
