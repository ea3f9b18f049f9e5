using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;
using TrialFinder.Data.Bookmarks;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>A new named list to group bookmarks (for example one per patient, without saying who the patient is).</summary>
public static class CreateList
{
    public sealed record Command(string UserId, string Name) : IRequest<ListOutcome>;

    public sealed class Handler(TrialFinderDbContext db, TimeProvider clock) : IRequestHandler<Command, ListOutcome>
    {
        public async ValueTask<ListOutcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var name = command.Name.Trim();
            if (await db.BookmarkLists.AnyAsync(l => l.UserId == command.UserId && l.Name == name, cancellationToken))
            {
                return ListOutcome.DuplicateName;
            }

            db.BookmarkLists.Add(new BookmarkList { UserId = command.UserId, Name = name, CreatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                return ListOutcome.DuplicateName;
            }

            return ListOutcome.Done;
        }
    }
}
