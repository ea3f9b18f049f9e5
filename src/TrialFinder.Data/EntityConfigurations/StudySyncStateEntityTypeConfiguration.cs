using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class StudySyncStateEntityTypeConfiguration : IEntityTypeConfiguration<StudySyncState>
{
    public void Configure(EntityTypeBuilder<StudySyncState> builder)
    {
        builder.ToTable("study_sync_states");
        builder.HasKey(s => s.NctId);
        builder.Property(s => s.NctId).HasMaxLength(11);
        // Half of each page left free, so that a sync's write of a row finds room beside it: an update in place
        // (HOT), without a new entry in the key's index.
        builder.HasStorageParameter("fillfactor", 50);
    }
}
