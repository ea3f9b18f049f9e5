namespace TrialFinder.Core.Places;

/// <summary>
/// A place people search near: a city (GeoNames, 1,000+ inhabitants) or a postcode, with the
/// coordinates the gazetteer gives. Loaded offline by the worker's <c>import-places</c> verb.
/// </summary>
public sealed class Place
{
    public long Id { get; set; }
    public required PlaceKind Kind { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case ASCII form of the name (or postcode) used for look-up.</summary>
    public required string SearchKey { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public required string CountryCode { get; set; }

    /// <summary>State, region or province, where the gazetteer gives one.</summary>
    public string? Region { get; set; }

    public string? PostalCode { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public int Population { get; set; }
}

public enum PlaceKind
{
    City,
    PostalCode,

    /// <summary>
    /// A city under another name GeoNames gives it ("München" for Munich): the row carries the city's own name, region,
    /// position and population, and the other name as its search key. It is found by that exact name, never by its beginning.
    /// </summary>
    CityOtherName,
}

public static class PlaceKinds
{
    public static readonly StoredNames<PlaceKind> Names = new(
        (PlaceKind.City, "city"), (PlaceKind.PostalCode, "postcode"), (PlaceKind.CityOtherName, "city-name"));

    public static string Stored(this PlaceKind kind) => Names.Of(kind);
}
