using System.Globalization;
using System.Text.RegularExpressions;
using TrialFinder.Core.Places;

namespace TrialFinder.Sync.Places;

/// <summary>
/// Postcodes from GeoNames' postal-code files (https://download.geonames.org/export/zip/, CC BY 4.0: <c>allCountries.txt</c>
/// or one country's <c>XX.txt</c>, tab-separated: country code, postal code, place name, admin name1, admin code1, admin name2,
/// admin code2, admin name3, admin code3, latitude, longitude, accuracy). Rows of the same code (several villages share a
/// German or Australian code) become one place at their mean position, named after the biggest GeoNames city among them
/// ("80331 München"); the key is the one <see cref="Postcodes.KeyFor"/> gives, so a full UK, Canadian or Dutch code
/// (GeoNames' <c>GB_full</c>, <c>CA_full</c>, <c>NL_full</c>) joins its outward code, area or digits. Countries the other
/// packages already cover (US ZIPs, French postcodes) are left to them.
/// </summary>
public static partial class GeoNamesPostalCodeReader
{
    private static readonly HashSet<string> CoveredElsewhere = ["US", "PR", "VI", "GU", "FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"];

    /// <summary>The files to read at a path: the file itself, or every <c>*.txt</c> in a folder (ordered by name).</summary>
    public static IReadOnlyList<string> FilesAt(string path) =>
        Directory.Exists(path) ? Directory.GetFiles(path, "*.txt").Order(StringComparer.Ordinal).ToList()
        : File.Exists(path) ? [path]
        : throw new FileNotFoundException($"No GeoNames postal-code file or folder at '{Path.GetFullPath(path)}'.", path);

    /// <param name="otherNames">The cities' other names (<see cref="PlaceKind.CityOtherName"/> rows): GeoNames calls Munich "Munich" while its postcodes say "München".</param>
    public static IEnumerable<Place> Read(IReadOnlyList<string> files, IReadOnlyList<GeoNamesCity> cities, IEnumerable<Place>? otherNames = null)
    {
        var rows = files.SelectMany(ReadRows).Where(r => !CoveredElsewhere.Contains(r.CountryCode)).ToList();
        var countries = rows.Select(r => r.CountryCode).ToHashSet();
        var populationByName = cities
            .Where(c => countries.Contains(c.CountryCode))
            .Select(c => (Key: (c.CountryCode, PlaceSearchKey.From(c.Name)), c.Population))
            .Concat((otherNames ?? []).Where(p => countries.Contains(p.CountryCode)).Select(p => (Key: (p.CountryCode, p.SearchKey), p.Population)))
            .GroupBy(c => c.Key)
            .ToDictionary(g => g.Key, g => g.Max(c => c.Population));

        foreach (var code in rows.GroupBy(r => (r.CountryCode, Key: Postcodes.KeyFor(r.CountryCode, r.PostalCode))).OrderBy(g => g.Key))
        {
            var (country, key) = code.Key;
            if (key.Length == 0)
            {
                continue;
            }

            var first = code.First();
            var town = TownOf(code.ToList(), populationByName);
            var shown = key.All(char.IsAsciiDigit) ? key : key.ToUpperInvariant();
            yield return new Place
            {
                Kind = PlaceKind.PostalCode,
                Name = town.Length > 0 ? $"{shown} {town}" : shown,
                SearchKey = key,
                CountryCode = country,
                Region = string.IsNullOrWhiteSpace(first.Region) ? null : first.Region.Trim(),
                PostalCode = shown,
                Latitude = Math.Round(code.Average(r => r.Latitude), 5),
                Longitude = Math.Round(code.Average(r => r.Longitude), 5),
            };
        }
    }

    private static IEnumerable<Row> ReadRows(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 11
                || fields[0].Trim() is not { Length: 2 } country
                || !double.TryParse(fields[9], NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude)
                || !double.TryParse(fields[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude)
                || latitude is < -90 or > 90 || longitude is < -180 or > 180)
            {
                throw new InvalidDataException(
                    $"{path}, line {number}: not a GeoNames postal-code row (country, postal code, place name, admin name1, admin code1, "
                    + "admin name2, admin code2, admin name3, admin code3, latitude, longitude, accuracy; separated by tabs).");
            }

            yield return new Row(country.ToUpperInvariant(), fields[1].Trim(), fields[2].Trim(), fields[3], fields[5].Trim(), fields[7].Trim(), latitude, longitude);
        }
    }

    /// <summary>
    /// The town a code is shown with. GeoNames names a code's rows after post offices, villages, districts, and also buildings
    /// and firms ("SW1A Westminster Abbey", "20246 Universitätsklinikum Hamburg-Eppendorf", "75013 Rechbergklinik"): a populated
    /// place is preferred, the biggest GeoNames city among the rows, by any of its names ("80331 München"); else one whose name starts with a city
    /// ("Lausanne 25", "Genève 11", "Graz,03.Bez.:Geidorf" are shown as that city); else the district the rows give (admin
    /// name 3, else 2: "Kreisfreie Stadt München", "Greater London", "Toronto"); else the first row's name.
    /// </summary>
    private static string TownOf(IReadOnlyList<Row> rows, Dictionary<(string, string), int> populationByName)
    {
        var country = rows[0].CountryCode;
        var towns = rows.Select((row, index) => (row, index, town: LeadingCity(row.PlaceName, country, populationByName)))
            .Where(t => t.town is not null)
            .OrderByDescending(t => t.town!.Value.WholeName).ThenByDescending(t => t.town!.Value.Population).ThenBy(t => t.index)
            .Select(t => t.town!.Value.Name)
            .FirstOrDefault();
        return towns
            ?? rows.Select(r => r.District).Concat(rows.Select(r => r.County)).Select(BeforeComma).FirstOrDefault(d => d.Length > 0)
            ?? rows[0].PlaceName;
    }

    /// <summary>The row's name, or its longest leading words, that name a GeoNames city of the country.</summary>
    private static (string Name, int Population, bool WholeName)? LeadingCity(string placeName, string country, Dictionary<(string, string), int> populationByName)
    {
        var words = Words().Matches(placeName);
        for (var count = words.Count; count >= 1; count--)
        {
            var last = words[count - 1];
            var leading = placeName[..(last.Index + last.Length)];
            if (populationByName.TryGetValue((country, PlaceSearchKey.From(leading)), out var population))
            {
                return (count == words.Count ? placeName : leading, population, count == words.Count);
            }
        }

        return null;
    }

    // A label is read back as "place, region, country": a comma in a district's name ("Berlin, Stadt") would split it.
    private static string BeforeComma(string name) => name.Split(',', 2)[0].Trim();

    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+")]
    private static partial Regex Words();

    private sealed record Row(
        string CountryCode, string PostalCode, string PlaceName, string Region, string County, string District, double Latitude, double Longitude);
}
