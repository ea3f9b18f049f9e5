using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.SavedSearches;

/// <summary>The user's saved searches (their feed addresses are not stored, only their tokens' hashes).</summary>
public static class SavedSearchList
{
    public sealed record Query(string UserId) : IRequest<IReadOnlyList<Item>>;

    public sealed record Item(long Id, string Name, string QueryString, DateTimeOffset CreatedAt);

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Query, IReadOnlyList<Item>>
    {
        public async ValueTask<IReadOnlyList<Item>> Handle(Query query, CancellationToken cancellationToken) =>
            await db.SavedSearches.AsNoTracking()
                .Where(s => s.UserId == query.UserId)
                .OrderBy(s => s.Name).ThenBy(s => s.Id)
                .Select(s => new Item(s.Id, s.Name, s.QueryString, s.CreatedAt))
                .ToListAsync(cancellationToken);
    }
}
