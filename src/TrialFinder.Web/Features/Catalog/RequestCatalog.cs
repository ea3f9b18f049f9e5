using TrialFinder.Data;
using TrialFinder.Data.Search;

namespace TrialFinder.Web.Features.Catalog;

/// <summary>
/// The catalogue's state as a request sees it, read once: a results page's search and its header line share one query.
/// Scoped to the request, as is the database context it reads with.
/// </summary>
public sealed class RequestCatalog(TrialFinderDbContext db)
{
    private Task<CurrentCatalog>? _current;

    public Task<CurrentCatalog> ReadAsync(CancellationToken cancellationToken) =>
        _current ??= db.ReadCurrentCatalogAsync(cancellationToken);
}
