using TrialFinder.Web.Features.Accounts;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>Which studies the signed-in user has bookmarked, for the bookmark buttons on results and trial pages.</summary>
public static class BookmarkedStudies
{
    public sealed record Query(string UserId) : IRequest<IReadOnlySet<string>>;

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Query, IReadOnlySet<string>>
    {
        public async ValueTask<IReadOnlySet<string>> Handle(Query query, CancellationToken cancellationToken) =>
            (await db.Bookmarks.AsNoTracking()
                .Where(b => b.UserId == query.UserId)
                .Select(b => b.NctId)
                .ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Loaded once per request however many buttons the page shows.</summary>
    public static async Task<IReadOnlySet<string>> ForRequestAsync(HttpContext context, IMediator mediator)
    {
        const string key = "bookmarks.ids";
        if (context.Items[key] is IReadOnlySet<string> cached)
        {
            return cached;
        }

        var ids = await mediator.Send(new Query(context.User.Id()), context.RequestAborted);
        context.Items[key] = ids;
        return ids;
    }
}
