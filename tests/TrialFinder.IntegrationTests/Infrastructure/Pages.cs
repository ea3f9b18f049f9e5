using System.Net;
using AngleSharp.Dom;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>Reading pages as a person would: the text with HTML entities decoded, and the ids in links.</summary>
public static class Pages
{
    public static async Task<string> TextAsync(this WebSession session, string path)
    {
        var response = await session.Client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    public static async Task<string> TextAsync(this HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>The page as a document, to read values from its elements.</summary>
    public static async Task<IDocument> DocumentAsync(this WebSession session, string path)
    {
        var response = await session.Client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        return HtmlPages.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a form found on <paramref name="page"/>; fields as the form would send them.</summary>
    public static Task<HttpResponseMessage> PostAsync(this WebSession session, string page, string action, params (string Name, string Value)[] fields) =>
        session.PostFormAsync(page, action, fields.ToDictionary(f => f.Name, f => f.Value));

    /// <summary>The id of the bookmark of a study, from its entry on the bookmarks page.</summary>
    public static async Task<long> BookmarkIdAsync(this WebSession session, string nctId)
    {
        var entry = BookmarkEntry(await session.DocumentAsync("/bookmarks"), nctId)
            ?? throw new InvalidOperationException($"{nctId} is not on the bookmarks page.");
        return long.Parse(entry.Id!["bookmark-".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The id of a list, from its link on the lists page.</summary>
    public static async Task<long> ListIdAsync(this WebSession session, string name)
    {
        var link = (await session.DocumentAsync("/bookmarks/lists")).LinkTo(name);
        Assert.True(link is not null && link.StartsWith("/bookmarks?list=", StringComparison.Ordinal), $"List '{name}' is not on the lists page.");
        return long.Parse(link["/bookmarks?list=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The bookmarks page's entry for one study, as its markup with entities decoded (empty when it is not bookmarked).</summary>
    public static string EntryFor(string bookmarksPage, string nctId) =>
        BookmarkEntry(HtmlPages.Parse(bookmarksPage), nctId) is { } entry ? WebUtility.HtmlDecode(entry.OuterHtml) : "";

    /// <summary>Where a study's bookmark button posts: /bookmarks/add or /bookmarks/remove (null when there is no button).</summary>
    public static string? ToggleAction(string page, string nctId) =>
        HtmlPages.Parse(page).QuerySelectorAll("form.bookmark-toggle")
            .FirstOrDefault(form => form.InputValue("nctId") == nctId)?.GetAttribute("action");

    private static IElement? BookmarkEntry(IDocument bookmarksPage, string nctId) =>
        bookmarksPage.QuerySelectorAll("li.result.bookmark")
            .FirstOrDefault(item => item.QuerySelectorAll("a").Any(a => a.GetAttribute("href") == $"/trials/{nctId}"));
}
