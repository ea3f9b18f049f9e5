namespace TrialFinder.Web.Localization;

/// <summary>
/// The marker type for the site's text, <c>IStringLocalizer&lt;SiteText&gt;</c>; the table itself is shared with the
/// worker (TrialFinder.Infrastructure/Localization). Also the entry type the tests start the site by.
/// </summary>
public sealed class SiteText;
