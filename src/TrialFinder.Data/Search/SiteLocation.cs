namespace TrialFinder.Data.Search;

/// <summary>
/// A point where at least one site is, and how many sites are there. The registry places sites at their city, so a
/// big city is one point holding thousands of sites; a place search reads these points nearest first and each point's
/// sites in NCT id order, and weighs a reach by its sites without reading them. Kept by triggers on <c>sites</c>
/// (migration <c>SiteLocations</c>), so every writer of sites keeps it exact; nothing in the product writes it.
/// </summary>
public sealed class SiteLocation
{
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public int Sites { get; init; }
}
