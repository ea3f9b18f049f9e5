using Hangfire;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Sync.Catalog;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Infrastructure.Jobs;

namespace TrialFinder.Sync.Syncing;

/// <summary>
/// The Hangfire jobs (<see cref="ISyncJobs"/>): thin entry points that send the sync commands. Web enqueues them, Workers run them.
/// A job is never lost: one that finds another sync running, whose run fails, or that stops with an error (the
/// database went away before the run could record its end) schedules its own retry after the next of
/// <c>Sync:RetryDelaysSeconds</c> (the unfinished run then resumes from its checkpoint).
/// Hangfire's own retries are off (on <see cref="ISyncJobs"/>), so that exactly one retry is ever pending for a job.
/// </summary>
public sealed class SyncJobs(IMediator mediator, IBackgroundJobClient jobs, IOptions<SyncOptions> options, ILogger<SyncJobs> logger) : ISyncJobs
{
    public const string IncrementalJobId = "sync-incremental";
    public const string FullJobId = "sync-full";

    /// <summary>Attempts to schedule a retry while job storage is unreachable: waits of 2, 4, 6, 8 and 10 s between them.</summary>
    private const int SchedulingTries = 6;

    public Task RunIncrementalAsync(CancellationToken cancellationToken) =>
        RunAsync(RunSync.Command.Incremental(), attempt: 0, cancellationToken);

    public Task RunFullAsync(CancellationToken cancellationToken) =>
        RunAsync(RunSync.Command.Full(), attempt: 0, cancellationToken);

    public Task RefreshAsync(string[] nctIds, CancellationToken cancellationToken) =>
        RunAsync(RunSync.Command.Refresh(nctIds), attempt: 0, cancellationToken);

    /// <summary>A retry of an incremental, full or refresh sync that was busy or failed.</summary>
    public Task RetryAsync(string kind, string[] nctIds, int attempt, CancellationToken cancellationToken) =>
        SyncKinds.Names.TryParse(kind, out var syncKind)
            ? RunAsync(new RunSync.Command(syncKind, nctIds), attempt, cancellationToken)
            : throw new ArgumentException($"Unknown sync kind '{kind}'.", nameof(kind));

    public async Task ReclassifyAsync(CancellationToken cancellationToken) => await ReclassifyAsync(0, cancellationToken);

    public async Task ReclassifyAsync(int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await mediator.Send(new ReclassifyStudies.Command(), cancellationToken);
        }
        catch (SyncAlreadyRunningException)
        {
            await ScheduleRetryAsync("re-classification", attempt,
                delay => jobs.Schedule<ISyncJobs>(j => j.ReclassifyAsync(attempt + 1, CancellationToken.None), delay), cancellationToken);
        }
    }

    public async Task RereadStaleAsync(string readingVersion, int attempt, CancellationToken cancellationToken)
    {
        string Retry(TimeSpan delay) => jobs.Schedule<ISyncJobs>(j => j.RereadStaleAsync(readingVersion, attempt + 1, CancellationToken.None), delay);
        if (readingVersion != StudyReading.CurrentVersion)
        {
            // During a rolling upgrade an older worker may take the job a newer one enqueued: reading with its own
            // rules would undo the upgrade's reading, so it leaves the job to a worker of that version.
            await ScheduleRetryAsync($"re-read for reading version {readingVersion} (this worker reads {StudyReading.CurrentVersion})", attempt, Retry, cancellationToken);
            return;
        }

        try
        {
            await mediator.Send(new ReclassifyStudies.Command(OnlyStale: true), cancellationToken);
        }
        catch (SyncAlreadyRunningException)
        {
            await ScheduleRetryAsync("re-read of older-read studies (a sync is running)", attempt, Retry, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The batches it committed are kept; the retry takes up the studies left.
            await ScheduleRetryAsync($"re-read of older-read studies (stopped by {exception.GetType().Name}: {exception.Message})", attempt, Retry, cancellationToken);
            throw;
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
            await ScheduleRetryAsync($"{command.Kind.Stored()} sync (another sync is running)", attempt, delay => ScheduleSync(command, attempt, delay), cancellationToken);
            return;
        }
        catch (Exception exception) when (exception is not ArgumentException
                                          && (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            // The run could not even record how it ended (its database went away mid-page, say); it is still
            // resumable, and without a retry nothing would resume it before the next schedule.
            await ScheduleRetryAsync($"{command.Kind.Stored()} sync (stopped by {exception.GetType().Name}: {exception.Message})", attempt,
                delay => ScheduleSync(command, attempt, delay), cancellationToken);
            throw;
        }

        if (summary.Outcome == SyncOutcome.Failed)
        {
            await ScheduleRetryAsync($"{command.Kind.Stored()} sync (run #{summary.RunId} failed)", attempt, delay => ScheduleSync(command, attempt, delay), cancellationToken);
            throw new InvalidOperationException(summary.ToString());
        }
    }

    private string ScheduleSync(RunSync.Command command, int attempt, TimeSpan delay)
    {
        var nctIds = command.NctIds.ToArray();
        return jobs.Schedule<ISyncJobs>(j => j.RetryAsync(command.Kind.Stored(), nctIds, attempt + 1, CancellationToken.None), delay);
    }

    /// <summary>
    /// Schedules the next retry. Job storage lives in the product's database, so when that database is what failed
    /// (a restart, a failover) scheduling is tried again for about half a minute before the retry is given up.
    /// </summary>
    private async Task ScheduleRetryAsync(string what, int attempt, Func<TimeSpan, string> schedule, CancellationToken cancellationToken)
    {
        var delays = options.Value.RetryDelaysSeconds;
        if (attempt >= delays.Count)
        {
            logger.LogError("The {What} was tried {Attempts} times; no more retries until its next schedule", what, attempt + 1);
            return;
        }

        var delay = TimeSpan.FromSeconds(delays[attempt]);
        for (var tries = 1; ; tries++)
        {
            try
            {
                var jobId = schedule(delay);
                logger.LogWarning("The {What}: retry {Retry} scheduled in {Delay} as job {JobId}", what, attempt + 1, delay, jobId);
                return;
            }
            catch (Exception exception) when (tries < SchedulingTries && exception is not OperationCanceledException)
            {
                logger.LogWarning("The {What}: its retry could not be scheduled yet ({Error}); trying again", what, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(2 * tries), cancellationToken);
            }
        }
    }
}
