using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Settings;

/// <summary>
/// The digest e-mail's unsubscribe link: its secret token stands in for signing in. Opening the link
/// only asks (mail scanners open links); the button turns the digest off.
/// </summary>
public static class Unsubscribe
{
    public sealed record Query(string Token) : IRequest<bool>;

    public sealed record Command(string Token) : IRequest<bool>;

    public sealed class QueryHandler(TrialFinderDbContext db) : IRequestHandler<Query, bool>
    {
        public async ValueTask<bool> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Users.AnyAsync(u => u.UnsubscribeToken == query.Token, cancellationToken);
    }

    public sealed class CommandHandler(TrialFinderDbContext db) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken) =>
            await db.Users
                .Where(u => u.UnsubscribeToken == command.Token)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.DailyDigest, false), cancellationToken) == 1;
    }
}
