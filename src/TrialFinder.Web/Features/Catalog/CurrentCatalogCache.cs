using TrialFinder.Data;
using TrialFinder.Data.Search;

namespace TrialFinder.Web.Features.Catalog;

public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>
    /// Whether the site listens for the database's notice of each catalogue change (LISTEN) and meanwhile keeps the
    /// catalogue's version in memory; off, every page and search reads it (behind a connection pooler in transaction
    /// mode, which does not carry LISTEN).
    /// </summary>
    public bool ListenForChanges { get; set; } = true;
}

/// <summary>
/// The catalogue's version and sync state (<see cref="CurrentCatalog"/>), which every page and every search asks for.
/// While <see cref="CatalogChangeListener"/> listens, the last one read is kept until the database announces a change
/// (the writer's own commit sends the notice), so a repeated search or a page's header costs no query; otherwise,
/// and while a sync is writing, each request reads it. A kept version is read again after <see cref="LongestKept"/>
/// anyway: a setup that swallows notices unnoticed (a pooler in transaction mode, reads from a lagging standby) is
/// then at most that much behind.
/// </summary>
public sealed class CurrentCatalogCache(TimeProvider clock)
{
    public static readonly TimeSpan LongestKept = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private CurrentCatalog? _kept;
    private DateTimeOffset _keptAt;
    private long _notices;
    private bool _listening;

    /// <summary>Whether changes are being heard now, so a kept version can be trusted.</summary>
    public bool IsListening
    {
        get
        {
            lock (_gate)
            {
                return _listening;
            }
        }
    }

    public Task<CurrentCatalog> ReadAsync(TrialFinderDbContext db, CancellationToken cancellationToken) =>
        ReadAsync(db.ReadCurrentCatalogAsync, cancellationToken);

    public async Task<CurrentCatalog> ReadAsync(Func<CancellationToken, Task<CurrentCatalog>> read, CancellationToken cancellationToken)
    {
        long noticesBefore;
        lock (_gate)
        {
            if (_listening && _kept is { } kept && clock.GetUtcNow() - _keptAt < LongestKept)
            {
                return kept;
            }

            noticesBefore = _notices;
        }

        var readAt = clock.GetUtcNow();
        var current = await read(cancellationToken);
        lock (_gate)
        {
            // A notice that came while reading may announce a change the read did not see; and whether a sync still
            // counts as writing is a matter of time (CatalogVersionQuery.SyncWritingWithin), which no notice announces.
            if (_listening && _notices == noticesBefore && !current.SyncWriting)
            {
                _kept = current;
                _keptAt = readAt;
            }
        }

        return current;
    }

    /// <summary>The database announced a committed change.</summary>
    public void Changed()
    {
        lock (_gate)
        {
            _notices++;
            _kept = null;
        }
    }

    /// <summary>Changes are heard from now on, or no longer (a change may have gone unheard either way).</summary>
    public void Listening(bool listening)
    {
        lock (_gate)
        {
            _listening = listening;
            _notices++;
            _kept = null;
        }
    }
}
