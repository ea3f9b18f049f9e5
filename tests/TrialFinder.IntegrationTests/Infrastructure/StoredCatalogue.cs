using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// Everything a sync leaves that users see, in a form two databases can be compared by: studies (content, status,
/// listing, miss count, tags, ages), sites per study, the change history as a multiset (ids and times differ
/// between databases), and each bookmark's badge (the changes newer than what its owner has seen).
/// </summary>
public sealed record StoredCatalogue(
    IReadOnlyList<string> Studies, IReadOnlyList<string> Sites, IReadOnlyList<string> Changes, IReadOnlyList<string> BookmarkBadges)
{
    public static async Task<StoredCatalogue> ReadAsync(string connectionString)
    {
        await using var db = TestDatabase.CreateContext(connectionString);
        var studies = await db.Studies.AsNoTracking()
            .Select(s => new
            {
                s.NctId, s.ContentHash, s.OverallStatus, s.IsListed, s.SyncState!.FullRunMisses, s.Source, s.MinimumAgeYears, s.MaximumAgeYears,
                s.Diseases, s.NetSubtypes, s.TherapyTypes, s.TakesRefractory, Delisted = s.DelistedAt != null,
            })
            .ToListAsync();
        var sites = await db.Sites.AsNoTracking()
            .Select(s => new { s.NctId, s.Ordinal, s.Facility, s.City, s.Country, s.RecruitmentStatus, s.Latitude, s.Longitude })
            .ToListAsync();
        var changes = await db.StudyChanges.AsNoTracking()
            .Select(c => new { c.NctId, c.Kind, c.Summary, c.OldValue, c.NewValue })
            .ToListAsync();
        var badges = await db.Bookmarks.AsNoTracking()
            .Join(db.Users, b => b.UserId, u => u.Id, (b, u) => new { u.Email, b.NctId, b.SeenUpToChangeId })
            .Select(b => new
            {
                b.Email, b.NctId,
                New = db.StudyChanges.Where(c => c.NctId == b.NctId && c.Id > b.SeenUpToChangeId).Select(c => c.Summary).ToList(),
            })
            .ToListAsync();

        return new StoredCatalogue(
            Sorted(studies.Select(s =>
                $"{s.NctId} hash={s.ContentHash} status={s.OverallStatus} listed={s.IsListed} delisted={s.Delisted} misses={s.FullRunMisses} " +
                $"source={s.Source} ages={s.MinimumAgeYears}-{s.MaximumAgeYears} diseases=[{string.Join(',', s.Diseases)}] " +
                $"net=[{string.Join(',', s.NetSubtypes)}] therapies=[{string.Join(',', s.TherapyTypes)}] refractory={s.TakesRefractory}")),
            Sorted(sites.Select(s =>
                $"{s.NctId} #{s.Ordinal:D3} {s.Facility} | {s.City} | {s.Country} | {s.RecruitmentStatus} | " +
                $"{s.Latitude?.ToString("R", CultureInfo.InvariantCulture)},{s.Longitude?.ToString("R", CultureInfo.InvariantCulture)}")),
            Sorted(changes.Select(c => $"{c.NctId} {c.Kind}: {c.Summary} [{c.OldValue} → {c.NewValue}]")),
            Sorted(badges.Select(b => $"{b.Email} {b.NctId}: {b.New.Count} new [{string.Join("; ", b.New.Order(StringComparer.Ordinal))}]")));
    }

    /// <summary>Fails with the lines each side has that the other has not (as multisets), part by part.</summary>
    public static void AssertSame(StoredCatalogue expected, StoredCatalogue actual)
    {
        AssertSameLines("studies", expected.Studies, actual.Studies);
        AssertSameLines("sites", expected.Sites, actual.Sites);
        AssertSameLines("changes", expected.Changes, actual.Changes);
        AssertSameLines("bookmark badges", expected.BookmarkBadges, actual.BookmarkBadges);
    }

    public override string ToString() =>
        $"{Studies.Count} studies, {Sites.Count} sites, {Changes.Count} changes, {BookmarkBadges.Count} bookmarks " +
        $"({BookmarkBadges.Count(b => !b.Contains(": 0 new", StringComparison.Ordinal))} with news)";

    private static List<string> Sorted(IEnumerable<string> lines) => [.. lines.Order(StringComparer.Ordinal)];

    private static void AssertSameLines(string part, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        if (expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            return;
        }

        var missing = MultisetExcept(expected, actual);
        var extra = MultisetExcept(actual, expected);
        Assert.Fail(
            $"The {part} differ ({expected.Count} expected, {actual.Count} found).\n" +
            $"Only in the expected ({missing.Count}):\n  {string.Join("\n  ", missing.Take(20))}\n" +
            $"Only in the actual ({extra.Count}):\n  {string.Join("\n  ", extra.Take(20))}");
    }

    private static List<string> MultisetExcept(IEnumerable<string> left, IEnumerable<string> right)
    {
        var remaining = right.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var line in left)
        {
            if (remaining.TryGetValue(line, out var count) && count > 0)
            {
                remaining[line] = count - 1;
            }
            else
            {
                result.Add(line);
            }
        }

        return result;
    }
}
