using Hangfire;
using Microsoft.Extensions.Caching.Memory;
using Hangfire.Storage;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Data.Rereads;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Infrastructure.Registry;

namespace TrialFinder.Web.Features.Admin;

/// <summary>The admin console: catalogue size, recent runs with their errors, schedules, registry freshness, re-reads, audit.</summary>
public static class AdminDashboard
{
    public sealed record Query : IRequest<Model>;

    public sealed record Model(
        IReadOnlyList<CountRow> ByDisease,
        IReadOnlyList<CountRow> ByStatus,
        int Listed,
        int Delisted,
        IReadOnlyList<RunRow> Runs,
        SyncProgress.Model Progress,
        IReadOnlyList<ScheduleRow> Schedules,
        string? RegistryDataTimestamp,
        string? RegistryProblem,
        DateTimeOffset? LastSuccessfulSync,
        DateTimeOffset? LastCompleteReconciliation,
        DateOnly? SnapshotTakenOn,
        IReadOnlyList<string> Queries,
        IReadOnlyList<AuditRow> Audit,
        Reading Reading);

    public sealed record CountRow(string Key, int Count);

    public sealed record RunRow(long Id, string Kind, string Outcome, DateTimeOffset StartedAt, TimeSpan? Duration, int Pages, int Seen,
        int Inserted, int Updated, int Unchanged, int Delisted, int Failed, string? Message, IReadOnlyList<ErrorRow> Errors,
        int DelistingsWithheld, string? DelistingSkippedReason);

    public sealed record ErrorRow(string? NctId, int? Page, string? Query, string Message);

    public sealed record ScheduleRow(string Id, string Cron, DateTime? NextRun, DateTime? LastRun, string? LastState);

    /// <summary>The reading version of this build, how many studies still wait for a re-read with it, and the last re-read.</summary>
    public sealed record Reading(string Version, int Waiting, RereadRow? LastReread);

    public sealed record RereadRow(long Id, string ReadingVersion, bool OnlyStale, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int Studies, int Changed);

    public sealed record AuditRow(DateTimeOffset At, string UserEmail, string Action, string? Details, string Result);

    public sealed class Handler(
        TrialFinderDbContext db, JobStorage storage, IClinicalTrialsApi registry, IOptions<SyncOptions> syncOptions, IOptions<RegistryOptions> registryOptions,
        SyncActivity activity, TimeProvider clock,
        Microsoft.Extensions.Caching.Memory.IMemoryCache cache)
        : IRequestHandler<Query, Model>
    {
        public async ValueTask<Model> Handle(Query query, CancellationToken cancellationToken)
        {
            var listed = db.Studies.Where(s => s.IsListed);
            var diseaseTags = await listed.Select(s => s.Diseases).ToListAsync(cancellationToken);
            var diseases = diseaseTags
                .SelectMany(tags => tags.Count == 0 ? ["none"] : tags)
                .GroupBy(tag => tag)
                .Select(g => new CountRow(g.Key, g.Count()))
                .ToList();

            var statuses = (await listed.GroupBy(s => s.OverallStatus).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
                .Select(g => new CountRow(g.Key, g.Count)).OrderByDescending(r => r.Count).ToList();
            var runs = await db.SyncRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(15)
                .Select(r => new
                {
                    Run = r,
                    Errors = db.SyncErrors.Where(e => e.SyncRunId == r.Id).OrderBy(e => e.Id).Take(10)
                        .Select(e => new ErrorRow(e.NctId, e.Page, e.Query, e.Message)).ToList(),
                })
                .ToListAsync(cancellationToken);
            var audit = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Take(20)
                .Select(a => new AuditRow(a.At, a.UserEmail, a.Action, a.Details, a.Result)).ToListAsync(cancellationToken);
            var lastSuccess = await db.SyncRuns
                .Where(r => r.Outcome == SyncOutcome.Succeeded && r.Kind != SyncKind.Snapshot)
                .MaxAsync(r => r.FinishedAt, cancellationToken);
            var lastComplete = await db.LastCompleteReconciliationAsync(cancellationToken);
            var snapshotTakenOn = await db.SyncRuns
                .Where(r => r.Kind == SyncKind.Snapshot && r.Outcome == SyncOutcome.Succeeded)
                .OrderByDescending(r => r.Id)
                .Select(r => r.SnapshotTakenOn)
                .FirstOrDefaultAsync(cancellationToken);

            var waitingForReread = await db.Studies.ReadWithAnotherVersion().CountAsync(cancellationToken);
            var lastReread = await db.Rereads.AsNoTracking().OrderByDescending(r => r.Id)
                .Select(r => new RereadRow(r.Id, r.ReadingVersion, r.OnlyStale, r.StartedAt, r.FinishedAt, r.Studies, r.Changed))
                .FirstOrDefaultAsync(cancellationToken);

            List<ScheduleRow> schedules;
            using (var connection = storage.GetConnection())
            {
                schedules = connection.GetRecurringJobs()
                    .Select(j => new ScheduleRow(j.Id, j.Cron, j.NextExecution, j.LastExecution, j.LastJobState))
                    .ToList();
            }

            (string? dataTimestamp, string? problem) = await cache.GetOrCreateAsync<(string?, string?)>("registry-version", async entry =>
            {
                // The registry refreshes its data once a working day; asking every page load would only add latency.
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(3));
                    return ((string?)(await registry.GetVersionAsync(timeout.Token)).DataTimestamp, (string?)null);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
                    return (null, exception.Message);
                }
            });

            return new Model(
                diseases.OrderByDescending(d => d.Count).ToList(), statuses,
                await listed.CountAsync(cancellationToken), await db.Studies.CountAsync(s => !s.IsListed, cancellationToken),
                runs.Select(x => new RunRow(x.Run.Id, x.Run.Kind.Stored(), x.Run.Outcome.Stored(), x.Run.StartedAt, x.Run.Duration, x.Run.Pages, x.Run.Seen,
                    x.Run.Inserted, x.Run.Updated, x.Run.Unchanged, x.Run.Delisted, x.Run.Failed, x.Run.Message, x.Errors,
                    x.Run.DelistingsWithheld, x.Run.DelistingSkippedReason)).ToList(),
                await SyncProgress.ReadAsync(activity, clock, registryOptions.Value, cancellationToken),
                schedules, dataTimestamp, problem, lastSuccess, lastComplete?.FinishedAt, snapshotTakenOn, syncOptions.Value.Queries, audit,
                new Reading(StudyReading.CurrentVersion, waitingForReread, lastReread));
        }
    }
}
