namespace TrialFinder.Core.Studies;

/// <summary>One place where a study enrols, with its own recruitment status.</summary>
public sealed class Site
{
    public long Id { get; set; }
    public string NctId { get; set; } = "";

    /// <summary>Position in the registry's list, so pages show sites in the registry's order.</summary>
    public int Ordinal { get; set; }

    public string? Facility { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }
    public string? RecruitmentStatus { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public List<SiteContact> Contacts { get; set; } = [];

    /// <summary>Identity of a site across registry versions (the registry gives sites no id).</summary>
    public string Key => $"{Facility}|{City}|{State}|{Country}".ToUpperInvariant();

    public string Describe() =>
        string.Join(", ", new[] { Facility, City, State, Country }.Where(part => !string.IsNullOrWhiteSpace(part)));
}

public sealed record SiteContact(string? Name, string? Role, string? Phone, string? Email);
