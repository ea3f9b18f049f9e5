using TrialFinder.Core.Studies;
using TrialFinder.Core.Geo;
using TrialFinder.Core.PreScreening;

namespace TrialFinder.Data.Search;

/// <summary>Validated search filters, in the product's units (years, kilometres).</summary>
public sealed record StudySearchCriteria
{
    public decimal? AgeYears { get; init; }
    public GeoPoint? Near { get; init; }
    public double RadiusKm { get; init; } = SearchFilter.DefaultRadiusKm;
    public IReadOnlyList<string> Therapies { get; init; } = [];
    public string? Disease { get; init; }
    public bool? TakesRefractory { get; init; }
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public IReadOnlyList<string> Phases { get; init; } = [];
    public string? Country { get; init; }
    public string? Text { get; init; }
    public StudySort Sort { get; init; } = StudySort.Updated;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = SearchFilter.DefaultPageSize;

    /// <summary>What the family told us about the patient; never part of the SQL, judged against each result's stored facts.</summary>
    public PatientProfile Patient { get; init; } = PatientProfile.Empty;
}

public enum StudySort
{
    Distance,
    Updated,
    Relevance,
}

/// <summary>One study of a result page: what the result list shows of it, and its nearest matching site.</summary>
public sealed record StudySearchHit(string NctId, double? NearestSiteKm, int SitesWithinRadius, StudyListing Study, NearestSiteListing? NearestSite);

public sealed record StudyListing(
    string BriefTitle,
    string? Acronym,
    string OverallStatus,
    IReadOnlyList<string> Phases,
    IReadOnlyList<string> Diseases,
    IReadOnlyList<string> NetSubtypes,
    IReadOnlyList<string> TherapyTypes,
    bool TakesRefractory,
    string? MinimumAgeText,
    string? MaximumAgeText,
    DateOnly? LastUpdatePostedOn,
    int SiteCount,
    StudySource Source,
    DateOnly? SnapshotStatusAsOf,
    string? SnapshotStatusSourceTitle,
    string? SnapshotStatusSourceUrl,
    int? SnapshotReportedSiteCount);

public sealed record NearestSiteListing(string? Facility, string? City, string? Country, string? RecruitmentStatus, double DistanceKm);

/// <summary>A page of results and how many trials match; <paramref name="MoreThanTotal"/>: more match than Total, the count's limit.</summary>
public sealed record StudySearchPage(IReadOnlyList<StudySearchHit> Hits, int Total, bool MoreThanTotal = false);
