using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Core.Studies;
using TrialFinder.IntegrationTests.Features.Bookmarks;

namespace TrialFinder.IntegrationTests.Features.SavedSearches;

/// <summary>
/// The digest and "changed since you last looked" follow change ids, not clocks: a change stamped before a
/// digest ran (or before the user marked a bookmark seen) but committed after it is still news.
/// </summary>
public sealed class ChangeCursorTests : IAsyncLifetime
{
    private const string Lutathera = "NCT04711135";
    private const string Email = "dr.okafor@example.org";

    private SyncedSite _synced = null!;

    public async Task InitializeAsync() => _synced = await SyncedSite.StartAsync();

    public async Task DisposeAsync() => await _synced.DisposeAsync();

    [Fact]
    public async Task A_change_committed_while_the_digest_ran_is_in_the_next_digest()
    {
        var clinician = await _synced.Site.SignUpAsync(Email);
        await clinician.PostAsync("/settings", "/settings", ("HomePlace", ""), ("DailyDigest", "true"));
        await clinician.PostAsync("/bookmarks", "/bookmarks/add", ("nctId", Lutathera));
        var sentBefore = _synced.Site.Emails.Messages.Count;
        var pageStampedAt = DateTimeOffset.UtcNow;

        await _synced.RunDigestAsync();
        // A sync page stamped its changes before the digest ran and committed them after it had read.
        await CommitLateChangeAsync(pageStampedAt, "Status changed from RECRUITING to SUSPENDED");
        await _synced.RunDigestAsync();

        var digest = Assert.Single(_synced.Site.Emails.Messages.Skip(sentBefore));
        Assert.Contains("Status changed from RECRUITING to SUSPENDED", digest.Body);
        await _synced.RunDigestAsync();
        Assert.Single(_synced.Site.Emails.Messages.Skip(sentBefore));
    }

    [Fact]
    public async Task A_change_committed_after_the_bookmark_was_marked_seen_shows_as_new_even_if_stamped_before()
    {
        var clinician = await _synced.Site.SignUpAsync(Email);
        await clinician.PostAsync("/bookmarks", "/bookmarks/add", ("nctId", Lutathera));
        var pageStampedAt = DateTimeOffset.UtcNow;
        await clinician.PostAsync("/bookmarks", "/bookmarks/seen");

        await CommitLateChangeAsync(pageStampedAt, "Status changed from RECRUITING to SUSPENDED");

        var entry = Pages.EntryFor(await clinician.TextAsync("/bookmarks"), Lutathera);
        Assert.Contains("Changed since you last looked (1)", entry);
        Assert.Contains("Status changed from RECRUITING to SUSPENDED", entry);
    }

    private async Task CommitLateChangeAsync(DateTimeOffset detectedAt, string summary)
    {
        await using var db = _synced.Database.CreateContext();
        db.StudyChanges.Add(new StudyChange
        {
            NctId = Lutathera, DetectedAt = detectedAt.AddSeconds(-1), Kind = StudyChangeKinds.OverallStatus, Summary = summary,
            OldValue = "RECRUITING", NewValue = "SUSPENDED",
        });
        await db.SaveChangesAsync();
    }
}
