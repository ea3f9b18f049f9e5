namespace TrialFinder.Core.Places;

/// <summary>
/// What someone typed, read as a place: a name or a postcode (as a search key) and the qualifiers
/// after it that narrow the match: "Paris, Texas", "Paris, TX", "Paris, France",
/// "Paris, Île-de-France, France" (a label this feature produced), or a postcode as <see cref="Postcodes"/> reads it:
/// "69003 Lyon", "FR-69003", "10001-1234", "D-80331", "SW1A 1AA", "M5G 1X8", "1012 AB", "2000 NSW".
/// With a postcode, the words that name a country or a region ("1000 Belgium", "Sydney NSW 2000", "1000, Switzerland") are
/// qualifiers and the rest is the <see cref="Town"/> written with it ("80331 Munich", "Genève 1205", "SW1A 1AA, London").
/// </summary>
public sealed record PlaceText(string Key, bool IsPostcode, IReadOnlyList<PlaceQualifier> Qualifiers, string? Town = null)
{
    // "New South Wales" is the longest region or country name a family writes after a town without a comma.
    private const int MaxQualifierWords = 3;

    public static PlaceText Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return new PlaceText("", false, []);
        }

        var qualifierKeys = parts.Skip(1).Select(PlaceSearchKey.From).Where(key => key.Length > 0).ToList();
        if (Postcodes.Read(parts[0]) is not { } postcode)
        {
            return new PlaceText(PlaceSearchKey.From(parts[0]), false, qualifierKeys.Select(PlaceQualifier.Named).ToList());
        }

        var qualifiers = new List<PlaceQualifier>();
        if (postcode.CountryCodes.Count > 0)
        {
            qualifiers.Add(PlaceQualifier.InCountries(postcode.CountryCodes));
        }

        var towns = new List<string>();
        foreach (var key in (postcode.Rest is { } rest ? qualifierKeys.Prepend(rest) : qualifierKeys))
        {
            var (town, named) = SplitTrailingQualifiers(key);
            qualifiers.AddRange(named);
            if (town.Length > 0)
            {
                towns.Add(town);
            }
        }

        // Parts after the town are its region as a label writes it ("80331 München, Bayern, Germany").
        qualifiers.AddRange(towns.Skip(1).Select(PlaceQualifier.Named));
        return new PlaceText(postcode.Key, true, qualifiers, towns.FirstOrDefault());
    }

    /// <summary>"sydney nsw" → ("sydney", [NSW]); "belgium" → ("", [Belgium]); "munich" → ("munich", []).</summary>
    private static (string Town, List<PlaceQualifier> Qualifiers) SplitTrailingQualifiers(string key)
    {
        var words = key.Split(' ');
        var end = words.Length;
        var qualifiers = new List<PlaceQualifier>();
        while (end > 0)
        {
            var found = false;
            for (var count = Math.Min(MaxQualifierWords, end); count >= 1 && !found; count--)
            {
                var candidate = PlaceQualifier.Named(string.Join(' ', words[(end - count)..end]));
                if (candidate.CountryCodes.Count > 0 || candidate.Regions.Count > 0)
                {
                    qualifiers.Insert(0, candidate);
                    end -= count;
                    found = true;
                }
            }

            if (!found)
            {
                break;
            }
        }

        return (string.Join(' ', words[..end]), qualifiers);
    }
}

/// <summary>A condition a place must meet: a country or a region.</summary>
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

        return asPrefix
            && (region.StartsWith(Key, StringComparison.Ordinal)
                || PlaceSearchKey.From(Countries.NameOf(place.CountryCode)).StartsWith(Key, StringComparison.Ordinal));
    }
}
