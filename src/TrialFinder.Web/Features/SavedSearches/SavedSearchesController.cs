using TrialFinder.Web.Features.Accounts;
using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Core.Accounts;
using TrialFinder.Web.Features.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TrialFinder.Data.Accounts;
using TrialFinder.Web.Localization;
using TrialFinder.Infrastructure.Site;

namespace TrialFinder.Web.Features.SavedSearches;

/// <summary>
/// Saved searches and their private feeds. Managing them needs the owner signed in (another user's id is
/// 404); a feed is read by its secret token alone, so feed readers work, and renewing the token revokes it.
/// </summary>
[Authorize]
public sealed class SavedSearchesController(IMediator mediator, IOptions<SiteOptions> site, IStringLocalizer<SiteText> text) : Controller
{
    /// <summary>The new feed address, shown once on the next page: only its token's hash is stored.</summary>
    public const string NewFeedAddress = "NewFeedAddress";

    [HttpGet("/saved-searches")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View("Index", await mediator.Send(new SavedSearchList.Query(User.Id()), cancellationToken));

    [HttpGet("/saved-searches/new")]
    public IActionResult New(string? query) => View("Save", new SaveSearch.Form { QueryString = query });

    [HttpPost("/saved-searches")]
    public async Task<IActionResult> Save(SaveSearch.Form form, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await mediator.Send(new SaveSearch.Command(User.Id(), form.Name, form.QueryString ?? "", form.KeepPatient), cancellationToken);
            if (result.Id is not null)
            {
                TempData["Message"] = text["savedSearches.saved", form.Name.Trim()].Value;
                TempData[NewFeedAddress] = FeedAddress(result.FeedToken!);
                return RedirectToAction(nameof(Index));
            }

            foreach (var (field, messages) in result.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field == "name" ? nameof(form.Name) : field, message);
                }
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Save", form);
    }

    [HttpPost("/saved-searches/{id:long}/delete")]
    public async Task<IActionResult> Delete(long id, CancellationToken cancellationToken)
    {
        if (!await mediator.Send(new DeleteSavedSearch.Command(User.Id(), id), cancellationToken))
        {
            return NotFound();
        }

        TempData["Message"] = text["savedSearches.deleted"].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("/saved-searches/{id:long}/feed-token")]
    public async Task<IActionResult> RenewFeed(long id, CancellationToken cancellationToken)
    {
        if (await mediator.Send(new RenewFeedAddress.Command(User.Id(), id), cancellationToken) is not { } token)
        {
            return NotFound();
        }

        TempData["Message"] = text["savedSearches.feed.renewed"].Value;
        TempData[NewFeedAddress] = FeedAddress(token);
        return RedirectToAction(nameof(Index));
    }

    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Feeds)]
    [HttpGet(SitePaths.Feed)]
    public async Task<IActionResult> Feed(string token, CancellationToken cancellationToken)
    {
        if (!SecretToken.IsWellFormed(token))
        {
            return NotFound();
        }

        var feed = await mediator.Send(new SearchFeed.Query(token), cancellationToken);
        if (feed is null)
        {
            return NotFound();
        }

        var atom = await SearchFeed.WriteAtomAsync(feed, site.Value.Link("").TrimEnd('/'), FeedAddress(token), text);
        Response.Headers.CacheControl = "private, max-age=300";
        Response.Headers["X-Robots-Tag"] = "noindex";
        return File(atom, "application/atom+xml; charset=utf-8");
    }

    private string FeedAddress(string token) => site.Value.Link(SitePaths.FeedWith(token));
}
