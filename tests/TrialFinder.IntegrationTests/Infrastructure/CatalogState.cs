using Microsoft.EntityFrameworkCore;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>What a user could see of the stored catalogue, for comparing two databases or two moments.</summary>
public sealed record CatalogState(IReadOnlyList<string> Studies, int Changes)
{
    public static void AssertSame(CatalogState expected, CatalogState actual)
    {
        Assert.Equal(expected.Studies, actual.Studies);
        Assert.Equal(expected.Changes, actual.Changes);
    }

    public static async Task<CatalogState> ReadAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var studies = await db.Studies.AsNoTracking()
            .OrderBy(s => s.NctId)
            .Select(s => new
            {
                s.NctId, s.ContentHash, s.OverallStatus, s.IsListed, s.Diseases, s.TherapyTypes, s.TakesRefractory,
                s.MinimumAgeYears, s.MaximumAgeYears, Sites = s.Sites.Count,
            })
            .ToListAsync();
        var changes = await db.StudyChanges.CountAsync();
        return new CatalogState(
            studies.Select(s => $"{s.NctId} {s.ContentHash} {s.OverallStatus} listed={s.IsListed} ages={s.MinimumAgeYears}-{s.MaximumAgeYears} " +
                                $"sites={s.Sites} [{string.Join(',', s.Diseases)}] [{string.Join(',', s.TherapyTypes)}] refractory={s.TakesRefractory}").ToList(),
            changes);
    }
}
