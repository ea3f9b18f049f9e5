using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Geo;
using TrialFinder.Core.Places;

namespace TrialFinder.Data.Places;

/// <summary>A place as the look-up offers it.</summary>
/// <param name="Label">"Paris, Île-de-France, France", "Paris, Texas, United States", "10001, New York, United States".</param>
/// <param name="Kind"><c>city</c> or <c>postcode</c>: the stored name of the <see cref="PlaceKind"/>, as the places API writes it.</param>
public sealed record PlaceMatch(string Label, double Latitude, double Longitude, string Kind, string CountryCode)
{
    public static PlaceMatch From(Place place) =>
        new(LabelOf(place), place.Latitude, place.Longitude, (place.Kind == PlaceKind.CityOtherName ? PlaceKind.City : place.Kind).Stored(), place.CountryCode);

    /// <summary>Name, region (unless it only repeats the name or the country) and country's English name.</summary>
    public static string LabelOf(Place place)
    {
        var country = Countries.NameOf(place.CountryCode);
        var region = place.Region?.Trim();
        var regionKey = region is null ? "" : PlaceSearchKey.From(region);
        var showRegion = regionKey.Length > 0
            && regionKey != PlaceSearchKey.From(place.Name)
            && regionKey != PlaceSearchKey.From(country);
        return showRegion ? $"{place.Name}, {region}, {country}" : $"{place.Name}, {country}";
    }
}

/// <summary>
/// The places that fit what someone typed, from the <c>places</c> table: exact matches of the name
/// (or postcode), biggest first, and for autocomplete the names that start with it.
/// </summary>
public static class PlaceCandidates
{
    // Enough to hold every same-named place on Earth ("San José" has a few hundred) before qualifiers filter them.
    private const int MaxExact = 1000;

    /// <summary>
    /// How far from a town's centre a postcode written with that town may lie: a big city's outer postcodes are 20-30 km from
    /// its centre ("80331 Munich" is München's centre; "2031 Sydney" is Randwick, 6 km away).
    /// </summary>
    public const double TownReachKm = 30;

    /// <param name="lastQualifierAsPrefix">Autocomplete: the last qualifier may still be being typed ("Paris, Tex").</param>
    public static async Task<List<Place>> ExactAsync(TrialFinderDbContext db, PlaceText text, bool lastQualifierAsPrefix, CancellationToken cancellationToken)
    {
        if (text.Key.Length == 0)
        {
            return [];
        }

        if (text.IsPostcode)
        {
            return await PostcodeAsync(db, text, lastQualifierAsPrefix, cancellationToken);
        }

        var exact = await ExactNamedAsync(db, text.Key, text.Qualifiers, lastQualifierAsPrefix, cancellationToken);
        if (exact.Count > 0 || text.Qualifiers.Count > 0)
        {
            return exact;
        }

        // "Paris Texas", "Paris TX", "Lyon France": a qualifier written without its comma.
        var words = text.Key.Split(' ');
        for (var qualifierWords = 1; qualifierWords <= Math.Min(3, words.Length - 1); qualifierWords++)
        {
            var name = string.Join(' ', words[..^qualifierWords]);
            var qualifier = PlaceQualifier.Named(string.Join(' ', words[^qualifierWords..]));
            exact = await ExactNamedAsync(db, name, [qualifier], false, cancellationToken);
            if (exact.Count > 0)
            {
                return exact;
            }
        }

        return [];
    }

    /// <summary>Places whose own name (or postcode, for a postcode) starts with the text and is not exactly it, biggest first.</summary>
    public static async Task<List<Place>> StartingWithAsync(TrialFinderDbContext db, PlaceText text, int take, CancellationToken cancellationToken)
    {
        if (text.Key.Length == 0)
        {
            return [];
        }

        var key = text.Key;
        var kinds = text.IsPostcode ? new[] { PlaceKind.PostalCode } : [PlaceKind.City, PlaceKind.PostalCode];
        var places = await db.Places.AsNoTracking()
            .Where(p => p.SearchKey.StartsWith(key) && p.SearchKey != key && kinds.Contains(p.Kind))
            .OrderByDescending(p => p.Population).ThenBy(p => p.SearchKey).ThenBy(p => p.Id)
            .Take(text.Qualifiers.Count > 0 || text.Town is not null ? MaxExact : take)
            .ToListAsync(cancellationToken);
        var qualified = Qualified(places, text.Qualifiers, asPrefix: true);
        if (text.Town is not { } town)
        {
            return qualified;
        }

        var typing = PlaceQualifier.Named(town);
        return qualified.Where(p => NamesTown(p, town) || typing.Matches(p, asPrefix: true)).ToList();
    }

    /// <summary>
    /// A postcode (in every country that has it, after the qualifiers), and the town written with it: the codes whose own name or
    /// region is that town, else those near a city of that name in any of its names ("80331 Munich", "1000 Brussels"), else, as the
    /// town contradicts the code, the code alone when one country has it, or the countries that have a town of that name, or all.
    /// </summary>
    private static async Task<List<Place>> PostcodeAsync(TrialFinderDbContext db, PlaceText text, bool lastQualifierAsPrefix, CancellationToken cancellationToken)
    {
        var key = text.Key;
        // The same digits can be a postcode in several countries: a US ZIP first, then a French postcode, then the others.
        var codes = await db.Places.AsNoTracking()
            .Where(p => p.SearchKey == key && p.Kind == PlaceKind.PostalCode)
            .OrderBy(p => p.CountryCode == "US" ? 0 : p.CountryCode == "FR" ? 1 : 2).ThenBy(p => p.CountryCode).ThenBy(p => p.Id)
            .Take(MaxExact)
            .ToListAsync(cancellationToken);
        codes = Qualified(codes, text.Qualifiers, lastQualifierAsPrefix);
        if (text.Town is not { } town || codes.Count == 0)
        {
            return codes;
        }

        // Autocomplete: "1000, Swi" may be a country still being typed.
        var typing = lastQualifierAsPrefix ? PlaceQualifier.Named(town) : null;
        var named = codes.Where(p => NamesTown(p, town) || typing?.Matches(p, asPrefix: true) == true).ToList();
        if (named.Count > 0)
        {
            return named;
        }

        var countries = codes.Select(p => p.CountryCode).ToHashSet();
        var towns = await db.Places.AsNoTracking()
            .Where(p => p.SearchKey == town && p.Kind != PlaceKind.PostalCode && countries.Contains(p.CountryCode))
            .Take(MaxExact)
            .ToListAsync(cancellationToken);
        var nearTown = codes
            .Where(code => towns.Any(t => t.CountryCode == code.CountryCode
                && GeoDistance.HaversineKm(t.Latitude, t.Longitude, code.Latitude, code.Longitude) <= TownReachKm))
            .ToList();
        if (nearTown.Count > 0 || countries.Count == 1)
        {
            return nearTown.Count > 0 ? nearTown : codes;
        }

        var inTownsCountries = codes.Where(code => towns.Any(t => t.CountryCode == code.CountryCode)).ToList();
        return inTownsCountries.Count > 0 ? inTownsCountries : codes;
    }

    private static bool NamesTown(Place postcode, string town) =>
        $" {PlaceSearchKey.From(postcode.Name)} ".Contains($" {town} ", StringComparison.Ordinal)
        || (postcode.Region is { } region && PlaceSearchKey.From(region) == town);

    private static async Task<List<Place>> ExactNamedAsync(
        TrialFinderDbContext db, string key, IReadOnlyList<PlaceQualifier> qualifiers, bool lastQualifierAsPrefix, CancellationToken cancellationToken)
    {
        var places = await db.Places.AsNoTracking()
            .Where(p => p.SearchKey == key)
            .OrderByDescending(p => p.Population).ThenBy(p => p.Id)
            .Take(MaxExact)
            .ToListAsync(cancellationToken);
        return WithoutLesserOtherNames(Qualified(places, qualifiers, lastQualifierAsPrefix), key);
    }

    // GeoNames does not say whose language another name is in, and some are borrowed ("Paris" for Parys, South Africa):
    // a city found by another name counts only when it is bigger than every city of that very name ("Cologne" is Köln,
    // bigger than Cologne, Italy; "Paris" stays Paris, France and Paris, Texas). A form of a bilingual town's own name
    // ("Bienne" of Biel/Bienne) is that town's official name: it is an own name, and other cities merely listed under it
    // ("Bienne" among Vienna's names) do not compete with it.
    private static List<Place> WithoutLesserOtherNames(List<Place> places, string key)
    {
        var biggestOwnName = places.Where(p => p.Kind == PlaceKind.City).Select(p => p.Population).DefaultIfEmpty(-1).Max();
        var bilingual = places.Any(p => IsFormOfOwnName(p, key));
        return places
            .Where(p => p.Kind != PlaceKind.CityOtherName || IsFormOfOwnName(p, key) || (!bilingual && p.Population > biggestOwnName))
            .ToList();
    }

    private static bool IsFormOfOwnName(Place place, string key) =>
        place.Kind == PlaceKind.CityOtherName
        && place.Name.Contains('/', StringComparison.Ordinal)
        && place.Name.Split('/').Any(form => PlaceSearchKey.From(form) == key);

    private static List<Place> Qualified(List<Place> places, IReadOnlyList<PlaceQualifier> qualifiers, bool asPrefix) =>
        qualifiers.Count == 0
            ? places
            : places.Where(p => qualifiers.Select((q, i) => q.Matches(p, asPrefix && i == qualifiers.Count - 1)).All(m => m)).ToList();
}
