using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;
using TrialFinder.Data.Bookmarks;

namespace TrialFinder.Web.Features.SavedSearches;

/// <summary>Revokes a saved search's feed address by giving it a new secret token; the old address then answers 404.</summary>
public static class RenewFeedAddress
{
    public sealed record Command(string UserId, long Id) : IRequest<bool>;

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var token = SavedSearch.NewToken();
            return await db.SavedSearches
                .Where(s => s.Id == command.Id && s.UserId == command.UserId)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.FeedToken, token), cancellationToken) == 1;
        }
    }
}
