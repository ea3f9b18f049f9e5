using TrialFinder.Testing;
using System.Net;
using System.Xml.Linq;
using TrialFinder.IntegrationTests.Features.Bookmarks;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.SavedSearches;

/// <summary>A saved search's private Atom feed shows a study that starts to match after a sync; its address can be revoked.</summary>
public sealed partial class SavedSearchFeedTests : IAsyncLifetime
{
    private const string NewStudy = "NCT05489887"; // "Naxitamab Added to Induction for Newly Diagnosed High-Risk Neuroblastoma"
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private SyncedSite _synced = null!;

    public async Task InitializeAsync() => _synced = await SyncedSite.StartAsync(withheld: NewStudy);

    public async Task DisposeAsync() => await _synced.DisposeAsync();

    [Fact]
    public async Task The_feed_lists_a_study_that_newly_matches_after_a_sync_and_a_renewed_address_revokes_the_old_one()
    {
        var clinician = await _synced.Site.SignUpAsync("dr.petit@example.org");
        var results = await clinician.TextAsync("/trials?q=neuroblastoma&page=1");
        var query = HtmlPages.Parse(results).InputValue("QueryString")!;
        Assert.Equal("?q=neuroblastoma", query);
        var saved = await clinician.PostAsync("/trials?q=neuroblastoma", "/saved-searches", ("Name", "Neuroblastoma watch"), ("QueryString", query));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var searches = await clinician.TextAsync("/saved-searches");
        Assert.Contains("Search “Neuroblastoma watch” saved.", searches);
        var feedPath = FeedPath(searches);
        var reader = _synced.Site.Visitor(); // feed readers do not sign in

        var before = await ReadFeedAsync(reader, feedPath);
        Assert.Equal("TrialFinder: Neuroblastoma watch", before.Root!.Element(Atom + "title")!.Value);
        Assert.DoesNotContain(Entries(before), e => e.Link.EndsWith(NewStudy, StringComparison.Ordinal));

        _synced.Publish(NewStudy);
        await _synced.SyncAsync(RunSync.Command.Incremental());

        var after = await ReadFeedAsync(reader, feedPath);
        var entry = Assert.Single(Entries(after), e => e.Link == $"http://localhost/trials/{NewStudy}");
        Assert.Equal("New match: Naxitamab Added to Induction for Newly Diagnosed High-Risk Neuroblastoma", entry.Title);
        Assert.True(DateTimeOffset.UtcNow - entry.Updated < TimeSpan.FromMinutes(10));
        Assert.Equal(entry.Updated, Entries(after).Max(e => e.Updated));

        var renewed = await clinician.PostAsync("/saved-searches", $"/saved-searches/{SearchId(searches)}/feed-token");
        Assert.Equal(HttpStatusCode.Redirect, renewed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.Client.GetAsync(feedPath)).StatusCode);
        var newPath = FeedPath(await clinician.TextAsync("/saved-searches"));
        Assert.NotEqual(feedPath, newPath);
        Assert.Contains(Entries(await ReadFeedAsync(reader, newPath)), e => e.Link.EndsWith(NewStudy, StringComparison.Ordinal));

        var deleted = await clinician.PostAsync("/saved-searches", $"/saved-searches/{SearchId(searches)}/delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.Client.GetAsync(newPath)).StatusCode);
        Assert.Contains("You have no saved searches.", await clinician.TextAsync("/saved-searches"));
    }

    [Fact]
    public async Task A_search_with_an_unknown_place_or_a_bad_filter_is_not_saved_and_says_why()
    {
        var clinician = await _synced.Site.SignUpAsync("dr.roux@example.org");

        var badPlace = await clinician.PostAsync("/", "/saved-searches", ("Name", "Nowhere"), ("QueryString", "?near=Qwxzyville&q=neuroblastoma"));
        var badFilter = await clinician.PostAsync("/", "/saved-searches", ("Name", "Bad"), ("QueryString", "?therapy=snake-oil"));
        var noName = await clinician.PostAsync("/", "/saved-searches", ("Name", ""), ("QueryString", "?q=neuroblastoma"));

        Assert.Equal(HttpStatusCode.BadRequest, badPlace.StatusCode);
        Assert.Contains("Qwxzyville", await badPlace.TextAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Contains("snake-oil", await badFilter.TextAsync());
        Assert.Contains("This field is required.", await noName.TextAsync());
        Assert.Contains("You have no saved searches.", await clinician.TextAsync("/saved-searches"));

        // A place is stored as the coordinates it resolved to, so alerts never depend on a later look-up.
        var near = await clinician.PostAsync("/", "/saved-searches", ("Name", "Near Lyon"), ("QueryString", "?near=Lyon&radiusKm=500&page=3"));
        Assert.Equal(HttpStatusCode.Redirect, near.StatusCode);
        var link = (await clinician.DocumentAsync("/saved-searches")).LinkTo("Near Lyon")!;
        Assert.Matches(@"[?&]lat=45\.7\d*", link);
        Assert.Matches(@"[?&]lon=4\.8\d*", link);
        Assert.DoesNotContain("page=", link);
        Assert.Equal(HttpStatusCode.OK, (await clinician.Client.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task A_search_of_one_status_alone_is_saved()
    {
        var clinician = await _synced.Site.SignUpAsync("dr.blanc@example.org");

        var saved = await clinician.PostAsync("/trials?status=COMPLETED", "/saved-searches", ("Name", "Completed trials"), ("QueryString", "?status=COMPLETED"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var link = (await clinician.DocumentAsync("/saved-searches")).LinkTo("Completed trials");
        Assert.Equal("/trials?status=COMPLETED", link);
    }

    private static async Task<XDocument> ReadFeedAsync(WebSession reader, string path)
    {
        var response = await reader.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Atom + "feed", feed.Root!.Name);
        foreach (var required in new[] { "id", "title", "updated", "author" })
        {
            Assert.NotNull(feed.Root.Element(Atom + required));
        }

        foreach (var entry in feed.Root.Elements(Atom + "entry"))
        {
            foreach (var required in new[] { "id", "title", "updated", "link", "summary" })
            {
                Assert.NotNull(entry.Element(Atom + required));
            }
        }

        return feed;
    }

    private static IReadOnlyList<(string Title, string Link, DateTimeOffset Updated)> Entries(XDocument feed) =>
        feed.Root!.Elements(Atom + "entry")
            .Select(e => (e.Element(Atom + "title")!.Value, e.Element(Atom + "link")!.Attribute("href")!.Value,
                DateTimeOffset.Parse(e.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The id of the (first) saved search, from the action of its delete form.</summary>
    private static string SearchId(string page) =>
        HtmlPages.Parse(page).QuerySelectorAll("form").Select(f => f.GetAttribute("action") ?? "")
            .First(action => action.StartsWith("/saved-searches/", StringComparison.Ordinal) && action.EndsWith("/delete", StringComparison.Ordinal))
            .Split('/')[2];

    /// <summary>The path of the feed address shown once after saving or renewing.</summary>
    private static string FeedPath(string page) =>
        new Uri(HtmlPages.Parse(page).QuerySelectorAll("a").Select(a => a.GetAttribute("href") ?? "").First(href => href.Contains("/feeds/", StringComparison.Ordinal))).AbsolutePath;
}
