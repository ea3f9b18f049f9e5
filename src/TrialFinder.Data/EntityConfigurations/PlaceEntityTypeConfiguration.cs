using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFinder.Core.Places;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class PlaceEntityTypeConfiguration : IEntityTypeConfiguration<Place>
{
    public void Configure(EntityTypeBuilder<Place> builder)
    {
        builder.ToTable("places");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Kind).HasConversion(kind => kind.Stored(), stored => PlaceKinds.Names.Parse(stored)).HasMaxLength(20);
        builder.Property(p => p.CountryCode).HasMaxLength(2);
        builder.HasIndex(p => p.SearchKey).HasOperators("text_pattern_ops");
        builder.HasIndex(p => new { p.CountryCode, p.PostalCode });
    }
}
