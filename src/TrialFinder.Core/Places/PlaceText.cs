using System.Text.RegularExpressions;

namespace TrialFinder.Core.Places;

/// <summary>
/// What someone typed, read as a place: a name or a postcode (as a search key) and the qualifiers
/// after it that narrow the match: "Paris, Texas", "Paris, TX", "Paris, France",
/// "Paris, Île-de-France, France" (a label this feature produced), "69003 Lyon", "FR-69003", "10001-1234".
/// </summary>
public sealed partial record PlaceText(string Key, bool IsPostcode, IReadOnlyList<PlaceQualifier> Qualifiers)
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

        var postcode = PostcodePattern().Match(parts[0]);
        if (!postcode.Success)
        {
            return new PlaceText(PlaceSearchKey.From(parts[0]), false, qualifiers);
        }

        if (postcode.Groups["france"].Success)
        {
            qualifiers.Add(PlaceQualifier.InCountries(["FR"]));
        }

        if (postcode.Groups["plus4"].Success)
        {
            qualifiers.Add(PlaceQualifier.InCountries(["US", "PR", "VI", "GU"]));
        }

        if (postcode.Groups["rest"].Success && PlaceSearchKey.From(postcode.Groups["rest"].Value) is { Length: > 0 } rest)
        {
            qualifiers.Add(PlaceQualifier.Named(rest));
        }

        return new PlaceText(postcode.Groups["code"].Value, true, qualifiers);
    }

    /// <summary>A five-digit postcode (US ZIP or French), ZIP+4, "F-"/"FR-" prefixed, or followed by the town.</summary>
    [GeneratedRegex(@"^(?:(?<france>FR?)[\s-]?)?(?<code>\d{5})(?<plus4>-\d{4})?(?:\s+(?<rest>\S.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PostcodePattern();
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
