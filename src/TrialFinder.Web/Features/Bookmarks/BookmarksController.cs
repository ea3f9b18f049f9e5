using TrialFinder.Web.Features.Accounts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using TrialFinder.Core.Studies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>
/// A clinician's bookmarks, notes and lists. Every handler filters by the signed-in user's id, so
/// another user's bookmark or list id is simply not found (404). Forms post and redirect back, so
/// everything works without JavaScript; the bookmark button also answers JSON for the in-place toggle.
/// </summary>
[Authorize]
[Route("bookmarks")]
public sealed class BookmarksController(IMediator mediator, IStringLocalizer<SiteText> text) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(long? list, CancellationToken cancellationToken)
    {
        var model = await mediator.Send(new BookmarkIndex.Query(User.Id(), list), cancellationToken);
        return model is null ? NotFound() : View("Index", model);
    }

    [HttpGet("print")]
    public async Task<IActionResult> Print(long? list, CancellationToken cancellationToken)
    {
        var model = await mediator.Send(new BookmarkIndex.Query(User.Id(), list), cancellationToken);
        return model is null ? NotFound() : View("Print", model);
    }

    [HttpGet("export.csv")]
    public async Task<IActionResult> Export(long? list, CancellationToken cancellationToken)
    {
        var model = await mediator.Send(new BookmarkIndex.Query(User.Id(), list), cancellationToken);
        if (model is null)
        {
            return NotFound();
        }

        var name = model.SelectedList is { } selected ? $"bookmarks-{Slug(selected.Name)}.csv" : "bookmarks.csv";
        Response.Headers.CacheControl = "no-store";
        return File(BookmarkCsv.Write(model, text, $"{Request.Scheme}://{Request.Host}"), "text/csv; charset=utf-8", name);
    }

    [HttpPost("add")]
    public Task<IActionResult> Add(string? nctId, string? returnUrl, CancellationToken cancellationToken) =>
        SetAsync(nctId, true, returnUrl, cancellationToken);

    [HttpPost("remove")]
    public Task<IActionResult> Remove(string? nctId, string? returnUrl, CancellationToken cancellationToken) =>
        SetAsync(nctId, false, returnUrl, cancellationToken);

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Details(long id, CancellationToken cancellationToken)
    {
        var model = await mediator.Send(new BookmarkDetails.Query(User.Id(), id), cancellationToken);
        return model is null ? NotFound() : View("Details", (model, new SaveNote.Form { Note = model.Note }));
    }

    [HttpPost("{id:long}/note")]
    public async Task<IActionResult> Note(long id, SaveNote.Form form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            var model = await mediator.Send(new BookmarkDetails.Query(User.Id(), id), cancellationToken);
            if (model is null)
            {
                return NotFound();
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Details", (model, form));
        }

        var saved = await mediator.Send(new SaveNote.Command(User.Id(), id, form.Note), cancellationToken);
        if (!saved)
        {
            return NotFound();
        }

        TempData["Message"] = text["bookmarks.note.saved"].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpPost("{id:long}/list")]
    public async Task<IActionResult> Move(long id, long? listId, string? returnUrl, CancellationToken cancellationToken)
    {
        var moved = await mediator.Send(new MoveBookmark.Command(User.Id(), id, listId), cancellationToken);
        if (!moved)
        {
            return NotFound();
        }

        TempData["Message"] = text["bookmarks.moved"].Value;
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Details), new { id })!));
    }

    [HttpPost("{id:long}/seen")]
    public async Task<IActionResult> Seen(long id, long? upTo, string? returnUrl, CancellationToken cancellationToken)
    {
        var marked = await mediator.Send(new MarkSeen.Command(User.Id(), id, upTo), cancellationToken);
        return marked ? Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!)) : NotFound();
    }

    [HttpPost("seen")]
    public async Task<IActionResult> SeenAll(long? upTo, string? returnUrl, CancellationToken cancellationToken)
    {
        await mediator.Send(new MarkSeen.Command(User.Id(), null, upTo), cancellationToken);
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }

    [HttpGet("lists")]
    public async Task<IActionResult> Lists(CancellationToken cancellationToken) =>
        View("Lists", await mediator.Send(new BookmarkIndex.Query(User.Id(), null), cancellationToken));

    [HttpPost("lists")]
    public async Task<IActionResult> CreateList(ListForm form, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var outcome = await mediator.Send(new CreateList.Command(User.Id(), form.Name), cancellationToken);
            if (outcome == ListOutcome.Done)
            {
                TempData["Message"] = text["bookmarks.lists.created", form.Name.Trim()].Value;
                return RedirectToAction(nameof(Lists));
            }

            ModelState.AddModelError(nameof(form.Name), text["bookmarks.lists.duplicate"]);
        }

        return await ListsWithErrorsAsync(cancellationToken);
    }

    [HttpPost("lists/{id:long}/rename")]
    public async Task<IActionResult> RenameList(long id, ListForm form, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var outcome = await mediator.Send(new RenameList.Command(User.Id(), id, form.Name), cancellationToken);
            switch (outcome)
            {
                case ListOutcome.NotFound:
                    return NotFound();
                case ListOutcome.Done:
                    TempData["Message"] = text["bookmarks.lists.renamed", form.Name.Trim()].Value;
                    return RedirectToAction(nameof(Lists));
                default:
                    ModelState.AddModelError(nameof(form.Name), text["bookmarks.lists.duplicate"]);
                    break;
            }
        }

        return await ListsWithErrorsAsync(cancellationToken);
    }

    [HttpPost("lists/{id:long}/delete")]
    public async Task<IActionResult> DeleteList(long id, CancellationToken cancellationToken)
    {
        var deleted = await mediator.Send(new DeleteList.Command(User.Id(), id), cancellationToken);
        if (!deleted)
        {
            return NotFound();
        }

        TempData["Message"] = text["bookmarks.lists.deleted"].Value;
        return RedirectToAction(nameof(Lists));
    }

    private async Task<IActionResult> ListsWithErrorsAsync(CancellationToken cancellationToken)
    {
        var model = await mediator.Send(new BookmarkIndex.Query(User.Id(), null), cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Lists", model);
    }

    private async Task<IActionResult> SetAsync(string? nctId, bool bookmarked, string? returnUrl, CancellationToken cancellationToken)
    {
        if (!NctId.TryParse(nctId, out var id))
        {
            return NotFound();
        }

        var found = await mediator.Send(new SetBookmark.Command(User.Id(), id.Value, bookmarked), cancellationToken);
        if (!found)
        {
            return NotFound();
        }

        if (WantsJson())
        {
            return Json(new
            {
                nctId = id.Value,
                bookmarked,
                message = bookmarked ? text["bookmarks.added"].Value : text["bookmarks.removed"].Value,
            });
        }

        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }

    private bool WantsJson() =>
        Request.Headers.Accept.Any(value => value?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);

    private static string Slug(string name)
    {
        var slug = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return slug.Length == 0 ? "list" : slug[..Math.Min(slug.Length, 40)];
    }
}
