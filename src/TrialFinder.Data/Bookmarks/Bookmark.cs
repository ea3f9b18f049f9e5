namespace TrialFinder.Data.Bookmarks;

/// <summary>A study a user follows, with a private note; "changed since you last looked" compares change ids.</summary>
public sealed class Bookmark
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string NctId { get; set; }
    public long? ListId { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the user last marked this bookmark's changes as seen.</summary>
    public DateTimeOffset SeenAt { get; set; }

    /// <summary>The newest study change (by id) that existed when the study was bookmarked; older ones are not news.</summary>
    public long BookmarkedAtChangeId { get; set; }

    /// <summary>Changes with a higher id are shown as new until the user marks them seen (ids follow commit order).</summary>
    public long SeenUpToChangeId { get; set; }
}

/// <summary>A named group of bookmarks (for example one per patient, without storing who the patient is).</summary>
public sealed class BookmarkList
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A saved search with its private feed; the token is the feed's only credential and can be replaced.</summary>
public sealed class SavedSearch
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>The search's query string, as on /trials.</summary>
    public required string QueryString { get; set; }

    /// <summary>The SHA-256 of the feed address's secret token (<see cref="Core.Accounts.SecretToken"/>), shown to the user once.</summary>
    public required string FeedTokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The NCT ids that matched when the user last looked (or the digest last ran), to tell new matches.</summary>
    public List<string> KnownMatches { get; set; } = [];
}
