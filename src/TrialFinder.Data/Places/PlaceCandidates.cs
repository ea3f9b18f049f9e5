using Microsoft.EntityFrameworkCore;
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

    /// <param name="lastQualifierAsPrefix">Autocomplete: the last qualifier may still be being typed ("Paris, Tex").</param>
    public static async Task<List<Place>> ExactAsync(TrialFinderDbContext db, PlaceText text, bool lastQualifierAsPrefix, CancellationToken cancellationToken)
    {
        if (text.Key.Length == 0)
        {
            return [];
        }

        var exact = await ExactNamedAsync(db, text.Key, text.IsPostcode, text.Qualifiers, lastQualifierAsPrefix, cancellationToken);
        if (exact.Count > 0 || text.IsPostcode || text.Qualifiers.Count > 0)
        {
            return exact;
        }

        // "Paris Texas", "Paris TX", "Lyon France": a qualifier written without its comma.
        var words = text.Key.Split(' ');
        for (var qualifierWords = 1; qualifierWords <= Math.Min(3, words.Length - 1); qualifierWords++)
        {
            var name = string.Join(' ', words[..^qualifierWords]);
            var qualifier = PlaceQualifier.Named(string.Join(' ', words[^qualifierWords..]));
            exact = await ExactNamedAsync(db, name, false, [qualifier], false, cancellationToken);
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
            .Take(text.Qualifiers.Count > 0 ? MaxExact : take)
            .ToListAsync(cancellationToken);
        return Qualified(places, text.Qualifiers, asPrefix: true);
    }

    private static async Task<List<Place>> ExactNamedAsync(
        TrialFinderDbContext db, string key, bool postcode, IReadOnlyList<PlaceQualifier> qualifiers, bool lastQualifierAsPrefix,
        CancellationToken cancellationToken)
    {
        var query = db.Places.AsNoTracking().Where(p => p.SearchKey == key);
        if (postcode)
        {
            // The same digits can be a postcode in several countries: a US ZIP first, then a French postcode, then the others.
            query = query.Where(p => p.Kind == PlaceKind.PostalCode)
                .OrderBy(p => p.CountryCode == "US" ? 0 : p.CountryCode == "FR" ? 1 : 2).ThenBy(p => p.CountryCode).ThenBy(p => p.Id);
        }
        else
        {
            query = query.OrderByDescending(p => p.Population).ThenBy(p => p.Id);
        }

        var places = await query.Take(MaxExact).ToListAsync(cancellationToken);
        return WithoutLesserOtherNames(Qualified(places, qualifiers, lastQualifierAsPrefix));
    }

    // GeoNames does not say whose language another name is in, and some are borrowed ("Paris" for Parys, South Africa):
    // a city found by another name counts only when it is bigger than every city of that very name ("Cologne" is Köln,
    // bigger than Cologne, Italy; "Paris" stays Paris, France and Paris, Texas).
    private static List<Place> WithoutLesserOtherNames(List<Place> places)
    {
        var biggestOwnName = places.Where(p => p.Kind == PlaceKind.City).Select(p => p.Population).DefaultIfEmpty(-1).Max();
        return places.Where(p => p.Kind != PlaceKind.CityOtherName || p.Population > biggestOwnName).ToList();
    }

    private static List<Place> Qualified(List<Place> places, IReadOnlyList<PlaceQualifier> qualifiers, bool asPrefix) =>
        qualifiers.Count == 0
            ? places
            : places.Where(p => qualifiers.Select((q, i) => q.Matches(p, asPrefix && i == qualifiers.Count - 1)).All(m => m)).ToList();
}
