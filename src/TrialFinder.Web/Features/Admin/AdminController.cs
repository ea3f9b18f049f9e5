using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using TrialFinder.Data.Accounts;

namespace TrialFinder.Web.Features.Admin;

[Authorize(Policy = Roles.Admin)]
[Route("admin")]
public sealed class AdminController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View("Index", await mediator.Send(new AdminDashboard.Query(), cancellationToken));

    [HttpGet("progress")]
    public async Task<IActionResult> Progress(CancellationToken cancellationToken) =>
        Json(await mediator.Send(new SyncProgress.Query(), cancellationToken));

    [HttpPost("sync/incremental")]
    public Task<IActionResult> Incremental(CancellationToken cancellationToken) => Act(AdminActions.Kind.Incremental, null, cancellationToken);

    [HttpPost("sync/full")]
    public Task<IActionResult> Full(CancellationToken cancellationToken) => Act(AdminActions.Kind.Full, null, cancellationToken);

    [HttpPost("sync/refresh")]
    public Task<IActionResult> Refresh([FromForm] string? nctIds, CancellationToken cancellationToken) =>
        Act(AdminActions.Kind.Refresh, nctIds, cancellationToken);

    [HttpPost("sync/cancel")]
    public Task<IActionResult> Cancel(CancellationToken cancellationToken) => Act(AdminActions.Kind.Cancel, null, cancellationToken);

    [HttpPost("reclassify")]
    public Task<IActionResult> Reclassify(CancellationToken cancellationToken) => Act(AdminActions.Kind.Reclassify, null, cancellationToken);

    private async Task<IActionResult> Act(AdminActions.Kind action, string? nctIds, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new AdminActions.Command(action, User, nctIds), cancellationToken);
        TempData["AdminMessage"] = result.Message;
        TempData["AdminAccepted"] = result.Accepted;
        return RedirectToAction(nameof(Index));
    }
}
