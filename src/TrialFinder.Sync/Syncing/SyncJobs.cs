using Hangfire;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Sync.Catalog;

namespace TrialFinder.Sync.Syncing;

/// <summary>
/// The Hangfire jobs: thin entry points that send the sync commands. Web enqueues them, Workers run them.
/// A job is never lost: one that finds another sync running, or whose run fails, schedules its own retry
/// after the next of <c>Sync:RetryDelaysSeconds</c> (the failed run then resumes from its checkpoint).
/// Hangfire's own retries are off, so that exactly one retry is ever pending for a job.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class SyncJobs(IMediator mediator, IBackgroundJobClient jobs, IOptions<SyncOptions> options, ILogger<SyncJobs> logger)
{
    public const string IncrementalJobId = "sync-incremental";
    public const string FullJobId = "sync-full";

    public Task RunIncrementalAsync(CancellationToken cancellationToken) =>
        RunAsync(RunSync.Command.Incremental(), attempt: 0, cancellationToken);

    public Task RunFullAsync(CancellationToken cancellationToken) =>
        RunAsync(RunSync.Command.Full(), attempt: 0, cancellationToken);

    public Task RefreshAsync(string[] nctIds, CancellationToken cancellationToken) =>
        RunAsync(RunSync.Command.Refresh(nctIds), attempt: 0, cancellationToken);

    /// <summary>A retry of an incremental, full or refresh sync that was busy or failed.</summary>
    public Task RetryAsync(string kind, string[] nctIds, int attempt, CancellationToken cancellationToken) =>
        RunAsync(new RunSync.Command(kind, nctIds), attempt, cancellationToken);

    public async Task ReclassifyAsync(CancellationToken cancellationToken) => await ReclassifyAsync(0, cancellationToken);

    public async Task ReclassifyAsync(int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await mediator.Send(new ReclassifyStudies.Command(), cancellationToken);
        }
        catch (SyncAlreadyRunningException)
        {
            ScheduleRetry("re-classification", attempt, delay => jobs.Schedule<SyncJobs>(j => j.ReclassifyAsync(attempt + 1, CancellationToken.None), delay));
        }
    }

    private async Task RunAsync(RunSync.Command command, int attempt, CancellationToken cancellationToken)
    {
        SyncRunSummary summary;
        try
        {
            summary = await mediator.Send(command, cancellationToken);
        }
        catch (SyncAlreadyRunningException)
        {
            ScheduleRetry($"{command.Kind} sync (another sync is running)", attempt, delay => ScheduleSync(command, attempt, delay));
            return;
        }

        if (summary.Outcome == SyncOutcomes.Failed)
        {
            ScheduleRetry($"{command.Kind} sync (run #{summary.RunId} failed)", attempt, delay => ScheduleSync(command, attempt, delay));
            throw new InvalidOperationException(summary.ToString());
        }
    }

    private string ScheduleSync(RunSync.Command command, int attempt, TimeSpan delay)
    {
        var nctIds = command.NctIds.ToArray();
        return jobs.Schedule<SyncJobs>(j => j.RetryAsync(command.Kind, nctIds, attempt + 1, CancellationToken.None), delay);
    }

    private void ScheduleRetry(string what, int attempt, Func<TimeSpan, string> schedule)
    {
        var delays = options.Value.RetryDelaysSeconds;
        if (attempt >= delays.Count)
        {
            logger.LogError("The {What} was tried {Attempts} times; no more retries until its next schedule", what, attempt + 1);
            return;
        }

        var delay = TimeSpan.FromSeconds(delays[attempt]);
        var jobId = schedule(delay);
        logger.LogWarning("The {What}: retry {Retry} scheduled in {Delay} as job {JobId}", what, attempt + 1, delay, jobId);
    }
}
