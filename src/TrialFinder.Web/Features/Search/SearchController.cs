using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Web.Features.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace TrialFinder.Web.Features.Search;

[EnableRateLimiting(RateLimits.Pages)]
public sealed class SearchController(IMediator mediator) : Controller
{
    /// <summary>The home page: the search form, with results when the form has been filled in.</summary>
    [HttpGet("/")]
    public async Task<IActionResult> Home([FromQuery] SearchParameters parameters, CancellationToken cancellationToken) =>
        parameters.IsEmpty ? View("Home", parameters) : await Results(parameters, cancellationToken);

    [HttpGet("/trials")]
    public async Task<IActionResult> Results([FromQuery] SearchParameters parameters, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new SearchTrials.Query(parameters), cancellationToken);
        if (!result.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return View("Results", result);
    }
}
