using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFinder.Core.Tests.Corpus;

/// <summary>
/// The shipped snapshot: studies/NCT*.json (registry-shaped records), provenance/*.json (where each
/// record's facts were read) and labels/*.json (the tags a person gave each record by reading it).
/// </summary>
public static class SnapshotCorpus
{
    public static IReadOnlyList<CorpusLabel> Labels() => CorpusFolder.ReadAll<CorpusLabel>(TestData.Snapshot, "labels");

    public static IReadOnlyList<CorpusProvenance> Provenance() => CorpusFolder.ReadAll<CorpusProvenance>(TestData.Snapshot, "provenance");
}

/// <summary>
/// The held-out set (tests/.../Corpus/HeldOut): the same three folders and shapes as the snapshot, for real
/// trials that neither the vocabulary nor its tests are tuned on.
/// </summary>
public static class HeldOutCorpus
{
    public static IReadOnlyList<CorpusLabel> Labels() => CorpusFolder.ReadAll<CorpusLabel>(TestData.HeldOut, "labels");

    public static IReadOnlyList<CorpusProvenance> Provenance() => CorpusFolder.ReadAll<CorpusProvenance>(TestData.HeldOut, "provenance");
}

/// <summary>
/// The development set (tests/.../Corpus/Development): the same three folders and shapes, for real trials the
/// classifier is tuned on besides the snapshot, so that the held-out set can stay unread.
/// </summary>
public static class DevelopmentCorpus
{
    public static IReadOnlyList<CorpusLabel> Labels() => CorpusFolder.ReadAll<CorpusLabel>(TestData.Development, "labels");

    public static IReadOnlyList<CorpusProvenance> Provenance() => CorpusFolder.ReadAll<CorpusProvenance>(TestData.Development, "provenance");
}

internal static class CorpusFolder
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static List<T> ReadAll<T>(string root, string folder)
    {
        var path = Path.Combine(root, folder);
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"No {folder} files in {path}.");
        }

        return files
            .SelectMany(file => JsonSerializer.Deserialize<List<T>>(File.ReadAllText(file), Options)
                ?? throw new InvalidDataException($"{file} holds no list."))
            .ToList();
    }
}

public sealed record CorpusLabel(
    string NctId,
    IReadOnlyList<string> Diseases,
    IReadOnlyList<string>? NetSubtypes,
    bool Refractory,
    IReadOnlyList<string> Therapies,
    string? Why);

public sealed record CorpusProvenance(
    string NctId,
    IReadOnlyList<CorpusSource>? Sources,
    [property: JsonPropertyName("readOn")] string? ReadOn,
    string? Notes,
    [property: JsonPropertyName("statusAsOf")] string? StatusAsOf = null,
    [property: JsonPropertyName("statusSource")] CorpusSource? StatusSource = null,
    [property: JsonPropertyName("sitesReported")] int? SitesReported = null,
    [property: JsonPropertyName("sitesReportedSource")] CorpusSource? SitesReportedSource = null,
    [property: JsonPropertyName("criteriaExcerpt")] bool? CriteriaExcerpt = null);

public sealed record CorpusSource(string? Url, string? Title);
