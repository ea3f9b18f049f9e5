using Microsoft.Extensions.Localization;
using TrialFinder.Core.Studies;

namespace TrialFinder.Infrastructure.Localization;

/// <summary>
/// A study change in the reader's language, written from its kind and values (the stored summary is the English
/// sentence, kept for the record). A change whose values do not say enough, or of a kind this does not know, is
/// shown as stored.
/// </summary>
public static class StudyChangeText
{
    public static string Describe(this IStringLocalizer text, string kind, string summary, string? oldValue, string? newValue) =>
        Describe(kind, summary, oldValue, newValue, (name, arguments) => text[name, arguments].Value);

    public static string Describe(string kind, string summary, string? oldValue, string? newValue, Func<string, object[], string> text)
    {
        string Or(string? value) => string.IsNullOrEmpty(value) ? text("change.none", []) : value;

        return kind switch
        {
            StudyChangeKinds.OverallStatus => text("change.overallStatus", [Or(oldValue), Or(newValue)]),
            StudyChangeKinds.Title => text("change.title", []),
            StudyChangeKinds.Phase => text("change.phase", [Or(oldValue), Or(newValue)]),
            StudyChangeKinds.EligibleAges when oldValue is not null && newValue is not null =>
                text("change.eligibleAges", [Ages(oldValue, text), Ages(newValue, text)]),
            StudyChangeKinds.EligibilityCriteria => text("change.eligibilityCriteria", []),
            StudyChangeKinds.SiteAdded when newValue is not null => text("change.siteAdded", [newValue]),
            StudyChangeKinds.SiteRemoved when oldValue is not null => text("change.siteRemoved", [oldValue]),
            StudyChangeKinds.SiteStatus when SiteOf(summary, oldValue, newValue) is { } site =>
                text("change.siteStatus", [site, Or(oldValue), Or(newValue)]),
            StudyChangeKinds.Listing when summary == StudyChangeDetector.Relisted => text("change.relisted", []),
            StudyChangeKinds.Listing when summary == StudyChangeDetector.Delisted => text("change.delisted", []),
            StudyChangeKinds.Tags when oldValue is not null && newValue is not null => Tags(oldValue, newValue, text),
            _ => summary,
        };
    }

    /// <summary>The age range as <see cref="StudyChangeDetector"/> stores it ("2 Years – no maximum"), its missing bounds in the reader's words.</summary>
    private static string Ages(string range, Func<string, object[], string> text) =>
        range.Split(" – ") is [var minimum, var maximum]
            ? $"{(minimum == StudyChangeDetector.NoMinimum ? text("change.noMinimum", []) : minimum)} – {(maximum == StudyChangeDetector.NoMaximum ? text("change.noMaximum", []) : maximum)}"
            : range;

    /// <summary>
    /// The site a site-status change is about: its values are the statuses, so the site's description is the part of
    /// the stored sentence between its fixed beginning and end.
    /// </summary>
    private static string? SiteOf(string summary, string? oldValue, string? newValue)
    {
        const string start = "Site ";
        var end = $" changed from {(string.IsNullOrEmpty(oldValue) ? "none" : oldValue)} to {(string.IsNullOrEmpty(newValue) ? "none" : newValue)}";
        return summary.Length > start.Length + end.Length && summary.StartsWith(start, StringComparison.Ordinal) && summary.EndsWith(end, StringComparison.Ordinal)
            ? summary[start.Length..^end.Length]
            : null;
    }

    private static string Tags(string oldValue, string newValue, Func<string, object[], string> text)
    {
        static HashSet<string> Set(string list) => list.Split(", ", StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var before = Set(oldValue);
        var after = Set(newValue);
        var parts = new List<string>();
        var added = after.Except(before).Order(StringComparer.Ordinal).ToList();
        var removed = before.Except(after).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0) parts.Add(text("change.tags.added", [string.Join(", ", added)]));
        if (removed.Count > 0) parts.Add(text("change.tags.removed", [string.Join(", ", removed)]));
        return text("change.tags", [string.Join("; ", parts)]);
    }
}
