using System.ComponentModel.DataAnnotations;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Infrastructure.Site;

/// <summary>
/// The site's public address. Every link that leaves the site (account e-mails, the digest, feeds) is built
/// from it, never from the request's Host header, which a client chooses.
/// </summary>
public sealed class SiteOptions : IValidatableObject
{
    public const string Section = "Site";
    public const string DefaultBaseUrl = "http://127.0.0.1:5080";

    [HttpAddress]
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/", UriKind.Absolute);

    public bool IsHttps => BaseUri.Scheme == Uri.UriSchemeHttps;

    /// <summary>An absolute link to a path of the site ("/trials/NCT..."), with its query string if any.</summary>
    public string Link(string pathAndQuery) => BaseUrl.TrimEnd('/') + (pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var uri = new Uri(BaseUrl, UriKind.Absolute);
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            yield return new ValidationResult(
                $"Site:BaseUrl={BaseUrl} is not allowed: use the site's public http(s) address without query, fragment or user, e.g. https://trials.example.org.",
                [nameof(BaseUrl)]);
        }
    }
}
