using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class StudyEntityTypeConfiguration : IEntityTypeConfiguration<Study>
{

    public void Configure(EntityTypeBuilder<Study> builder)
    {
        builder.ToTable("studies");
        builder.HasKey(s => s.NctId);
        builder.Property(s => s.NctId).HasMaxLength(11);
        builder.Property(s => s.OverallStatus).HasMaxLength(40);
        builder.Property(s => s.MinimumAgeYears).HasPrecision(9, 4);
        builder.Property(s => s.MaximumAgeYears).HasPrecision(9, 4);
        builder.Property(s => s.RawJson).HasColumnType("jsonb");
        builder.Property(s => s.ContentHash).HasMaxLength(64);
        builder.Property(s => s.Source).HasConversion(source => source.Stored(), stored => StudySources.Names.Parse(stored)).HasMaxLength(20);
        builder.Property(s => s.SnapshotStatusSourceTitle).HasMaxLength(500);
        builder.Property(s => s.SnapshotStatusSourceUrl).HasMaxLength(2000);
        builder.Property(s => s.ReadingVersion).HasMaxLength(40);

        builder.OwnsMany(s => s.Interventions, interventions => interventions.ToJson());
        builder.Ignore(s => s.ArmGroups);
        builder.OwnsMany(s => s.TagEvidence, evidence => evidence.ToJson());
        builder.OwnsMany(s => s.EligibilityFacts, facts => facts.ToJson());

        builder.HasMany(s => s.Sites).WithOne().HasForeignKey(site => site.NctId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.SyncState).WithOne().HasForeignKey<StudySyncState>(state => state.NctId).OnDelete(DeleteBehavior.Cascade);

        // A search first picks the studies that match its filters; this index carries every filtered column, so at
        // registry scale that pick is an index-only scan instead of a visit to each wide study row (116 → 10 ms
        // for 21,000 of 100,000 studies).
        builder.HasIndex(s => s.OverallStatus).IncludeProperties(s => new
        {
            s.NctId, s.IsListed, s.MinimumAgeYears, s.MaximumAgeYears, s.TherapyTypes, s.Diseases, s.NetSubtypes,
            s.TakesRefractory, s.Phases, s.LastUpdatePostedOn,
        });

        // A text search intersects its matches with the listed studies of the chosen statuses. The covering index
        // above is too wide to build that bitmap cheaply (34,663 entries of 100,000 studies: 9.4 ms); this one
        // carries the status alone.
        builder.HasIndex(s => s.OverallStatus, "ix_studies_listed_status").HasFilter("is_listed").HasDatabaseName("ix_studies_listed_status");

        // In the order of a search without a place, so its first page is read from the top of the index.
        builder.HasIndex(s => new { s.LastUpdatePostedOn, s.NctId })
            .IsDescending(true, false)
            .HasNullSortOrder(NullSortOrder.NullsLast, NullSortOrder.NullsLast)
            .HasDatabaseName("ix_studies_last_update_posted_on");
        builder.HasIndex(s => s.TherapyTypes).HasMethod("gin");
        builder.HasIndex(s => s.Diseases).HasMethod("gin");

        // Free text: words through search_vector (a tsvector kept from search_text by a trigger, GIN-indexed),
        // parts of titles through a trigram index; parts of NCT ids through a trigram index on lower(nct_id), an
        // expression so that the planner never prefers it to the primary key for id look-ups. The column, its
        // trigger and the expression index are made by the FullTextSearch migration; EF never writes them.
        builder.HasIndex(s => s.BriefTitle).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_studies_brief_title_trgm");
    }
}
