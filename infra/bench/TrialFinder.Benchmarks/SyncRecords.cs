using System.Text.Json;
using TrialFinder.Core.Studies;
using TrialFinder.Sync.Mapping;
using TrialFinder.Testing;

namespace TrialFinder.Benchmarks;

/// <summary>
/// What the benchmarks work on: the first <see cref="Count"/> studies of the generated scale catalogue
/// (seed 1, sites at real records' site locations), the same kind of record the ingest benchmark syncs.
/// </summary>
internal static class SyncRecords
{
    public const int Count = 100;

    /// <summary>Age texts as the records give them (minimum and maximum), cycled to exactly this many.</summary>
    public const int AgeTexts = 200;

    private static readonly Lazy<byte[][]> Utf8 = new(() =>
        ScaleCatalog.Generate(Count, seed: 1, gazetteerFolder: null).Select(r => r.Utf8Json.ToArray()).ToArray());

    public static byte[][] Utf8Records => Utf8.Value;

    public static JsonElement[] Elements() => Utf8Records.Select(bytes => JsonDocument.Parse(bytes).RootElement).ToArray();

    public static Study[] Studies() => Elements().Select(RegistryStudyMapper.Map).ToArray();

    public static string?[] Ages()
    {
        var texts = Elements()
            .Select(e => e.GetProperty("protocolSection").TryGetProperty("eligibilityModule", out var eligibility) ? eligibility : default)
            .Where(e => e.ValueKind == JsonValueKind.Object)
            .SelectMany(e => new[] { "minimumAge", "maximumAge" }.Select(name => e.TryGetProperty(name, out var age) ? age.GetString() : null))
            .ToArray();
        return Enumerable.Range(0, AgeTexts).Select(i => texts[i % texts.Length]).ToArray();
    }
}
