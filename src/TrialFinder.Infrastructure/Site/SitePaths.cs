namespace TrialFinder.Infrastructure.Site;

/// <summary>
/// The site's addresses that are linked from outside a page (e-mails, feeds): the route templates the
/// controllers declare, and the links the worker's digest and the feeds write from them, in one place.
/// </summary>
public static class SitePaths
{
    public const string Trial = "/trials/{nctId}";
    public const string Bookmarks = "/bookmarks";
    public const string Unsubscribe = "/digest/unsubscribe/{token}";
    public const string Feed = "/feeds/{token}";

    public static string TrialOf(string nctId) => Trial.Replace("{nctId}", Uri.EscapeDataString(nctId), StringComparison.Ordinal);

    public static string UnsubscribeWith(string token) => Unsubscribe.Replace("{token}", Uri.EscapeDataString(token), StringComparison.Ordinal);

    public static string FeedWith(string token) => Feed.Replace("{token}", Uri.EscapeDataString(token), StringComparison.Ordinal);
}
