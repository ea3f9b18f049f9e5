using TrialFinder.Core.Studies;

namespace TrialFinder.Data.Rereads;

/// <summary>Which stored studies wait for a re-read: those read with another version than this build's (or before versions were kept).</summary>
public static class StaleReadings
{
    public static IQueryable<Study> ReadWithAnotherVersion(this IQueryable<Study> studies) =>
        ReadWithAnotherVersion(studies, StudyReading.CurrentVersion);

    public static IQueryable<Study> ReadWithAnotherVersion(this IQueryable<Study> studies, string version) =>
        studies.Where(s => s.ReadingVersion == null || s.ReadingVersion != version);
}
