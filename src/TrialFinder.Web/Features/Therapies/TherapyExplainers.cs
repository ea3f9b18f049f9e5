using System.Collections.Concurrent;
using System.Globalization;
using TrialFinder.Core.Classification;
using TrialFinder.Web.Features.Trials;

namespace TrialFinder.Web.Features.Therapies;

/// <summary>
/// The plain-language explainers, one Markdown file per therapy type and language
/// (Content/{slug}.{lang}.md, embedded), with a front matter giving the title and summary.
/// </summary>
public static class TherapyExplainers
{
    private static readonly ConcurrentDictionary<(string Slug, string Language), Explainer?> Cache = new();

    public sealed record Explainer(string Slug, string Title, string Summary, string Html);

    public static bool IsKnown(string slug) => Vocabulary.Default.FindTherapy(slug) is not null;

    public static Explainer? Find(string slug, CultureInfo culture) =>
        IsKnown(slug) ? Load(slug, culture.TwoLetterISOLanguageName) ?? Load(slug, "en") : null;

    public static IReadOnlyList<Explainer> All(CultureInfo culture) =>
        Vocabulary.Default.Therapies.Select(t => Find(t.Slug, culture)).OfType<Explainer>().ToList();

    private static Explainer? Load(string slug, string language) => Cache.GetOrAdd((slug, language), key =>
    {
        var name = $"TrialFinder.Web.Features.Therapies.Content.{key.Slug}.{key.Language}.md";
        using var stream = typeof(TherapyExplainers).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().Replace("\r\n", "\n");
        string title = key.Slug, summary = "", body = text;
        if (text.StartsWith("---\n", StringComparison.Ordinal))
        {
            var end = text.IndexOf("\n---", 4, StringComparison.Ordinal);
            if (end > 0)
            {
                foreach (var line in text[4..end].Split('\n'))
                {
                    var colon = line.IndexOf(':');
                    if (colon <= 0)
                    {
                        continue;
                    }

                    var value = line[(colon + 1)..].Trim();
                    switch (line[..colon].Trim())
                    {
                        case "title": title = value; break;
                        case "summary": summary = value; break;
                    }
                }

                body = text[(end + 4)..];
            }
        }

        return new Explainer(key.Slug, title, summary, TrialDetails.Handler.Render(body) ?? "");
    });
}
