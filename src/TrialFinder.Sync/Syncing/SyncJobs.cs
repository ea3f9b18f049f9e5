using Hangfire;
using Mediator;
using Microsoft.Extensions.Logging;
using TrialFinder.Sync.Catalog;

namespace TrialFinder.Sync.Syncing;

/// <summary>
/// The Hangfire jobs: thin entry points that send the sync commands. Web enqueues them, Workers run
/// them. No automatic retries: the registry client retries requests itself, and an interrupted run
/// is resumed by the next one.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class SyncJobs(IMediator mediator, ILogger<SyncJobs> logger)
{
    public const string IncrementalJobId = "sync-incremental";
    public const string FullJobId = "sync-full";

    public Task RunIncrementalAsync(CancellationToken cancellationToken) => RunAsync(RunSync.Command.Incremental(), cancellationToken);

    public Task RunFullAsync(CancellationToken cancellationToken) => RunAsync(RunSync.Command.Full(), cancellationToken);

    public Task RefreshAsync(string[] nctIds, CancellationToken cancellationToken) =>
        RunAsync(RunSync.Command.Refresh(nctIds), cancellationToken);

    public async Task ReclassifyAsync(CancellationToken cancellationToken) =>
        await mediator.Send(new ReclassifyStudies.Command(), cancellationToken);

    private async Task RunAsync(RunSync.Command command, CancellationToken cancellationToken)
    {
        SyncRunSummary summary;
        try
        {
            summary = await mediator.Send(command, cancellationToken);
        }
        catch (SyncAlreadyRunningException)
        {
            logger.LogInformation("A {Kind} sync was due but another sync is running; skipped", command.Kind);
            return;
        }

        if (summary.Outcome == Core.SyncRuns.SyncOutcomes.Failed)
        {
            throw new InvalidOperationException(summary.ToString());
        }
    }
}
