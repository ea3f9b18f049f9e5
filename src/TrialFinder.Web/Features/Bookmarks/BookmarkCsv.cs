using TrialFinder.Infrastructure.Localization;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>
/// Bookmarks as CSV for a spreadsheet: RFC 4180 quoting, UTF-8 with a byte-order mark (so Excel reads
/// accents), and cells that a spreadsheet would run as a formula prefixed with an apostrophe.
/// </summary>
public static class BookmarkCsv
{
    public static byte[] Write(BookmarkIndex.Model model, IStringLocalizer<SiteText> text, string baseUrl)
    {
        var csv = new StringBuilder();
        Row(csv,
        [
            text["bookmarks.csv.nctId"], text["bookmarks.csv.title"], text["bookmarks.csv.status"], text["bookmarks.csv.list"],
            text["bookmarks.csv.note"], text["bookmarks.csv.nearestSite"], text["bookmarks.csv.distanceKm"],
            text["bookmarks.csv.newChanges"], text["bookmarks.csv.bookmarkedOn"], text["bookmarks.csv.link"],
        ]);
        foreach (var b in model.Bookmarks)
        {
            Row(csv,
            [
                b.NctId,
                b.Title,
                text.Status(b.OverallStatus),
                b.ListName,
                b.Note,
                b.Nearest?.Description,
                b.Nearest is { } near ? Math.Round(near.DistanceKm, 1).ToString(CultureInfo.InvariantCulture) : null,
                string.Join("\n", b.NewChanges.Select(c => $"{c.DetectedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {c.Summary}")),
                b.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                $"{baseUrl}/trials/{b.NctId}",
            ]);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // OWASP CSV injection: a leading = + - @ (or tab / carriage return) would start a formula.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n', ';']) >= 0 || value != value.Trim()
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private static void Row(StringBuilder csv, IEnumerable<string?> cells) =>
        csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
}
