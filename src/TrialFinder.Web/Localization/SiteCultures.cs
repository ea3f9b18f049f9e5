using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace TrialFinder.Web.Localization;

public static class SiteCultures
{
    public const string CookieName = ".TrialFinder.Language";

    public static readonly IReadOnlyList<CultureInfo> Supported = [new("en"), new("fr")];

    /// <summary>The visitor's choice (cookie) first, then the browser's Accept-Language, then English.</summary>
    public static RequestLocalizationOptions Options()
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en"),
            SupportedCultures = [.. Supported],
            SupportedUICultures = [.. Supported],
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
        return options;
    }
}
