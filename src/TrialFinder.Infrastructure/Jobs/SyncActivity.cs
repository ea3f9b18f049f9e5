using Hangfire;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Data.SyncRuns;

namespace TrialFinder.Infrastructure.Jobs;

/// <summary>
/// Whether a sync is running or waiting to run: the advisory lock as pg_locks shows it, then Hangfire's
/// queue. It only looks: taking the lock, even for a moment, could turn away a scheduled sync.
/// </summary>
public sealed class SyncActivity(TrialFinderDbContext db, JobStorage storage)
{
    public async Task<bool> IsBusyAsync(CancellationToken cancellationToken)
    {
        if (await SyncLock.IsHeldAsync(db.Database.GetDbConnection(), cancellationToken))
        {
            return true;
        }

        var monitoring = storage.GetMonitoringApi();
        return monitoring.Queues().Any(queue => monitoring.EnqueuedJobs(queue.Name, 0, 100).Any(job => IsSync(job.Value.Job)))
               || monitoring.ProcessingJobs(0, 100).Any(job => IsSync(job.Value.Job));
    }

    /// <summary>Re-reads of stored studies are sync jobs too (they hold the lock) but never stand in the way of starting a sync.</summary>
    private static bool IsSync(Hangfire.Common.Job? job) =>
        job?.Type == typeof(ISyncJobs) && job.Method.Name is not (nameof(ISyncJobs.ReclassifyAsync) or nameof(ISyncJobs.RereadStaleAsync));

    /// <summary>The run that is going on now (its row says running and its process holds the lock).</summary>
    public async Task<SyncRun?> RunningAsync(CancellationToken cancellationToken)
    {
        var run = await db.SyncRuns.AsNoTracking()
            .Where(r => r.Outcome == SyncOutcome.Running && r.Kind != SyncKind.Snapshot)
            .OrderByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return null;
        }

        return await SyncLock.IsHeldAsync(db.Database.GetDbConnection(), cancellationToken) ? run : null;
    }
}
