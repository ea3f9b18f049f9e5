using TrialFinder.Sync.Settings;

namespace TrialFinder.Sync.Notifications;

/// <summary>The site as the outside world reaches it, for the links in e-mails.</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    [HttpAddress]
    public string BaseUrl { get; set; } = "http://127.0.0.1:5080";
}
