using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>"Mark as seen": the changes shown so far stop counting as new for this bookmark (or for all of them).</summary>
public static class MarkSeen
{
    /// <param name="Id">One bookmark; null marks every bookmark of the user.</param>
    public sealed record Command(string UserId, long? Id) : IRequest<bool>;

    /// <summary>Returns false when the user has no such bookmark.</summary>
    public sealed class Handler(TrialFinderDbContext db, TimeProvider clock) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var bookmarks = db.Bookmarks.Where(b => b.UserId == command.UserId);
            if (command.Id is { } id)
            {
                bookmarks = bookmarks.Where(b => b.Id == id);
            }

            var updated = await bookmarks.ExecuteUpdateAsync(set => set.SetProperty(b => b.SeenAt, now), cancellationToken);
            return command.Id is null || updated == 1;
        }
    }
}
