using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialFinder.Core.Studies;
using TrialFinder.Data.Accounts;
using TrialFinder.Data.Admin;
using TrialFinder.Data.Bookmarks;

namespace TrialFinder.Data.EntityConfigurations;

internal sealed class UserAccountEntityTypeConfiguration : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> builder)
    {
        builder.Property(u => u.UnsubscribeTokenHash).HasMaxLength(64);
        builder.HasIndex(u => u.UnsubscribeTokenHash).IsUnique();
        builder.Property(u => u.Language).HasMaxLength(8);
    }
}

internal sealed class BookmarkEntityTypeConfiguration : IEntityTypeConfiguration<Bookmark>
{
    public void Configure(EntityTypeBuilder<Bookmark> builder)
    {
        builder.ToTable("bookmarks");
        builder.HasKey(b => b.Id);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(b => b.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Study>().WithMany().HasForeignKey(b => b.NctId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<BookmarkList>().WithMany().HasForeignKey(b => b.ListId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(b => b.Note).HasMaxLength(4000);
        builder.HasIndex(b => new { b.UserId, b.NctId }).IsUnique();
    }
}

internal sealed class BookmarkListEntityTypeConfiguration : IEntityTypeConfiguration<BookmarkList>
{
    public void Configure(EntityTypeBuilder<BookmarkList> builder)
    {
        builder.ToTable("bookmark_lists");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Name).HasMaxLength(100);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => new { l.UserId, l.Name }).IsUnique();
    }
}

internal sealed class SavedSearchEntityTypeConfiguration : IEntityTypeConfiguration<SavedSearch>
{
    public void Configure(EntityTypeBuilder<SavedSearch> builder)
    {
        builder.ToTable("saved_searches");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.QueryString).HasMaxLength(2000);
        builder.Property(s => s.FeedTokenHash).HasMaxLength(64);
        builder.HasIndex(s => s.FeedTokenHash).IsUnique();
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryEntityTypeConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.HasIndex(a => a.At);
    }
}

internal sealed class DataProtectionKeyEntityTypeConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> builder) =>
        builder.ToTable("data_protection_keys");
}
