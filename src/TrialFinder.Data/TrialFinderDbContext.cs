using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data.Accounts;
using TrialFinder.Data.Admin;
using TrialFinder.Data.Bookmarks;
using TrialFinder.Data.Search;
using TrialFinder.Core.Places;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;

namespace TrialFinder.Data;

/// <summary>
/// The one database context of the product: catalogue, sync runs, places, accounts and their data, and the
/// data-protection keys that every web instance shares (cookies, anti-forgery and account tokens).
/// </summary>
public class TrialFinderDbContext(DbContextOptions<TrialFinderDbContext> options) : IdentityDbContext<UserAccount>(options), IDataProtectionKeyContext
{
    public DbSet<Study> Studies => Set<Study>();
    public DbSet<StudySyncState> StudySyncStates => Set<StudySyncState>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<SiteLocation> SiteLocations => Set<SiteLocation>();
    public DbSet<StudyChange> StudyChanges => Set<StudyChange>();
    public DbSet<Reread> Rereads => Set<Reread>();
    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();
    public DbSet<SyncError> SyncErrors => Set<SyncError>();
    public DbSet<SyncRunSighting> SyncRunSightings => Set<SyncRunSighting>();
    public DbSet<Place> Places => Set<Place>();
    public DbSet<Bookmark> Bookmarks => Set<Bookmark>();
    public DbSet<BookmarkList> BookmarkLists => Set<BookmarkList>();
    public DbSet<SavedSearch> SavedSearches => Set<SavedSearch>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasPostgresExtension("cube");
        modelBuilder.HasPostgresExtension("earthdistance");
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TrialFinderDbContext).Assembly);
    }
}
