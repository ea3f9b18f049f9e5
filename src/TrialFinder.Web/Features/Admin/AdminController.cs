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
    public Task<IActionResult> Incremental(CancellationToken cancellationToken) =>
        Act(new StartIncrementalSync.Command(AdminActor.Of(User)), cancellationToken);

    [HttpPost("sync/full")]
    public Task<IActionResult> Full(CancellationToken cancellationToken) =>
        Act(new StartFullSync.Command(AdminActor.Of(User)), cancellationToken);

    [HttpPost("sync/refresh")]
    public Task<IActionResult> Refresh([FromForm] string? nctIds, CancellationToken cancellationToken) =>
        Act(new RefreshStudies.Command(AdminActor.Of(User), nctIds), cancellationToken);

    [HttpPost("sync/cancel")]
    public Task<IActionResult> Cancel(CancellationToken cancellationToken) =>
        Act(new CancelSync.Command(AdminActor.Of(User)), cancellationToken);

    [HttpPost("reclassify")]
    public Task<IActionResult> Reclassify(CancellationToken cancellationToken) =>
        Act(new Admin.Reclassify.Command(AdminActor.Of(User)), cancellationToken);

    private async Task<IActionResult> Act(IAuditedAction action, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(action, cancellationToken);
        TempData["AdminMessage"] = result.Message;
        TempData["AdminAccepted"] = result.Accepted;
        return RedirectToAction(nameof(Index));
    }
}
