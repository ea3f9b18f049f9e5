namespace TrialFinder.Core.Places;

/// <summary>
/// What someone typed, read as a place: a name or a postcode (as a search key) and the qualifiers
/// after it that narrow the match: "Paris, Texas", "Paris, TX", "Paris, France",
/// "Paris, Île-de-France, France" (a label this feature produced), or a postcode as <see cref="Postcodes"/> reads it:
/// "69003 Lyon", "FR-69003", "10001-1234", "D-80331", "SW1A 1AA", "M5G 1X8", "1012 AB", "2000 NSW".
/// </summary>
public sealed record PlaceText(string Key, bool IsPostcode, IReadOnlyList<PlaceQualifier> Qualifiers)
{
    public static PlaceText Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return new PlaceText("", false, []);
        }

        var qualifiers = parts.Skip(1)
            .Select(PlaceSearchKey.From)
            .Where(key => key.Length > 0)
            .Select(PlaceQualifier.Named)
            .ToList();

        if (Postcodes.Read(parts[0]) is not { } postcode)
        {
            return new PlaceText(PlaceSearchKey.From(parts[0]), false, qualifiers);
        }

        if (postcode.CountryCodes.Count > 0)
        {
            qualifiers.Add(PlaceQualifier.InCountries(postcode.CountryCodes));
        }

        if (postcode.Rest is { } rest)
        {
            qualifiers.Add(PlaceQualifier.Named(rest));
        }

        return new PlaceText(postcode.Key, true, qualifiers);
    }
}

/// <summary>A condition a place must meet: a country, a region, or (for postcodes) the town in its name.</summary>
public sealed record PlaceQualifier(string Key, IReadOnlySet<string> CountryCodes, IReadOnlyList<RegionAbbreviations.Region> Regions)
{
    public static PlaceQualifier Named(string key) => new(
        key,
        Countries.Find(key) is { } code ? new HashSet<string>([code]) : new HashSet<string>(),
        RegionAbbreviations.Find(key).ToList());

    public static PlaceQualifier InCountries(IEnumerable<string> codes) => new("", new HashSet<string>(codes), []);

    /// <param name="asPrefix">Let a qualifier still being typed ("Paris, Tex") match the start of a region or country name.</param>
    public bool Matches(Place place, bool asPrefix = false)
    {
        if (CountryCodes.Contains(place.CountryCode))
        {
            return true;
        }

        if (Key.Length == 0)
        {
            return false;
        }

        var region = place.Region is null ? "" : PlaceSearchKey.From(place.Region);
        if (region.Length > 0 && (region == Key || Regions.Any(r => r.CountryCode == place.CountryCode && r.Key == region)))
        {
            return true;
        }

        if (place.Kind == PlaceKind.PostalCode && $" {PlaceSearchKey.From(place.Name)} ".Contains($" {Key} ", StringComparison.Ordinal))
        {
            return true;
        }

        return asPrefix
            && (region.StartsWith(Key, StringComparison.Ordinal)
                || PlaceSearchKey.From(Countries.NameOf(place.CountryCode)).StartsWith(Key, StringComparison.Ordinal));
    }
}
