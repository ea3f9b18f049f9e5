using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace TrialFinder.Testing;

/// <summary>Reads a page's HTML as a document, so tests find values by element and attribute rather than by the markup's spelling.</summary>
public static class HtmlPages
{
    private static readonly HtmlParser Parser = new();

    public static IDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>The anti-forgery token of the first form (or of the given form) that carries one.</summary>
    public static string? AntiforgeryToken(this IParentNode node) =>
        node.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");

    /// <summary>The form that posts to <paramref name="action"/>, if the page has one.</summary>
    public static IElement? FormPostingTo(this IDocument page, string action) =>
        page.QuerySelectorAll("form").FirstOrDefault(f => f.GetAttribute("action") == action);

    /// <summary>The value of the named input, if there is one.</summary>
    public static string? InputValue(this IParentNode node, string name) =>
        node.QuerySelectorAll("input").FirstOrDefault(i => i.GetAttribute("name") == name)?.GetAttribute("value");

    /// <summary>The target of the first link whose text is <paramref name="text"/>.</summary>
    public static string? LinkTo(this IParentNode node, string text) =>
        node.QuerySelectorAll("a").FirstOrDefault(a => a.TextContent.Trim() == text)?.GetAttribute("href");
}
