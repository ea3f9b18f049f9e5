using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>"Mark as seen": the changes shown so far stop counting as new for this bookmark (or for all of them).</summary>
public static class MarkSeen
{
    /// <param name="Id">One bookmark; null marks every bookmark of the user.</param>
    /// <param name="UpToChangeId">
    /// The newest change the page showed. A change committed after the page was drawn has a higher id and stays
    /// new; without it, every change stored so far is marked seen.
    /// </param>
    public sealed record Command(string UserId, long? Id, long? UpToChangeId = null) : IRequest<bool>;

    /// <summary>Returns false when the user has no such bookmark.</summary>
    public sealed class Handler(TrialFinderDbContext db, TimeProvider clock) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var newest = await db.StudyChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            var upTo = command.UpToChangeId is { } shown ? Math.Min(shown, newest) : newest;
            var bookmarks = db.Bookmarks.Where(b => b.UserId == command.UserId);
            if (command.Id is { } id)
            {
                bookmarks = bookmarks.Where(b => b.Id == id);
            }

            var matching = await bookmarks.CountAsync(cancellationToken);
            await bookmarks.Where(b => b.SeenUpToChangeId < upTo)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.SeenAt, now).SetProperty(b => b.SeenUpToChangeId, upTo), cancellationToken);
            return command.Id is null || matching == 1;
        }
    }
}
