using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace TrialFinder.Web.Features.Trials;

public sealed class TrialsController(IMediator mediator) : Controller
{
    [HttpGet("/")]
    [HttpGet("/trials")]
    public async Task<IActionResult> Index([FromQuery] int page = 1, CancellationToken cancellationToken = default) =>
        View(await mediator.Send(new TrialList.Query(page), cancellationToken));
}
