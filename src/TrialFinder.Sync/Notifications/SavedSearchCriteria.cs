using TrialFinder.Data.Search;

namespace TrialFinder.Sync.Notifications;

/// <summary>
/// Rebuilds the search criteria of a saved search from its stored query string, for the digest (here)
/// and the feed (in Web), with the same rules as the pages (<see cref="SearchFilterParser"/>). The site
/// validates a search before saving it and stores the place as <c>lat</c>/<c>lon</c>, so a stored
/// query string needs no place look-up; a value that no longer parses is simply left out.
/// </summary>
public static class SavedSearchCriteria
{
    /// <summary>More than any realistic catalogue match count: alerts look at every match, not one page.</summary>
    public const int MaxMatches = 2000;

    public static StudySearchCriteria Parse(string queryString)
    {
        var (criteria, _) = SearchFilterParser.Parse(SearchFilterInput.FromQueryString(queryString) with { Page = null, PageSize = null, Sort = null });
        return criteria with { Sort = StudySort.Updated, Page = 1, PageSize = MaxMatches };
    }
}
