using Microsoft.EntityFrameworkCore;

namespace TrialFinder.Data.Search;

public static class CatalogVersionQuery
{
    /// <summary>
    /// The catalogue's version: moved on by every committed write to studies or sites (a trigger, see the
    /// CatalogVersion migration), so anything computed from the catalogue can be cached under it.
    /// </summary>
    public static Task<long> ReadCatalogVersionAsync(this TrialFinderDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<long>("SELECT version AS \"Value\" FROM catalog_version").SingleAsync(cancellationToken);
}
