using System.ComponentModel.DataAnnotations;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Infrastructure.Registry;

public sealed class RegistryOptions
{
    public const string Section = "Registry";

    [HttpAddress]
    public string BaseUrl { get; set; } = "https://clinicaltrials.gov/api/v2/";

    /// <summary>The registry's public site, for links people follow (a study's record, the registry's search).</summary>
    [HttpAddress]
    public string SiteUrl { get; set; } = "https://clinicaltrials.gov/";

    /// <summary>The registry documents no limit but answers bursts with 429/403; 40 a minute is polite.</summary>
    [Range(1, 6000, ErrorMessage = Allowed.WholeNumber)]
    public int RequestsPerMinute { get; set; } = 40;

    /// <summary>Studies per page; 1000 is the API's maximum.</summary>
    [Range(1, 1000, ErrorMessage = Allowed.WholeNumber)]
    public int PageSize { get; set; } = 200;

    /// <summary>Timeout of one attempt; a slow answer is retried.</summary>
    [Range(1, 600, ErrorMessage = Allowed.WholeNumber)]
    public int TimeoutSeconds { get; set; } = 60;

    [Range(0, 10, ErrorMessage = Allowed.WholeNumber)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>First retry delay; later ones grow exponentially, with jitter, unless the registry sends Retry-After.</summary>
    [Range(1, 600_000, ErrorMessage = Allowed.WholeNumber)]
    public int RetryBaseDelayMilliseconds { get; set; } = 2000;

    [Range(1, 3600, ErrorMessage = Allowed.WholeNumber)]
    public int CircuitBreakSeconds { get; set; } = 30;

    public string StudyPageUrl(string nctId) => $"{SiteUrl.TrimEnd('/')}/study/{Uri.EscapeDataString(nctId)}";

    public string SearchPageUrl() => $"{SiteUrl.TrimEnd('/')}/search";
}
