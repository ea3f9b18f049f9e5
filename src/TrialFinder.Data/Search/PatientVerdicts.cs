using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.PreScreening;

namespace TrialFinder.Data.Search;

/// <summary>
/// Stored studies checked against a patient's facts, read in one query: for the search results and for the alerts of a
/// saved search that keeps a profile (the feed and the digest).
/// </summary>
public static class PatientVerdicts
{
    public static async Task<IReadOnlyDictionary<string, PreScreenResult>> CheckAsync(
        TrialFinderDbContext db, PatientProfile profile, IReadOnlyCollection<string> nctIds, CancellationToken cancellationToken)
    {
        var ids = nctIds.ToList();
        var rows = await db.Studies.AsNoTracking()
            .Where(s => ids.Contains(s.NctId))
            .Select(s => new { s.NctId, s.EligibilityFacts, s.Diseases })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.NctId, r => PreScreen.Check(profile, r.EligibilityFacts ?? [], r.Diseases), StringComparer.Ordinal);
    }

    public static async Task<IReadOnlyDictionary<string, PreScreenVerdict?>> ForAsync(
        TrialFinderDbContext db, PatientProfile profile, IReadOnlyCollection<string> nctIds, CancellationToken cancellationToken)
    {
        if (profile.IsEmpty || nctIds.Count == 0)
        {
            return new Dictionary<string, PreScreenVerdict?>();
        }

        var checks = await CheckAsync(db, profile, nctIds, cancellationToken);
        return checks.ToDictionary(c => c.Key, c => (PreScreenVerdict?)c.Value.Verdict, StringComparer.Ordinal);
    }

    /// <summary>The text key of an alert's verdict line ("alerts.verdict.fits" …), or null when there is none.</summary>
    public static string? TextKey(PreScreenVerdict? verdict) => verdict switch
    {
        PreScreenVerdict.Fits => "alerts.verdict.fits",
        PreScreenVerdict.MayNotFit => "alerts.verdict.may-not-fit",
        PreScreenVerdict.NotStated => "alerts.verdict.not-stated",
        _ => null,
    };
}
