using Microsoft.EntityFrameworkCore;

namespace TrialFinder.Data.Search;

/// <summary>
/// The catalogue's version, moved on by every committed write to studies or sites (a trigger, see the CatalogVersion
/// migration), so anything computed from the catalogue can be cached under it; whether a sync is writing pages now
/// (a run not finished whose last page committed within <see cref="CatalogVersionQuery.SyncWritingWithin"/>), when
/// the version moves on every page; and the newest sync run and when a run last finished, which the header's
/// catalogue line is cached under.
/// </summary>
public sealed record CurrentCatalog(long Version, bool SyncWriting, long? LastRunId = null, DateTimeOffset? LastRunFinishedAt = null);

public static class CatalogVersionQuery
{
    /// <summary>
    /// How recently an unfinished run must have committed a page to count as writing: a run whose worker died stops
    /// counting after this, so the site never treats the catalogue as being rewritten for long after a crash.
    /// </summary>
    public static readonly TimeSpan SyncWritingWithin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The channel on which every committed write to the catalogue or to sync runs is announced (NOTIFY, from the
    /// triggers of the CatalogChangeNotices migration), so a reader may keep <see cref="CurrentCatalog"/> until then.
    /// </summary>
    public const string ChangeChannel = "catalog_changed";

    /// <summary>Whether the database announces changes (the CatalogChangeNotices migration has run).</summary>
    public const string AnnouncesChangesQuery = "SELECT to_regproc('announce_catalog_change') IS NOT NULL";

    /// <summary>One small statement, each part from an index (runs accumulate, one an hour).</summary>
    public static Task<CurrentCatalog> ReadCurrentCatalogAsync(this TrialFinderDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<CurrentCatalog>($"""
            SELECT v.version,
                   EXISTS (SELECT 1 FROM sync_runs r
                           WHERE r.finished_at IS NULL AND r.last_progress_at > now() - {SyncWritingWithin}) AS sync_writing,
                   (SELECT max(r.id) FROM sync_runs r) AS last_run_id,
                   (SELECT max(r.finished_at) FROM sync_runs r) AS last_run_finished_at
            FROM catalog_version v
            """).SingleAsync(cancellationToken);
}
