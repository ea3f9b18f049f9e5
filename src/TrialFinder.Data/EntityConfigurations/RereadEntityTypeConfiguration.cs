using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class RereadEntityTypeConfiguration : IEntityTypeConfiguration<Reread>
{
    public void Configure(EntityTypeBuilder<Reread> builder)
    {
        builder.ToTable("rereads");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ReadingVersion).HasMaxLength(40);
        builder.HasIndex(r => r.StartedAt);
    }
}
