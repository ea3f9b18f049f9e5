namespace TrialFinder.Core.Studies;

/// <summary>A change to a study that users care about, recorded when a sync brings it in.</summary>
public sealed class StudyChange
{
    public long Id { get; set; }
    public required string NctId { get; set; }
    public long? SyncRunId { get; set; }
    public DateTimeOffset DetectedAt { get; set; }
    public required string Kind { get; set; }
    public required string Summary { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
}

public static class StudyChangeKinds
{
    public const string OverallStatus = "overall-status";
    public const string SiteAdded = "site-added";
    public const string SiteRemoved = "site-removed";
    public const string SiteStatus = "site-status";
    public const string EligibleAges = "eligible-ages";
    public const string EligibilityCriteria = "eligibility-criteria";
    public const string Phase = "phase";
    public const string Title = "title";
    public const string Listing = "listing";
    public const string Tags = "tags";
}
