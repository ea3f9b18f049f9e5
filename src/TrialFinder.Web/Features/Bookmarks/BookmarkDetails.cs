using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>One bookmark with its note, its list and what changed since the user last looked.</summary>
public static class BookmarkDetails
{
    public sealed record Query(string UserId, long Id) : IRequest<Model?>;

    public sealed record Model(
        long Id,
        string NctId,
        string Title,
        string OverallStatus,
        string? Note,
        long? ListId,
        IReadOnlyList<BookmarkIndex.ListModel> Lists,
        DateTimeOffset CreatedAt,
        DateTimeOffset SeenAt,
        IReadOnlyList<BookmarkIndex.Change> NewChanges);

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Query, Model?>
    {
        public async ValueTask<Model?> Handle(Query query, CancellationToken cancellationToken)
        {
            var bookmark = await db.Bookmarks.AsNoTracking()
                .Where(b => b.Id == query.Id && b.UserId == query.UserId)
                .Join(db.Studies, b => b.NctId, s => s.NctId, (b, s) => new { b.Id, b.NctId, s.BriefTitle, s.OverallStatus, b.Note, b.ListId, b.CreatedAt, b.SeenAt, b.SeenUpToChangeId })
                .SingleOrDefaultAsync(cancellationToken);
            if (bookmark is null)
            {
                return null;
            }

            var lists = await db.BookmarkLists.AsNoTracking()
                .Where(l => l.UserId == query.UserId)
                .OrderBy(l => l.Name)
                .Select(l => new BookmarkIndex.ListModel(l.Id, l.Name, 0))
                .ToListAsync(cancellationToken);
            var changes = await db.StudyChanges.AsNoTracking()
                .Where(c => c.NctId == bookmark.NctId && c.Id > bookmark.SeenUpToChangeId)
                .OrderByDescending(c => c.DetectedAt).ThenByDescending(c => c.Id)
                .Select(c => new BookmarkIndex.Change(c.Id, c.DetectedAt, c.Kind, c.Summary, c.OldValue, c.NewValue))
                .ToListAsync(cancellationToken);
            return new Model(bookmark.Id, bookmark.NctId, bookmark.BriefTitle, bookmark.OverallStatus, bookmark.Note, bookmark.ListId,
                lists, bookmark.CreatedAt, bookmark.SeenAt, changes);
        }
    }
}
