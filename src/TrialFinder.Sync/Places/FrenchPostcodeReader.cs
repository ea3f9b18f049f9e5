using System.Text.Json;
using TrialFinder.Core.Places;

namespace TrialFinder.Sync.Places;

/// <summary>
/// French postcodes from the npm package <c>codes-postaux</c> (La Poste / INSEE: postcode → communes
/// by INSEE code, no coordinates), placed with GeoNames: a postcode lies at the population-weighted
/// centre of its communes that GeoNames lists (1,000+ people; GeoNames' admin4 code is the INSEE code),
/// and is named after the biggest ("69003 Lyon"). Postcodes whose communes are all smaller are left out.
/// </summary>
public static class FrenchPostcodeReader
{
    // GeoNames files the overseas departments under their own ISO codes.
    private static readonly HashSet<string> FrenchCountryCodes = ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"];

    public static IEnumerable<Place> Read(string path, IReadOnlyList<GeoNamesCity> cities, RegionNames regions)
    {
        using var stream = File.OpenRead(path);
        var communes = JsonSerializer.Deserialize<List<Entry>>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{path} holds no postcodes.");

        var frenchCities = cities.Where(c => FrenchCountryCodes.Contains(c.CountryCode)).ToList();
        var byInseeCode = frenchCities
            .Where(c => c.Admin4Code is not null)
            .GroupBy(c => c.Admin4Code!)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.FeatureCode == "PPLX").ThenByDescending(c => c.Population).First());
        // A few big cities carry no INSEE code in the package (Paris): find those by name within the department.
        var byName = frenchCities.ToLookup(c => PlaceSearchKey.From(c.Name));

        foreach (var postcode in communes.Where(c => c.CodePostal is { Length: 5 } && c.CodeCommune is { Length: 5 }).GroupBy(c => c.CodePostal!).OrderBy(g => g.Key))
        {
            var matched = postcode
                .Select(commune => Locate(commune, byInseeCode, byName))
                .OfType<GeoNamesCity>()
                .DistinctBy(c => c.Id)
                .ToList();
            if (matched.Count == 0)
            {
                continue;
            }

            var biggest = matched.MaxBy(c => c.Population)!;
            double weight = 0, latitude = 0, longitude = 0;
            foreach (var city in matched)
            {
                var w = Math.Max(1, city.Population);
                weight += w;
                latitude += city.Latitude * w;
                longitude += city.Longitude * w;
            }

            yield return new Place
            {
                Kind = PlaceKind.PostalCode,
                Name = $"{postcode.Key} {biggest.Name}",
                SearchKey = postcode.Key,
                CountryCode = biggest.CountryCode,
                Region = regions.Find(biggest.CountryCode, biggest.AdminCode),
                PostalCode = postcode.Key,
                Latitude = Math.Round(latitude / weight, 5),
                Longitude = Math.Round(longitude / weight, 5),
            };
        }
    }

    private static GeoNamesCity? Locate(Entry commune, Dictionary<string, GeoNamesCity> byInseeCode, ILookup<string, GeoNamesCity> byName)
    {
        var (code, parentName) = ParentCommune(commune.CodeCommune!);
        if (byInseeCode.TryGetValue(code, out var city))
        {
            return city;
        }

        var department = code.StartsWith("97", StringComparison.Ordinal) ? code[..3] : code[..2];
        return new[] { parentName, commune.LibelleAcheminement, commune.NomCommune }
            .Where(n => !string.IsNullOrWhiteSpace(n))
            .SelectMany(n => byName[PlaceSearchKey.From(n!)])
            .Where(c => c.Admin4Code is null || c.Admin4Code.StartsWith(department, StringComparison.Ordinal))
            .MaxBy(c => c.Population);
    }

    // Paris, Lyon and Marseille have one INSEE code per arrondissement besides the commune's own.
    private static (string Code, string? Name) ParentCommune(string code) => int.TryParse(code, out var n) ? n switch
    {
        >= 75101 and <= 75120 => ("75056", "Paris"),
        >= 69381 and <= 69389 => ("69123", "Lyon"),
        >= 13201 and <= 13216 => ("13055", "Marseille"),
        _ => (code, null),
    } : (code, null);

    private sealed record Entry(string? CodePostal, string? CodeCommune, string? NomCommune, string? LibelleAcheminement);
}
