using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class SiteEntityTypeConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> builder)
    {
        builder.ToTable("sites");
        builder.HasKey(s => s.Id);
        builder.Ignore(s => s.Key);
        builder.OwnsMany(s => s.Contacts, contacts => contacts.ToJson());
        // A study's sites with what a place search asks of each (where, and whether it still counts), read from the
        // index alone when a search counts the studies that have a site within its radius.
        builder.HasIndex(s => new { s.NctId, s.Ordinal }).IncludeProperties(s => new { s.Latitude, s.Longitude, s.RecruitmentStatus });
        // The sites at one point in NCT id order, so a place search reads a city's trials in the order it lists them
        // and stops at the end of its page.
        builder.HasIndex(s => new { s.Latitude, s.Longitude, s.NctId })
            .IncludeProperties(s => new { s.RecruitmentStatus })
            .HasFilter("latitude IS NOT NULL AND longitude IS NOT NULL");
    }
}
