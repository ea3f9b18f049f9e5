using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace TrialFinder.Web.Localization;

/// <summary>The marker type for the site's one table of interface text (Resources/text.{culture}.json).</summary>
public sealed class SiteText;

/// <summary>
/// Interface text from embedded JSON files, one per language. A missing French entry falls back to
/// English, and a missing English entry shows its key, so a gap is visible rather than an exception.
/// </summary>
public sealed class JsonStringLocalizer : IStringLocalizer
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> Tables = new();

    public LocalizedString this[string name] => Find(name, CultureInfo.CurrentUICulture);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var template = Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, template.Value, arguments), template.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Table(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName).Select(pair => new LocalizedString(pair.Key, pair.Value));

    public static bool HasLanguage(string language) => Table(language).Count > 0;

    private static LocalizedString Find(string name, CultureInfo culture)
    {
        if (Table(culture.TwoLetterISOLanguageName).TryGetValue(name, out var value) || Table("en").TryGetValue(name, out value))
        {
            return new LocalizedString(name, value);
        }

        // A registry value the product has no words for yet (the registry adds statuses and phases) is shown as
        // the registry wrote it, not as a translation key.
        foreach (var prefix in RegistryValuePrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return new LocalizedString(name, name[prefix.Length..], resourceNotFound: true);
            }
        }

        return new LocalizedString(name, name, resourceNotFound: true);
    }

    private static readonly string[] RegistryValuePrefixes = ["status.", "phase."];

    private static IReadOnlyDictionary<string, string> Table(string language) =>
        Tables.GetOrAdd(language, static lang =>
        {
            using var stream = typeof(JsonStringLocalizer).Assembly.GetManifestResourceStream($"TrialFinder.Web.Resources.text.{lang}.json");
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
