using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.SyncRuns;

namespace TrialFinder.Data.SyncRuns;

/// <summary>
/// The one rule for "the catalogue is complete": a full reconciliation has succeeded since the last
/// snapshot import. Until then the site says it shows a snapshot, and every scheduled sync is a full one,
/// because an incremental sync would only add what changed lately.
/// </summary>
public static class CatalogCompleteness
{
    /// <summary>The newest full reconciliation that succeeded after the last snapshot import, or null.</summary>
    public static Task<SyncRun?> LastCompleteReconciliationAsync(this TrialFinderDbContext db, CancellationToken cancellationToken) =>
        db.SyncRuns.AsNoTracking()
            .Where(r => r.Kind == SyncKind.Full && r.Outcome == SyncOutcome.Succeeded
                && !db.SyncRuns.Any(later => later.Kind == SyncKind.Snapshot && later.Outcome == SyncOutcome.Succeeded && later.Id > r.Id))
            .OrderByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
}
