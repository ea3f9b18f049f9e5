using System.Globalization;
using System.Text.RegularExpressions;

namespace TrialFinder.Core.Eligibility;

/// <summary>Turns the registry's age strings ("6 Months", "18 Years") into years.</summary>
public static partial class EligibleAge
{
    private const decimal DaysPerYear = 365.25m;

    /// <summary>
    /// Parses a registry age. Absent or blank text is valid and means "no limit" (null years);
    /// anything else that is not "number unit" is rejected.
    /// </summary>
    public static bool TryParseYears(string? text, out decimal? years)
    {
        years = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var match = AgePattern().Match(text.Trim());
        if (!match.Success
            || !decimal.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        decimal? inYears = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "YEAR" => amount,
            "MONTH" => amount / 12m,
            "WEEK" => amount * 7m / DaysPerYear,
            "DAY" => amount / DaysPerYear,
            "HOUR" => amount / (DaysPerYear * 24m),
            "MINUTE" => amount / (DaysPerYear * 24m * 60m),
            _ => null,
        };
        if (inYears is null)
        {
            return false;
        }

        years = Math.Round(inYears.Value, 4);
        return true;
    }

    /// <summary>A patient fits when minimum ≤ age ≤ maximum, an absent bound meaning no limit.</summary>
    public static bool Fits(decimal patientYears, decimal? minimumYears, decimal? maximumYears) =>
        (minimumYears is null || minimumYears <= patientYears) && (maximumYears is null || patientYears <= maximumYears);

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)\s*(?<unit>Year|Month|Week|Day|Hour|Minute)s?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AgePattern();
}
