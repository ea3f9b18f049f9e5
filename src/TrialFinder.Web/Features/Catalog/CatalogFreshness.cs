using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Catalog;

/// <summary>Which data the site shows: the shipped snapshot until a registry sync has succeeded.</summary>
public static class CatalogFreshness
{
    public sealed record Query : IRequest<Model>;

    public sealed record Model(DateTimeOffset? LastSyncAt, DateOnly? SnapshotTakenOn, int ListedStudies)
    {
        public bool IsSnapshot => LastSyncAt is null;
    }

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Query, Model>
    {
        public async ValueTask<Model> Handle(Query query, CancellationToken cancellationToken)
        {
            var lastSync = await db.SyncRuns
                .Where(r => r.Kind != SyncKinds.Snapshot && r.Outcome == SyncOutcomes.Succeeded)
                .MaxAsync(r => r.FinishedAt, cancellationToken);
            var snapshot = await db.SyncRuns
                .Where(r => r.Kind == SyncKinds.Snapshot && r.Outcome == SyncOutcomes.Succeeded)
                .OrderByDescending(r => r.Id)
                .Select(r => r.SnapshotTakenOn ?? DateOnly.FromDateTime(r.StartedAt.UtcDateTime))
                .FirstOrDefaultAsync(cancellationToken);
            var listed = await db.Studies.CountAsync(s => s.IsListed, cancellationToken);
            return new Model(lastSync, snapshot == default ? null : snapshot, listed);
        }
    }
}
