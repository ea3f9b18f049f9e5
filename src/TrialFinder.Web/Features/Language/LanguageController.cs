using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Web.Features.Security;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Language;

/// <summary>The visible language switch: remembers the choice in a cookie and returns to the same page.</summary>
[EnableRateLimiting(RateLimits.Pages)]
public sealed class LanguageController : Controller
{
    [HttpPost("/language")]
    [ValidateAntiForgeryToken]
    public IActionResult Choose([FromForm] string language, [FromForm] string? returnUrl)
    {
        if (!SiteCultures.Supported.Any(c => c.Name == language))
        {
            return BadRequest();
        }

        Response.Cookies.Append(
            SiteCultures.CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, Secure = Request.IsHttps, SameSite = SameSiteMode.Lax });
        return LocalRedirect(returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
