using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialFinder.Core.Studies;
using TrialFinder.Data;
using TrialFinder.Data.Rereads;
using TrialFinder.Infrastructure.Jobs;

namespace TrialFinder.Sync.Catalog;

/// <summary>
/// Asked by every worker as it starts: when stored studies were read with another version than this build's, enqueues
/// one re-read of them (<see cref="ISyncJobs.RereadStaleAsync"/>) unless one for this version is already waiting,
/// scheduled or running. Workers starting together decide under one Hangfire distributed lock, so they enqueue it once;
/// a duplicate that slipped through would find nothing left to read.
/// </summary>
public static class EnqueueStaleReread
{
    public sealed record Command : IRequest<Result>;

    /// <param name="Waiting">Studies read with another version.</param>
    /// <param name="JobId">The re-read job enqueued now, or the one already pending; null when nothing waits.</param>
    public sealed record Result(int Waiting, string? JobId, bool Enqueued);

    public sealed class Handler(TrialFinderDbContext db, JobStorage storage, IBackgroundJobClient jobs, ILogger<Handler> logger)
        : IRequestHandler<Command, Result>
    {
        private const string LockName = "trialfinder:enqueue-stale-reread";
        private const int ListedJobs = 1000;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var version = StudyReading.CurrentVersion;
            using var connection = storage.GetConnection();
            // Counted under the lock too: a re-read that another worker enqueued and that already finished leaves nothing.
            using (connection.AcquireDistributedLock(LockName, TimeSpan.FromMinutes(1)))
            {
                var waiting = await db.Studies.ReadWithAnotherVersion(version).CountAsync(cancellationToken);
                if (waiting == 0)
                {
                    return new Result(0, null, false);
                }

                if (PendingReread(storage.GetMonitoringApi(), version) is { } pending)
                {
                    logger.LogInformation("{Waiting} studies wait for a re-read with version {Version}; job {JobId} already will", waiting, version, pending);
                    return new Result(waiting, pending, false);
                }

                var jobId = jobs.Enqueue<ISyncJobs>(j => j.RereadStaleAsync(version, 0, CancellationToken.None));
                logger.LogInformation("{Waiting} studies were read with another version than {Version}: re-read enqueued as job {JobId}", waiting, version, jobId);
                return new Result(waiting, jobId, true);
            }
        }

        private static string? PendingReread(IMonitoringApi monitoring, string version) =>
            // A fetched job is on its way to Processing: listed neither as enqueued nor yet as processing.
            monitoring.Queues().SelectMany(queue => monitoring.EnqueuedJobs(queue.Name, 0, ListedJobs).Select(j => (j.Key, j.Value.Job))
                    .Concat(monitoring.FetchedJobs(queue.Name, 0, ListedJobs).Select(j => (j.Key, j.Value.Job))))
                .Concat(monitoring.ScheduledJobs(0, ListedJobs).Select(j => (j.Key, j.Value.Job)))
                .Concat(monitoring.ProcessingJobs(0, ListedJobs).Select(j => (j.Key, j.Value.Job)))
                .Where(j => IsRereadFor(j.Job, version))
                .Select(j => j.Key)
                .FirstOrDefault();

        private static bool IsRereadFor(Job? job, string version) =>
            job?.Type == typeof(ISyncJobs) && job.Method.Name == nameof(ISyncJobs.RereadStaleAsync) && job.Args.FirstOrDefault() as string == version;
    }
}
