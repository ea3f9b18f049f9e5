using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class StudyChangeEntityTypeConfiguration : IEntityTypeConfiguration<StudyChange>
{
    public void Configure(EntityTypeBuilder<StudyChange> builder)
    {
        builder.ToTable("study_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Kind).HasMaxLength(40);
        builder.HasOne<Study>().WithMany().HasForeignKey(c => c.NctId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.NctId, c.DetectedAt });
    }
}
