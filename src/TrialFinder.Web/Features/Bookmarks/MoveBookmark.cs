using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>Puts a bookmark in one of the user's lists, or in none.</summary>
public static class MoveBookmark
{
    public sealed record Command(string UserId, long Id, long? ListId) : IRequest<bool>;

    /// <summary>Returns false when the bookmark or the list is not the user's.</summary>
    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.ListId is { } listId
                && !await db.BookmarkLists.AnyAsync(l => l.Id == listId && l.UserId == command.UserId, cancellationToken))
            {
                return false;
            }

            var updated = await db.Bookmarks
                .Where(b => b.Id == command.Id && b.UserId == command.UserId)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.ListId, command.ListId), cancellationToken);
            return updated == 1;
        }
    }
}
