using System.Net;
using System.Text.RegularExpressions;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Bookmarks;

/// <summary>Reading pages as a person would: the text with HTML entities decoded, and the ids in links.</summary>
public static partial class Pages
{
    public static async Task<string> TextAsync(this WebSession session, string path)
    {
        var response = await session.Client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    public static async Task<string> TextAsync(this HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>Posts a form found on <paramref name="page"/>; fields as the form would send them.</summary>
    public static Task<HttpResponseMessage> PostAsync(this WebSession session, string page, string action, params (string Name, string Value)[] fields) =>
        session.PostFormAsync(page, action, fields.ToDictionary(f => f.Name, f => f.Value));

    /// <summary>The id of the bookmark of a study, from the "Note and list" link on the bookmarks page.</summary>
    public static async Task<long> BookmarkIdAsync(this WebSession session, string nctId)
    {
        var html = await session.TextAsync("/bookmarks");
        var item = BookmarkItem().Matches(html).FirstOrDefault(m => m.Value.Contains($"/trials/{nctId}", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{nctId} is not on the bookmarks page.");
        return long.Parse(item.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The id of a list, from its link on the lists page.</summary>
    public static async Task<long> ListIdAsync(this WebSession session, string name)
    {
        var html = await session.TextAsync("/bookmarks/lists");
        var match = Regex.Match(html, $@"href=""/bookmarks\?list=(\d+)"">{Regex.Escape(name)}</a>");
        Assert.True(match.Success, $"List '{name}' is not on the lists page.");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The bookmarks page's entry for one study (empty when it is not bookmarked).</summary>
    public static string EntryFor(string bookmarksPage, string nctId) =>
        BookmarkItem().Matches(bookmarksPage).FirstOrDefault(m => m.Value.Contains($"/trials/{nctId}", StringComparison.Ordinal))?.Value ?? "";

    /// <summary>Where a study's bookmark button posts: /bookmarks/add or /bookmarks/remove (null when there is no button).</summary>
    public static string? ToggleAction(string page, string nctId) =>
        ToggleForm().Matches(page).FirstOrDefault(m => m.Value.Contains($"name=\"nctId\" value=\"{nctId}\"", StringComparison.Ordinal))?.Groups[1].Value;

    [GeneratedRegex(@"<form method=""post"" action=""(/bookmarks/(?:add|remove))"" class=""bookmark-toggle"".*?</form>", RegexOptions.Singleline)]
    private static partial Regex ToggleForm();

    [GeneratedRegex(@"<li class=""result bookmark"" id=""bookmark-(\d+)"">.*?</li>\s*(?=<li class=""result bookmark""|</ol>)", RegexOptions.Singleline)]
    private static partial Regex BookmarkItem();
}
