using TrialFinder.Web.Features.Accounts;
using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Core.Accounts;
using TrialFinder.Infrastructure.Site;
using TrialFinder.Web.Features.Security;
using Mediator;
using TrialFinder.Data.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Settings;

/// <summary>The signed-in user's settings, and the digest's unsubscribe page (which works signed out).</summary>
[Authorize]
public sealed class SettingsController(IMediator mediator, IStringLocalizer<SiteText> text) : Controller
{
    [HttpGet("/settings")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View("Index", await mediator.Send(new UserSettings.Query(User.Id()), cancellationToken));

    [HttpPost("/settings")]
    public async Task<IActionResult> Save(UserSettings.Form form, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await mediator.Send(new SaveSettings.Command(User.Id(), form.HomePlace, form.DailyDigest), cancellationToken);
            if (result.HomePlaceError is null)
            {
                TempData["Message"] = text["settings.saved"].Value;
                return RedirectToAction(nameof(Index));
            }

            ModelState.AddModelError(nameof(form.HomePlace), result.HomePlaceError);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Index", form);
    }

    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Unsubscribe)]
    [HttpGet(SitePaths.Unsubscribe)]
    public async Task<IActionResult> Unsubscribe(string token, CancellationToken cancellationToken) =>
        SecretToken.IsWellFormed(token) && await mediator.Send(new Unsubscribe.Query(token), cancellationToken)
            ? View("Unsubscribe", token)
            : Expired();

    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Unsubscribe)]
    [HttpPost(SitePaths.Unsubscribe)]
    public async Task<IActionResult> ConfirmUnsubscribe(string token, CancellationToken cancellationToken) =>
        SecretToken.IsWellFormed(token) && await mediator.Send(new Unsubscribe.Command(token), cancellationToken)
            ? View("Unsubscribed")
            : Expired();

    private ViewResult Expired()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return View("UnsubscribeExpired");
    }
}
