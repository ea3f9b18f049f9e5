using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>Deletes a list; its bookmarks are kept, in no list.</summary>
public static class DeleteList
{
    public sealed record Command(string UserId, long Id) : IRequest<bool>;

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Bookmarks
                .Where(b => b.UserId == command.UserId && b.ListId == command.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.ListId, (long?)null), cancellationToken);
            var deleted = await db.BookmarkLists
                .Where(l => l.Id == command.Id && l.UserId == command.UserId)
                .ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return deleted == 1;
        }
    }
}
