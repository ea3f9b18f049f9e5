using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Places;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;

namespace TrialFinder.Data;

/// <summary>The one database context of the product: catalogue, sync runs and (later) users' data.</summary>
public class TrialFinderDbContext(DbContextOptions<TrialFinderDbContext> options) : DbContext(options)
{
    public DbSet<Study> Studies => Set<Study>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<StudyChange> StudyChanges => Set<StudyChange>();
    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();
    public DbSet<SyncError> SyncErrors => Set<SyncError>();
    public DbSet<Place> Places => Set<Place>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasPostgresExtension("cube");
        modelBuilder.HasPostgresExtension("earthdistance");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TrialFinderDbContext).Assembly);
    }
}
