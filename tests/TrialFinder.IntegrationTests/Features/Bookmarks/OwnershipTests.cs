using System.Net;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Accounts;
using TrialFinder.Data.Accounts;
using TrialFinder.IntegrationTests.Features.Accounts;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Bookmarks;

/// <summary>
/// Two clinicians on one site: each one's bookmarks, lists, notes, saved searches and feeds are invisible
/// and untouchable to the other (404 on every route), and no form works without its anti-forgery token.
/// </summary>
public sealed partial class OwnershipTests(OwnershipTests.TwoClinicians site) : IClassFixture<OwnershipTests.TwoClinicians>
{
    public const string OwnersNote = "Owner's private note";

    /// <summary>{bookmark}, {list}, {search}: the owner's ids; {own}: the intruder's own bookmark.</summary>
    public static TheoryData<string, string, string> OwnerRoutes => new()
    {
        { "GET", "/bookmarks/{bookmark}", "" },
        { "POST", "/bookmarks/{bookmark}/note", "Note=overwritten" },
        { "POST", "/bookmarks/{bookmark}/list", "listId=" },
        { "POST", "/bookmarks/{bookmark}/seen", "" },
        { "POST", "/bookmarks/{own}/list", "listId={list}" },
        { "GET", "/bookmarks?list={list}", "" },
        { "GET", "/bookmarks/export.csv?list={list}", "" },
        { "GET", "/bookmarks/print?list={list}", "" },
        { "POST", "/bookmarks/lists/{list}/rename", "Name=Taken over" },
        { "POST", "/bookmarks/lists/{list}/delete", "" },
        { "POST", "/saved-searches/{search}/delete", "" },
        { "POST", "/saved-searches/{search}/feed-token", "" },
    };

    [Theory]
    [MemberData(nameof(OwnerRoutes))]
    public async Task Another_users_ids_are_not_found_on_every_route(string method, string route, string form)
    {
        var path = site.Fill(route);
        var response = method == "GET"
            ? await site.Intruder.Client.GetAsync(path)
            : await site.Intruder.PostFormAsync("/bookmarks", path, Fields(site.Fill(form)));

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}");
        await site.AssertOwnersDataUnchangedAsync();
    }

    [Fact]
    public async Task The_intruders_pages_and_exports_show_nothing_of_the_owners()
    {
        var pages = new[] { "/bookmarks", "/bookmarks/lists", "/bookmarks/print", "/saved-searches" };
        foreach (var page in pages)
        {
            var text = await site.Intruder.TextAsync(page);
            Assert.DoesNotContain(OwnersNote, text);
            Assert.DoesNotContain("Owner's list", text);
            Assert.DoesNotContain("Owner's search", text);
            Assert.DoesNotContain(site.OwnerFeedToken, text);
        }

        var csv = await site.Intruder.Client.GetStringAsync("/bookmarks/export.csv");
        Assert.DoesNotContain(OwnersNote, csv);
        Assert.DoesNotContain(TwoClinicians.OwnersStudy, csv);
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in_and_only_the_feed_token_opens_a_feed()
    {
        var visitor = site.Site.Visitor();
        foreach (var path in new[] { "/bookmarks", $"/bookmarks/{site.OwnerBookmark}", "/bookmarks/export.csv", "/saved-searches", "/settings" })
        {
            var response = await visitor.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
        }

        Assert.Equal(HttpStatusCode.OK, (await visitor.Client.GetAsync($"/feeds/{site.OwnerFeedToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Client.GetAsync($"/feeds/{new string('0', 48)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Client.GetAsync("/feeds/not-a-token")).StatusCode);
    }

    public static TheoryData<string, string> FormPosts => new()
    {
        { "/bookmarks/add", "nctId=NCT02679144" },
        { "/bookmarks/remove", "nctId={study}" },
        { "/bookmarks/{bookmark}/note", "Note=changed" },
        { "/bookmarks/{bookmark}/list", "listId=" },
        { "/bookmarks/{bookmark}/seen", "" },
        { "/bookmarks/lists", "Name=New list" },
        { "/bookmarks/lists/{list}/rename", "Name=Renamed" },
        { "/bookmarks/lists/{list}/delete", "" },
        { "/saved-searches", "Name=Saved&QueryString=q%3Dneuroblastoma" },
        { "/saved-searches/{search}/delete", "" },
        { "/saved-searches/{search}/feed-token", "" },
        { "/settings", "HomePlace=&DailyDigest=true" },
        { "/digest/unsubscribe/{unsubscribe}", "" },
    };

    [Theory]
    [MemberData(nameof(FormPosts))]
    public async Task A_post_without_the_anti_forgery_token_is_refused(string route, string form)
    {
        var response = await site.Owner.Client.PostAsync(site.Fill(route), new FormUrlEncodedContent(Fields(site.Fill(form))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await site.AssertOwnersDataUnchangedAsync();
    }

    private static Dictionary<string, string> Fields(string form) =>
        form.Length == 0
            ? []
            : form.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

    /// <summary>The owner has a bookmark with a note in a list, and a saved search; the intruder has one bookmark.</summary>
    public sealed class TwoClinicians : IAsyncLifetime
    {
        public const string OwnersStudy = "NCT04221035";
        public const string IntrudersStudy = "NCT05489887";

        private readonly TestDatabase _database = new();

        public TestSite Site { get; private set; } = null!;
        public WebSession Owner { get; private set; } = null!;
        public WebSession Intruder { get; private set; } = null!;
        public long OwnerBookmark { get; private set; }
        public long OwnerList { get; private set; }
        public long OwnerSearch { get; private set; }
        public string OwnerFeedToken { get; private set; } = "";
        public string OwnerUnsubscribeToken { get; private set; } = "";
        public long IntruderBookmark { get; private set; }

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            await TestSite.LoadCatalogAsync(_database);
            Site = new TestSite(_database);
            Owner = await Site.SignUpAsync("owner@example.org");
            Intruder = await Site.SignUpAsync("intruder@example.org");

            await Owner.PostAsync("/bookmarks", "/bookmarks/add", ("nctId", OwnersStudy));
            OwnerBookmark = await Owner.BookmarkIdAsync(OwnersStudy);
            await Owner.PostAsync("/bookmarks", $"/bookmarks/{OwnerBookmark}/note", ("Note", OwnersNote));
            await Owner.PostAsync("/bookmarks/lists", "/bookmarks/lists", ("Name", "Owner's list"));
            OwnerList = await Owner.ListIdAsync("Owner's list");
            await Owner.PostAsync("/bookmarks", $"/bookmarks/{OwnerBookmark}/list", ("listId", OwnerList.ToString()));
            var saved = await Owner.PostAsync("/trials?q=neuroblastoma", "/saved-searches", ("Name", "Owner's search"), ("QueryString", "?q=neuroblastoma"));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var searches = await Owner.DocumentAsync("/saved-searches");
            var deleteAction = searches.QuerySelectorAll("form").Select(f => f.GetAttribute("action") ?? "").Single(a => a.EndsWith("/delete", StringComparison.Ordinal));
            OwnerSearch = long.Parse(deleteAction.Split('/')[2]);
            var feedAddress = searches.QuerySelectorAll("a").Select(a => a.GetAttribute("href") ?? "").First(href => href.Contains("/feeds/", StringComparison.Ordinal));
            OwnerFeedToken = new Uri(feedAddress).AbsolutePath["/feeds/".Length..];
            // As the digest does when it e-mails the owner: a new token, only its hash stored.
            OwnerUnsubscribeToken = SecretToken.New();
            await using (var db = _database.CreateContext())
            {
                var owner = await db.Users.SingleAsync(u => u.Email == "owner@example.org");
                owner.UnsubscribeTokenHash = SecretToken.Hash(OwnerUnsubscribeToken);
                await db.SaveChangesAsync();
            }

            await Intruder.PostAsync("/bookmarks", "/bookmarks/add", ("nctId", IntrudersStudy));
            IntruderBookmark = await Intruder.BookmarkIdAsync(IntrudersStudy);
        }

        public string Fill(string template) => template
            .Replace("{bookmark}", OwnerBookmark.ToString(), StringComparison.Ordinal)
            .Replace("{list}", OwnerList.ToString(), StringComparison.Ordinal)
            .Replace("{search}", OwnerSearch.ToString(), StringComparison.Ordinal)
            .Replace("{own}", IntruderBookmark.ToString(), StringComparison.Ordinal)
            .Replace("{study}", OwnersStudy, StringComparison.Ordinal)
            .Replace("{unsubscribe}", OwnerUnsubscribeToken, StringComparison.Ordinal);

        public async Task AssertOwnersDataUnchangedAsync()
        {
            var entry = Pages.EntryFor(await Owner.TextAsync("/bookmarks"), OwnersStudy);
            Assert.Contains(OwnersNote, entry);
            Assert.Contains("List: Owner's list", entry);
            Assert.Contains("Owner's search", await Owner.TextAsync("/saved-searches"));
            // The feed address was not renewed (that would revoke this one).
            Assert.Equal(HttpStatusCode.OK, (await Site.Visitor().Client.GetAsync($"/feeds/{OwnerFeedToken}")).StatusCode);
            Assert.DoesNotContain("New list", await Owner.TextAsync("/bookmarks/lists"));
            Assert.Empty(Pages.EntryFor(await Intruder.TextAsync("/bookmarks"), "NCT02679144"));
            await using var db = _database.CreateContext();
            Assert.Equal(2, await db.Bookmarks.CountAsync());
            Assert.Equal(1, await db.SavedSearches.CountAsync());
            Assert.False((await db.Users.SingleAsync(u => u.Email == "owner@example.org")).DailyDigest);
        }

        public async Task DisposeAsync()
        {
            await Site.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
