using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Geo;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>
/// A user's bookmarks (all, or one list): each study's current status, its nearest site to the user's
/// home place, and what changed since the user last looked. Also feeds the CSV export and the printable view.
/// </summary>
public static class BookmarkIndex
{
    /// <param name="ListId">Only the bookmarks of this list; null means every bookmark.</param>
    public sealed record Query(string UserId, long? ListId) : IRequest<Model?>;

    public sealed record Model(
        IReadOnlyList<ListModel> Lists,
        ListModel? SelectedList,
        string? HomePlace,
        IReadOnlyList<Item> Bookmarks)
    {
        public int ChangedCount => Bookmarks.Count(b => b.NewChanges.Count > 0);
    }

    public sealed record ListModel(long Id, string Name, int Count);

    public sealed record Item(
        long Id,
        string NctId,
        string Title,
        string OverallStatus,
        bool IsListed,
        long? ListId,
        string? ListName,
        string? Note,
        DateTimeOffset CreatedAt,
        DateTimeOffset SeenAt,
        NearestSite? Nearest,
        IReadOnlyList<Change> NewChanges);

    public sealed record NearestSite(string Description, string? RecruitmentStatus, double DistanceKm);

    public sealed record Change(long Id, DateTimeOffset DetectedAt, string Kind, string Summary, string? OldValue, string? NewValue);

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Query, Model?>
    {
        public async ValueTask<Model?> Handle(Query query, CancellationToken cancellationToken)
        {
            var userId = query.UserId;
            var lists = await db.BookmarkLists.AsNoTracking()
                .Where(l => l.UserId == userId)
                .OrderBy(l => l.Name)
                .Select(l => new ListModel(l.Id, l.Name, db.Bookmarks.Count(b => b.ListId == l.Id && b.UserId == userId)))
                .ToListAsync(cancellationToken);
            var selected = query.ListId is { } listId ? lists.SingleOrDefault(l => l.Id == listId) : null;
            if (query.ListId is not null && selected is null)
            {
                return null;
            }

            var home = await db.Users.AsNoTracking()
                .Where(u => u.Id == userId)
                .Select(u => new { u.HomePlaceLabel, u.HomeLatitude, u.HomeLongitude })
                .SingleAsync(cancellationToken);

            var bookmarks = db.Bookmarks.AsNoTracking().Where(b => b.UserId == userId);
            if (query.ListId is { } only)
            {
                bookmarks = bookmarks.Where(b => b.ListId == only);
            }

            var rows = await bookmarks
                .Join(db.Studies, b => b.NctId, s => s.NctId, (b, s) => new
                {
                    b.Id, b.NctId, s.BriefTitle, s.OverallStatus, s.IsListed, b.ListId, b.Note, b.CreatedAt, b.SeenAt,
                })
                .ToListAsync(cancellationToken);

            var changes = (await bookmarks
                    .Join(db.StudyChanges, b => b.NctId, c => c.NctId, (b, c) => new { b.Id, b.SeenUpToChangeId, c })
                    .Where(x => x.c.Id > x.SeenUpToChangeId)
                    .OrderByDescending(x => x.c.DetectedAt).ThenByDescending(x => x.c.Id)
                    .Select(x => new { x.Id, Change = new Change(x.c.Id, x.c.DetectedAt, x.c.Kind, x.c.Summary, x.c.OldValue, x.c.NewValue) })
                    .ToListAsync(cancellationToken))
                .ToLookup(x => x.Id, x => x.Change);

            var nearest = new Dictionary<string, NearestSite>();
            if (home is { HomeLatitude: { } homeLat, HomeLongitude: { } homeLon })
            {
                var ids = rows.Select(r => r.NctId).ToList();
                var sites = await db.Sites.AsNoTracking()
                    .Where(s => ids.Contains(s.NctId) && s.Latitude != null && s.Longitude != null)
                    .Select(s => new { s.NctId, s.Facility, s.City, s.State, s.Country, s.RecruitmentStatus, Lat = s.Latitude!.Value, Lon = s.Longitude!.Value })
                    .ToListAsync(cancellationToken);
                foreach (var group in sites.GroupBy(s => s.NctId))
                {
                    var best = group
                        .Select(s => (Site: s, Km: GeoDistance.HaversineKm(homeLat, homeLon, s.Lat, s.Lon)))
                        .MinBy(x => x.Km);
                    var description = string.Join(", ", new[] { best.Site.Facility, best.Site.City, best.Site.State, best.Site.Country }
                        .Where(part => !string.IsNullOrWhiteSpace(part)));
                    nearest[group.Key] = new NearestSite(description, best.Site.RecruitmentStatus, best.Km);
                }
            }

            var listNames = lists.ToDictionary(l => l.Id, l => l.Name);
            var items = rows
                .Select(r => new Item(
                    r.Id, r.NctId, r.BriefTitle, r.OverallStatus, r.IsListed, r.ListId,
                    r.ListId is { } id && listNames.TryGetValue(id, out var name) ? name : null,
                    r.Note, r.CreatedAt, r.SeenAt, nearest.GetValueOrDefault(r.NctId), changes[r.Id].ToList()))
                // What changed comes first: that is what the user opens the page for.
                .OrderByDescending(i => i.NewChanges.Count > 0)
                .ThenByDescending(i => i.CreatedAt)
                .ThenBy(i => i.NctId, StringComparer.Ordinal)
                .ToList();
            return new Model(lists, selected, home.HomePlaceLabel, items);
        }
    }
}
