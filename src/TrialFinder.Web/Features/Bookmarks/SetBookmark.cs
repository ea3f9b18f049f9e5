using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;
using TrialFinder.Data.Bookmarks;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>Bookmark or un-bookmark a study (from results, the trial page or the bookmarks page).</summary>
public static class SetBookmark
{
    public sealed record Command(string UserId, string NctId, bool Bookmarked) : IRequest<bool>;

    /// <summary>Returns false when the study is not in the catalogue.</summary>
    public sealed class Handler(TrialFinderDbContext db, TimeProvider clock) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var nctId = command.NctId.Trim().ToUpperInvariant();
            if (!command.Bookmarked)
            {
                await db.Bookmarks.Where(b => b.UserId == command.UserId && b.NctId == nctId).ExecuteDeleteAsync(cancellationToken);
                return true;
            }

            if (!await db.Studies.AnyAsync(s => s.NctId == nctId, cancellationToken))
            {
                return false;
            }

            if (await db.Bookmarks.AnyAsync(b => b.UserId == command.UserId && b.NctId == nctId, cancellationToken))
            {
                return true;
            }

            var now = clock.GetUtcNow();
            var newestChange = await db.StudyChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            db.Bookmarks.Add(new Bookmark
            {
                UserId = command.UserId, NctId = nctId, CreatedAt = now, SeenAt = now,
                BookmarkedAtChangeId = newestChange, SeenUpToChangeId = newestChange,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // A double click may have raced this request: then the bookmark exists, which is what was asked.
                if (!await db.Bookmarks.AsNoTracking().AnyAsync(b => b.UserId == command.UserId && b.NctId == nctId, cancellationToken))
                {
                    throw;
                }
            }

            return true;
        }
    }
}
