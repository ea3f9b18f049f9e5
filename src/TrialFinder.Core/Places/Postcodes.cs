using System.Text.RegularExpressions;

namespace TrialFinder.Core.Places;

/// <summary>
/// Postcodes as people write them, read into the key the gazetteer stores (one home for every country's
/// rules, used by the importer and by <see cref="PlaceText"/>):
/// <list type="bullet">
/// <item>digits, 4 or 5 ("80331", "1000"), with a country prefix ("D-80331", "CH-1211", "FR-69003") or the
///   town before or after ("80331 München", "Sydney 2000", "2000 NSW"); a US ZIP+4 ("10001-1234");</item>
/// <item>a full UK postcode ("SW1A 1AA") by its outward code ("sw1a"), which is what the open data gives;</item>
/// <item>a full Canadian postcode ("M5G 1X8") by its forward sortation area ("m5g");</item>
/// <item>a full Dutch postcode ("1012 AB") by its four digits;</item>
/// <item>a UK outward code or Canadian area alone ("SW1A", "M5G") or with its town ("SW1A London", "M5G Toronto").</item>
/// </list>
/// Where the form shows the country, <see cref="Reading.CountryCodes"/> holds it; otherwise it is empty and
/// the same code may exist in several countries (a four-digit code is Dutch, Belgian, Swiss, Austrian,
/// Australian, Danish...).
/// </summary>
public static partial class Postcodes
{
    /// <summary>What was read: the key to look up, the countries the form implies (empty: any) and the town or region written with it.</summary>
    public sealed record Reading(string Key, IReadOnlySet<string> CountryCodes, string? Rest);

    private static readonly HashSet<string> British = ["GB", "GG", "JE", "IM"];
    private static readonly HashSet<string> UsZipCountries = ["US", "PR", "VI", "GU"];

    // The old European vehicle-plate prefixes still written on letters; any ISO alpha-2 code is read too.
    private static readonly Dictionary<string, string> PlatePrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["D"] = "DE", ["F"] = "FR", ["A"] = "AT", ["B"] = "BE", ["I"] = "IT", ["E"] = "ES", ["L"] = "LU",
        ["P"] = "PT", ["S"] = "SE", ["N"] = "NO", ["FL"] = "LI", ["FIN"] = "FI", ["SF"] = "FI",
    };

    /// <summary>The key a postcode of this country is stored under: the outward code in the UK, the area in Canada, the digits in the Netherlands.</summary>
    public static string KeyFor(string countryCode, string code)
    {
        var compact = PlaceSearchKey.From(code).Replace(" ", "", StringComparison.Ordinal);
        return countryCode.ToUpperInvariant() switch
        {
            "GB" or "GG" or "JE" or "IM" when compact.Length > 4 && UkFull().Match(code.Trim()) is { Success: true } full =>
                full.Groups["outward"].Value.ToLowerInvariant(),
            "CA" when compact.Length == 6 => compact[..3],
            "NL" when compact.Length == 6 => compact[..4],
            _ => PlaceSearchKey.From(code),
        };
    }

    /// <summary>The postcode in what someone typed (one part, before any comma), or null when it is not one.</summary>
    public static Reading? Read(string text)
    {
        var trimmed = text.Trim();
        if (UkFull().Match(trimmed) is { Success: true } uk)
        {
            return new Reading(uk.Groups["outward"].Value.ToLowerInvariant(), British, null);
        }

        if (CanadaFull().Match(trimmed) is { Success: true } canada)
        {
            return new Reading(canada.Groups["area"].Value.ToLowerInvariant(), new HashSet<string>(["CA"]), null);
        }

        // "6000 WA" is Perth and "1000 BE" Brussels: two letters that are an Australian state or a country are not a Dutch street's letters.
        if (DutchFull().Match(trimmed) is { Success: true } dutch
            && !RegionAbbreviations.Find(dutch.Groups["letters"].Value.ToLowerInvariant()).Any(r => r.CountryCode == "AU")
            && Countries.Find(dutch.Groups["letters"].Value) is null)
        {
            return new Reading(dutch.Groups["code"].Value, new HashSet<string>(["NL"]), null);
        }

        if (OutwardOrArea().IsMatch(trimmed))
        {
            return new Reading(trimmed.ToLowerInvariant(), new HashSet<string>(), null);
        }

        // "SW1A London", "M5G Toronto": an outward code or area with its town, as the look-up labels them.
        if (OutwardOrAreaWithTown().Match(trimmed) is { Success: true } withTown)
        {
            return new Reading(withTown.Groups["code"].Value.ToLowerInvariant(), new HashSet<string>(), RestOf(withTown));
        }

        if (DigitsFirst().Match(trimmed) is { Success: true } first)
        {
            var prefixed = first.Groups["prefix"].Success ? CountryOfPrefix(first.Groups["prefix"].Value) : null;
            var zipPlus4 = first.Groups["plus4"].Success;
            if (zipPlus4 && (first.Groups["code"].Length != 5 || (prefixed is not null && !UsZipCountries.Contains(prefixed))))
            {
                return null;
            }

            // "NSW 2000": letters that name no country are the region, written before the code.
            if (!first.Groups["prefix"].Success || prefixed is not null)
            {
                IReadOnlySet<string> countries = prefixed is not null ? new HashSet<string>([prefixed])
                    : zipPlus4 ? UsZipCountries
                    : new HashSet<string>();
                return new Reading(first.Groups["code"].Value, countries, RestOf(first));
            }
        }

        if (DigitsLast().Match(trimmed) is { Success: true } last)
        {
            return new Reading(last.Groups["code"].Value, new HashSet<string>(), RestOf(last));
        }

        return null;
    }

    private static string? RestOf(Match match) =>
        match.Groups["rest"].Success && PlaceSearchKey.From(match.Groups["rest"].Value) is { Length: > 0 } rest ? rest : null;

    private static string? CountryOfPrefix(string prefix) =>
        PlatePrefixes.TryGetValue(prefix, out var plate) ? plate
        : prefix.Length == 2 && Countries.Find(prefix) is { } iso ? iso
        : null;

    [GeneratedRegex(@"^(?<outward>[A-Z]{1,2}\d[A-Z\d]?)\s*(?<inward>\d[A-Z]{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UkFull();

    [GeneratedRegex(@"^(?<area>[A-Z]\d[A-Z])\s*\d[A-Z]\d$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CanadaFull();

    [GeneratedRegex(@"^(?<code>[1-9]\d{3})\s*(?<letters>[A-Z]{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DutchFull();

    [GeneratedRegex(@"^[A-Z]{1,2}\d[A-Z\d]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutwardOrArea();

    [GeneratedRegex(@"^(?<code>[A-Z]{1,2}\d[A-Z\d]?)\s+(?<rest>[^\d\s,].*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutwardOrAreaWithTown();

    [GeneratedRegex(@"^(?:(?<prefix>[A-Z]{1,3})(?:\s*-\s*|\s+|(?=\d)))?(?<code>\d{4,5})(?<plus4>-\d{4})?(?:\s+(?<rest>\S.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DigitsFirst();

    [GeneratedRegex(@"^(?<rest>[^\d,]*[^\d\s,-][^\d,]*?)\s+(?<code>\d{4,5})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DigitsLast();
}
