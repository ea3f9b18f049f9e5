using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFinder.Data.Search;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class SiteLocationEntityTypeConfiguration : IEntityTypeConfiguration<SiteLocation>
{
    public void Configure(EntityTypeBuilder<SiteLocation> builder)
    {
        builder.ToTable("site_locations");
        builder.HasKey(l => new { l.Latitude, l.Longitude });
    }
}
