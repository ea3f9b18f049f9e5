using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Accounts;
using TrialFinder.Data;
using TrialFinder.Data.Accounts;

namespace TrialFinder.Web.Features.SavedSearches;

/// <summary>
/// Revokes a saved search's feed address by giving it a new secret token; the old address then answers 404.
/// Returns the new token (to show once), or null when the user has no such saved search.
/// </summary>
public static class RenewFeedAddress
{
    public sealed record Command(string UserId, long Id) : IRequest<string?>;

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Command, string?>
    {
        public async ValueTask<string?> Handle(Command command, CancellationToken cancellationToken)
        {
            var token = SecretToken.New();
            var hash = SecretToken.Hash(token);
            var renewed = await db.SavedSearches
                .Where(s => s.Id == command.Id && s.UserId == command.UserId)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.FeedTokenHash, hash), cancellationToken) == 1;
            return renewed ? token : null;
        }
    }
}
