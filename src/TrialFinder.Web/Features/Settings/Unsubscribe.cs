using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Accounts;
using TrialFinder.Data;
using TrialFinder.Data.Accounts;

namespace TrialFinder.Web.Features.Settings;

/// <summary>
/// The digest e-mail's unsubscribe link: its secret token stands in for signing in. Opening the link
/// only asks (mail scanners open links); the button turns the digest off. Only the token's hash is stored,
/// and each digest e-mail carries a new token, so an older e-mail's link stops working.
/// </summary>
public static class Unsubscribe
{
    public sealed record Query(string Token) : IRequest<bool>;

    public sealed record Command(string Token) : IRequest<bool>;

    public sealed class QueryHandler(TrialFinderDbContext db) : IRequestHandler<Query, bool>
    {
        public async ValueTask<bool> Handle(Query query, CancellationToken cancellationToken)
        {
            var hash = SecretToken.Hash(query.Token);
            return await db.Users.AnyAsync(u => u.UnsubscribeTokenHash == hash, cancellationToken);
        }
    }

    public sealed class CommandHandler(TrialFinderDbContext db) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var hash = SecretToken.Hash(command.Token);
            return await db.Users
                .Where(u => u.UnsubscribeTokenHash == hash)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.DailyDigest, false), cancellationToken) == 1;
        }
    }
}
