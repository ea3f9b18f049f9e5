using Hangfire;

namespace TrialFinder.Infrastructure.Jobs;

/// <summary>
/// The sync jobs as Hangfire stores them: the site enqueues them by this interface (it knows nothing of
/// how a sync runs), the worker runs them with its implementation (<c>TrialFinder.Sync.Syncing.SyncJobs</c>).
/// Hangfire's own retries are off (here, where it reads the filters of a job stored by interface): a job
/// schedules its own single retry instead.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public interface ISyncJobs
{
    Task RunIncrementalAsync(CancellationToken cancellationToken);

    Task RunFullAsync(CancellationToken cancellationToken);

    Task RefreshAsync(string[] nctIds, CancellationToken cancellationToken);

    /// <summary>A retry of an incremental, full or refresh sync that was busy or failed.</summary>
    Task RetryAsync(string kind, string[] nctIds, int attempt, CancellationToken cancellationToken);

    Task ReclassifyAsync(CancellationToken cancellationToken);

    Task ReclassifyAsync(int attempt, CancellationToken cancellationToken);

    /// <summary>
    /// Re-reads the studies read with another version than <paramref name="readingVersion"/>, which must be the version of
    /// the worker that runs it (a worker of another version schedules it again, for one of that version).
    /// </summary>
    Task RereadStaleAsync(string readingVersion, int attempt, CancellationToken cancellationToken);
}
