using System.Globalization;
using System.Text;

namespace TrialFinder.Core.Places;

/// <summary>
/// The look-up form of a place name or postcode: lower-case ASCII letters and digits, accents
/// stripped, every run of other characters one space ("Besançon" → "besancon",
/// "Saint-Étienne" → "saint etienne"). The importer stores it; the look-up applies it to what people type.
/// </summary>
public static class PlaceSearchKey
{
    public static string From(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            var ascii = c < 128 ? (char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c).ToString() : null) : Transliterate(c);
            if (ascii is null)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (ascii.Length == 0)
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(ascii);
        }

        return builder.ToString();
    }

    // Latin letters that do not decompose into a base letter and a mark. Other scripts are dropped
    // (empty string) rather than treated as separators, so a mixed name keeps its Latin words together.
    private static string? Transliterate(char c) => char.ToLowerInvariant(c) switch
    {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' or 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŀ' => "l",
        'ŧ' => "t",
        _ when char.IsLetterOrDigit(c) => "",
        _ => null,
    };
}
