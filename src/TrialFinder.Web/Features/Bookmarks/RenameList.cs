using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;
using TrialFinder.Web.Pipeline;

namespace TrialFinder.Web.Features.Bookmarks;

public static class RenameList
{
    public sealed record Command(string UserId, long Id, string Name) : IUnitOfWorkCommand<ListOutcome>;

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Command, ListOutcome>
    {
        public async ValueTask<ListOutcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var list = await db.BookmarkLists.SingleOrDefaultAsync(l => l.Id == command.Id && l.UserId == command.UserId, cancellationToken);
            if (list is null)
            {
                return ListOutcome.NotFound;
            }

            var name = command.Name.Trim();
            if (await db.BookmarkLists.AnyAsync(l => l.UserId == command.UserId && l.Name == name && l.Id != command.Id, cancellationToken))
            {
                return ListOutcome.DuplicateName;
            }

            list.Name = name;
            return ListOutcome.Done;
        }
    }
}
