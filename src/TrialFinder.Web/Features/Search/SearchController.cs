using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Web.Features.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using TrialFinder.Data.Search;

namespace TrialFinder.Web.Features.Search;

[EnableRateLimiting(RateLimits.Pages)]
public sealed class SearchController(IMediator mediator) : Controller
{
    /// <summary>The home page: the search form, with results when the form has been filled in.</summary>
    [HttpGet("/")]
    public async Task<IActionResult> Home([ModelBinder<SearchFilterBinder>] SearchFilter filter, CancellationToken cancellationToken) =>
        filter.IsEmpty ? View("Home", filter) : await Results(filter, cancellationToken);

    [HttpGet("/trials")]
    public async Task<IActionResult> Results([ModelBinder<SearchFilterBinder>] SearchFilter filter, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new SearchTrials.Query(filter), cancellationToken);
        if (!result.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return View("Results", result);
    }
}
