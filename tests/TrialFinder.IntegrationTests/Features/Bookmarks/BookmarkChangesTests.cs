using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Notifications;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Bookmarks;

/// <summary>After a sync changes a bookmarked study, the bookmarks page says what changed until the clinician marks it seen.</summary>
public sealed class BookmarkChangesTests : IAsyncLifetime
{
    private const string Lutathera = "NCT04711135"; // recruiting, one site
    private const string Siopen = "NCT04221035";

    private SyncedSite _synced = null!;

    public async Task InitializeAsync() => _synced = await SyncedSite.StartAsync();

    public async Task DisposeAsync() => await _synced.DisposeAsync();

    [Fact]
    public async Task A_change_reads_in_the_language_of_the_page()
    {
        _synced.Replay.Update(Lutathera, SyncedSite.Today, study =>
            SyncedSite.Protocol(study)["statusModule"]!["overallStatus"] = "ACTIVE_NOT_RECRUITING");
        await _synced.SyncAsync(RunSync.Command.Incremental());
        var visitor = _synced.Site.Visitor();

        Assert.Contains("Status changed from RECRUITING to ACTIVE_NOT_RECRUITING", await visitor.TextAsync($"/trials/{Lutathera}"));
        visitor.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        var french = await visitor.TextAsync($"/trials/{Lutathera}");
        Assert.Contains("Statut passé de RECRUITING à ACTIVE_NOT_RECRUITING", french);
        Assert.DoesNotContain("Status changed from", french);
    }

    [Fact]
    public async Task A_sync_that_changes_the_status_and_sites_shows_the_badge_with_those_changes_until_marked_seen()
    {
        var clinician = await _synced.Site.SignUpAsync("dr.leroy@example.org");
        var home = await clinician.PostAsync("/settings", "/settings", ("HomePlace", "Villejuif"), ("DailyDigest", "false"));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        await clinician.PostAsync($"/trials/{Lutathera}", "/bookmarks/add", ("nctId", Lutathera), ("returnUrl", $"/trials/{Lutathera}"));
        await clinician.PostAsync($"/trials/{Siopen}", "/bookmarks/add", ("nctId", Siopen), ("returnUrl", $"/trials/{Siopen}"));
        var before = Pages.EntryFor(await clinician.TextAsync("/bookmarks"), Lutathera);
        Assert.DoesNotContain("Changed since you last looked", before);
        Assert.Contains("Recruiting", before);
        Assert.DoesNotContain("Gustave Roussy", before);

        var firstSite = SyncedSite.Protocol(_synced.Replay.Get(Lutathera))["contactsLocationsModule"]!["locations"]![0]!;
        var firstSiteName = string.Join(", ", new[] { "facility", "city", "state", "country" }
            .Select(f => firstSite[f]?.GetValue<string>()).Where(v => !string.IsNullOrWhiteSpace(v)));
        var firstSiteStatus = firstSite["status"]?.GetValue<string>() ?? "none"; // this record gives the site no status
        _synced.Replay.Update(Lutathera, SyncedSite.Today, study =>
        {
            var protocol = SyncedSite.Protocol(study);
            protocol["statusModule"]!["overallStatus"] = "ACTIVE_NOT_RECRUITING";
            var locations = protocol["contactsLocationsModule"]!["locations"]!.AsArray();
            locations[0]!["status"] = "COMPLETED";
            locations.Add(new JsonObject
            {
                ["facility"] = "Gustave Roussy", ["status"] = "RECRUITING", ["city"] = "Villejuif", ["country"] = "France",
                ["geoPoint"] = new JsonObject { ["lat"] = 48.7939, ["lon"] = 2.3592 },
            });
        });
        await _synced.SyncAsync(RunSync.Command.Incremental());

        var page = await clinician.TextAsync("/bookmarks");
        var changed = Pages.EntryFor(page, Lutathera);
        Assert.Contains("Changed since you last looked (3)", changed);
        Assert.Contains("Status changed from RECRUITING to ACTIVE_NOT_RECRUITING", changed);
        Assert.Contains("Site added: Gustave Roussy, Villejuif, France", changed);
        Assert.True(changed.Contains($"Site {firstSiteName} changed from {firstSiteStatus} to COMPLETED", StringComparison.Ordinal), changed);
        Assert.Contains("Active, not recruiting", changed);
        Assert.True(changed.Contains("Gustave Roussy, Villejuif, France — ", StringComparison.Ordinal), changed);
        Assert.DoesNotContain("Changed since you last looked", Pages.EntryFor(page, Siopen));
        Assert.Contains("1 changed since you last looked", page);
        await using (var db = _synced.Database.CreateContext())
        {
            var recorded = await db.StudyChanges.Where(c => c.NctId == Lutathera).Select(c => c.Summary).ToListAsync();
            Assert.Equal(3, recorded.Count);
            Assert.All(recorded, summary => Assert.Contains(summary, changed));
        }

        var bookmarkId = await clinician.BookmarkIdAsync(Lutathera);
        var seen = await clinician.PostAsync("/bookmarks", $"/bookmarks/{bookmarkId}/seen", ("returnUrl", "/bookmarks"));

        Assert.Equal(HttpStatusCode.Redirect, seen.StatusCode);
        var afterwards = Pages.EntryFor(await clinician.TextAsync("/bookmarks"), Lutathera);
        Assert.DoesNotContain("Changed since you last looked", afterwards);
        Assert.DoesNotContain("Status changed from", afterwards);
        Assert.Contains("Active, not recruiting", afterwards);
        Assert.Contains("Nothing has changed since you last looked.", await clinician.TextAsync($"/bookmarks/{bookmarkId}"));
    }
}
