using Microsoft.EntityFrameworkCore;

namespace TrialFinder.Data.Search;

/// <summary>
/// The catalogue's version, moved on by every committed write to studies or sites (a trigger, see the CatalogVersion
/// migration), so anything computed from the catalogue can be cached under it; and whether a sync is writing pages now
/// (a run not finished whose last page committed within <see cref="CatalogVersionQuery.SyncWritingWithin"/>), when
/// the version moves on every page.
/// </summary>
public sealed record CurrentCatalog(long Version, bool SyncWriting);

public static class CatalogVersionQuery
{
    /// <summary>
    /// How recently an unfinished run must have committed a page to count as writing: a run whose worker died stops
    /// counting after this, so the site never treats the catalogue as being rewritten for long after a crash.
    /// </summary>
    public static readonly TimeSpan SyncWritingWithin = TimeSpan.FromMinutes(1);

    public static Task<CurrentCatalog> ReadCurrentCatalogAsync(this TrialFinderDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<CurrentCatalog>($"""
            SELECT v.version,
                   EXISTS (SELECT 1 FROM sync_runs r
                           WHERE r.finished_at IS NULL AND r.last_progress_at > now() - {SyncWritingWithin}) AS sync_writing
            FROM catalog_version v
            """).SingleAsync(cancellationToken);
}
