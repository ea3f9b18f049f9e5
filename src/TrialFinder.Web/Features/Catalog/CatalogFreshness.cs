using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Data.SyncRuns;

namespace TrialFinder.Web.Features.Catalog;

/// <summary>
/// Which data the site shows: a snapshot until a full reconciliation with the registry has succeeded since
/// it was loaded (an incremental sync alone leaves most of the catalogue as the snapshot had it).
/// </summary>
public static class CatalogFreshness
{
    public sealed record Query : IRequest<Model>;

    /// <param name="LastSyncAt">The last successful registry sync, once the catalogue is complete; null until then.</param>
    public sealed record Model(DateTimeOffset? LastSyncAt, DateOnly? SnapshotTakenOn, int ListedStudies)
    {
        public bool IsSnapshot => LastSyncAt is null;
    }

    /// <summary>
    /// Every page shows this, so it is kept in memory under the newest sync run, when a run last finished and the
    /// catalogue's own version (<see cref="CurrentCatalogCache"/>): any run that starts or ends and any committed
    /// change to the catalogue give a new key, whichever process made it.
    /// </summary>
    public sealed class Handler(TrialFinderDbContext db, IMemoryCache cache, CurrentCatalogCache currentCatalog) : IRequestHandler<Query, Model>
    {
        public async ValueTask<Model> Handle(Query query, CancellationToken cancellationToken)
        {
            var catalog = await currentCatalog.ReadAsync(db, cancellationToken);
            var key = $"catalog-freshness:{catalog.LastRunId}/{catalog.LastRunFinishedAt?.UtcTicks}/{catalog.Version}";
            return (await cache.GetOrCreateAsync(key, async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1);
                return await ReadAsync(cancellationToken);
            }))!;
        }

        private async Task<Model> ReadAsync(CancellationToken cancellationToken)
        {
            var complete = await db.LastCompleteReconciliationAsync(cancellationToken);
            var lastSync = complete is null
                ? null
                : await db.SyncRuns
                    .Where(r => r.Kind != SyncKind.Snapshot && r.Outcome == SyncOutcome.Succeeded && r.Id >= complete.Id)
                    .MaxAsync(r => r.FinishedAt, cancellationToken);
            var snapshot = await db.SyncRuns
                .Where(r => r.Kind == SyncKind.Snapshot && r.Outcome == SyncOutcome.Succeeded)
                .OrderByDescending(r => r.Id)
                .Select(r => r.SnapshotTakenOn ?? DateOnly.FromDateTime(r.StartedAt.UtcDateTime))
                .FirstOrDefaultAsync(cancellationToken);
            var listed = await db.Studies.CountAsync(s => s.IsListed, cancellationToken);
            return new Model(lastSync, snapshot == default ? null : snapshot, listed);
        }
    }
}
