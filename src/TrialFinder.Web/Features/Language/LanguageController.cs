using TrialFinder.Web.Features.Accounts;
using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Web.Features.Search;
using TrialFinder.Web.Features.Security;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Language;

/// <summary>
/// The visible language switch: remembers the choice in a cookie and returns to the same page; a signed-in user's
/// choice is also kept with the account, for the e-mails written outside a visit (the daily digest).
/// </summary>
[EnableRateLimiting(RateLimits.Pages)]
public sealed class LanguageController(TrialFinderDbContext db) : Controller
{
    [HttpPost("/language")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Choose([FromForm] string language, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        if (!SiteCultures.Supported.Any(c => c.Name == language))
        {
            return BadRequest();
        }

        Response.Cookies.Append(
            SiteCultures.CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, Secure = Request.IsHttps, SameSite = SameSiteMode.Lax });
        if (User.Identity?.IsAuthenticated == true)
        {
            var userId = User.Id();
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.Language, language), cancellationToken);
        }

        return LocalRedirect(returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Action(nameof(SearchController.Home), "Search")!);
    }
}
