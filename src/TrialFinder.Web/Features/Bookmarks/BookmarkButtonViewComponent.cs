using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>The bookmark toggle for one study, shown only to signed-in users.</summary>
public sealed class BookmarkButtonViewComponent(IMediator mediator) : ViewComponent
{
    public sealed record Toggle(string NctId, bool Bookmarked);

    public async Task<IViewComponentResult> InvokeAsync(string nctId)
    {
        if (HttpContext.User.Identity?.IsAuthenticated != true)
        {
            return Content("");
        }

        var bookmarked = (await BookmarkedStudies.ForRequestAsync(HttpContext, mediator)).Contains(nctId);
        return View("~/Features/Bookmarks/_BookmarkToggle.cshtml", new Toggle(nctId, bookmarked));
    }
}
