using System.Globalization;
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
public static class GeoNamesPostalCodeReader
{
    private static readonly HashSet<string> CoveredElsewhere = ["US", "PR", "VI", "GU", "FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"];

    /// <summary>The files to read at a path: the file itself, or every <c>*.txt</c> in a folder (ordered by name).</summary>
    public static IReadOnlyList<string> FilesAt(string path) =>
        Directory.Exists(path) ? Directory.GetFiles(path, "*.txt").Order(StringComparer.Ordinal).ToList()
        : File.Exists(path) ? [path]
        : throw new FileNotFoundException($"No GeoNames postal-code file or folder at '{Path.GetFullPath(path)}'.", path);

    public static IEnumerable<Place> Read(IReadOnlyList<string> files, IReadOnlyList<GeoNamesCity> cities)
    {
        var rows = files.SelectMany(ReadRows).Where(r => !CoveredElsewhere.Contains(r.CountryCode)).ToList();
        var countries = rows.Select(r => r.CountryCode).ToHashSet();
        var populationByName = cities
            .Where(c => countries.Contains(c.CountryCode))
            .GroupBy(c => (c.CountryCode, PlaceSearchKey.From(c.Name)))
            .ToDictionary(g => g.Key, g => g.Max(c => c.Population));

        foreach (var code in rows.GroupBy(r => (r.CountryCode, Key: Postcodes.KeyFor(r.CountryCode, r.PostalCode))).OrderBy(g => g.Key))
        {
            var (country, key) = code.Key;
            if (key.Length == 0)
            {
                continue;
            }

            var first = code.First();
            var town = code
                .Select((row, index) => (row, index, population: populationByName.GetValueOrDefault((country, PlaceSearchKey.From(row.PlaceName)), -1)))
                .OrderByDescending(t => t.population).ThenBy(t => t.index)
                .First().row.PlaceName;
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

            yield return new Row(country.ToUpperInvariant(), fields[1].Trim(), fields[2].Trim(), fields[3], latitude, longitude);
        }
    }

    private sealed record Row(string CountryCode, string PostalCode, string PlaceName, string Region, double Latitude, double Longitude);
}
