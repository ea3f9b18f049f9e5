namespace TrialFinder.Core.Places;

/// <summary>
/// The postal abbreviations people write after a city ("Paris, TX", "London, ON", "Perth, WA") for
/// the states and provinces of the United States, Canada and Australia, with the region names the
/// gazetteer (GeoNames admin1) uses. An abbreviation may name regions in several countries ("WA").
/// </summary>
public static class RegionAbbreviations
{
    private const string Table = """
        US AL Alabama|US AK Alaska|US AZ Arizona|US AR Arkansas|US CA California|US CO Colorado|US CT Connecticut|
        US DE Delaware|US DC District of Columbia|US FL Florida|US GA Georgia|US HI Hawaii|US ID Idaho|US IL Illinois|
        US IN Indiana|US IA Iowa|US KS Kansas|US KY Kentucky|US LA Louisiana|US ME Maine|US MD Maryland|US MA Massachusetts|
        US MI Michigan|US MN Minnesota|US MS Mississippi|US MO Missouri|US MT Montana|US NE Nebraska|US NV Nevada|
        US NH New Hampshire|US NJ New Jersey|US NM New Mexico|US NY New York|US NC North Carolina|US ND North Dakota|
        US OH Ohio|US OK Oklahoma|US OR Oregon|US PA Pennsylvania|US RI Rhode Island|US SC South Carolina|US SD South Dakota|
        US TN Tennessee|US TX Texas|US UT Utah|US VT Vermont|US VA Virginia|US WA Washington|US WV West Virginia|
        US WI Wisconsin|US WY Wyoming|
        CA AB Alberta|CA BC British Columbia|CA MB Manitoba|CA NB New Brunswick|CA NL Newfoundland and Labrador|
        CA NS Nova Scotia|CA NT Northwest Territories|CA NU Nunavut|CA ON Ontario|CA PE Prince Edward Island|CA QC Quebec|
        CA SK Saskatchewan|CA YT Yukon|
        AU ACT Australian Capital Territory|AU NSW New South Wales|AU NT Northern Territory|AU QLD Queensland|
        AU SA South Australia|AU TAS Tasmania|AU VIC Victoria|AU WA Western Australia
        """;

    private static readonly ILookup<string, Region> ByAbbreviation = Table
        .Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(entry => entry.Split(' ', 3))
        .ToLookup(parts => parts[1].ToLowerInvariant(), parts => new Region(parts[0], parts[2], PlaceSearchKey.From(parts[2])));

    /// <summary>The regions an abbreviation stands for (none when it is not one).</summary>
    public static IEnumerable<Region> Find(string qualifierKey) => ByAbbreviation[qualifierKey];

    /// <param name="Key">The region name as a place search key, to compare with a place's region.</param>
    public sealed record Region(string CountryCode, string Name, string Key);
}
