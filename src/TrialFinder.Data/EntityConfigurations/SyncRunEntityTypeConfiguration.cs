using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFinder.Core.SyncRuns;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class SyncRunEntityTypeConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.ToTable("sync_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Kind).HasConversion(kind => kind.Stored(), stored => SyncKinds.Names.Parse(stored)).HasMaxLength(20);
        builder.Property(r => r.Outcome).HasConversion(outcome => outcome.Stored(), stored => SyncOutcomes.Names.Parse(stored)).HasMaxLength(20);
        builder.Property(r => r.Lease).IsConcurrencyToken();
        builder.Ignore(r => r.IsResumable);
        builder.Ignore(r => r.Duration);
        builder.HasMany(r => r.Errors).WithOne().HasForeignKey(e => e.SyncRunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.Kind, r.StartedAt });

        // Every search asks whether a sync is writing (CatalogVersionQuery): the unfinished runs, usually none.
        builder.HasIndex(r => r.LastProgressAt).HasFilter("finished_at IS NULL").HasDatabaseName("ix_sync_runs_unfinished");
        // And every page when a run last finished (CatalogVersionQuery): one step down this index, not a scan of every
        // run the catalogue has had (one an hour, for years).
        builder.HasIndex(r => r.FinishedAt).HasDatabaseName("ix_sync_runs_finished_at");
    }
}

internal sealed class SyncRunSightingEntityTypeConfiguration : IEntityTypeConfiguration<SyncRunSighting>
{
    public void Configure(EntityTypeBuilder<SyncRunSighting> builder)
    {
        builder.ToTable("sync_run_sightings");
        builder.HasKey(x => new { x.SyncRunId, x.NctId });
        builder.HasOne<SyncRun>().WithMany().HasForeignKey(x => x.SyncRunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncErrorEntityTypeConfiguration : IEntityTypeConfiguration<SyncError>
{
    public void Configure(EntityTypeBuilder<SyncError> builder)
    {
        builder.ToTable("sync_errors");
        builder.HasKey(e => e.Id);
    }
}
