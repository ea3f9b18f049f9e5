using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace TrialFinder.Infrastructure.Localization;

/// <summary>
/// The product's one table of text (Localization/text.{language}.json, embedded), for the site's pages and
/// for the e-mails the worker writes (the digest). A missing French entry falls back to English, and a missing
/// English entry shows its key, so a gap is visible rather than an exception.
/// </summary>
public sealed class JsonStringLocalizer : IStringLocalizer
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> Tables = new();

    public const string DefaultLanguage = "en";

    public LocalizedString this[string name] => Find(name, CultureInfo.CurrentUICulture);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var template = Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, template.Value, arguments), template.ResourceNotFound);
        }
    }

    /// <summary>A text in a given language, outside any request (the worker's e-mails).</summary>
    public static string Text(CultureInfo culture, string name, params object[] arguments) =>
        string.Format(culture, Find(name, culture).Value, arguments);

    /// <summary>The culture of a stored language choice, English when there is none or the product has no such language.</summary>
    public static CultureInfo CultureOf(string? language) =>
        CultureInfo.GetCultureInfo(language is { Length: > 0 } && HasLanguage(language) ? language : DefaultLanguage);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Table(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName).Select(pair => new LocalizedString(pair.Key, pair.Value));

    public static bool HasLanguage(string language) => Table(language).Count > 0;

    private static LocalizedString Find(string name, CultureInfo culture)
    {
        if (Table(culture.TwoLetterISOLanguageName).TryGetValue(name, out var value) || Table(DefaultLanguage).TryGetValue(name, out value))
        {
            return new LocalizedString(name, value);
        }

        return new LocalizedString(name, name, resourceNotFound: true);
    }

    private static IReadOnlyDictionary<string, string> Table(string language) =>
        Tables.GetOrAdd(language, static lang =>
        {
            using var stream = typeof(JsonStringLocalizer).Assembly.GetManifestResourceStream($"TrialFinder.Infrastructure.Localization.text.{lang}.json");
            return stream is null
                ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
        });
}

public sealed class JsonStringLocalizerFactory : IStringLocalizerFactory
{
    private static readonly JsonStringLocalizer Localizer = new();

    public IStringLocalizer Create(Type resourceSource) => Localizer;

    public IStringLocalizer Create(string baseName, string location) => Localizer;
}
