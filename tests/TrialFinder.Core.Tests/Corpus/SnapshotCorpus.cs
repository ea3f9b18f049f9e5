using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFinder.Core.Tests.Corpus;

/// <summary>
/// The shipped snapshot: studies/NCT*.json (registry-shaped records), provenance/*.json (where each
/// record's facts were read) and labels/*.json (the tags a person gave each record by reading it).
/// </summary>
public static class SnapshotCorpus
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static IReadOnlyList<CorpusLabel> Labels() => ReadAll<CorpusLabel>("labels");

    public static IReadOnlyList<CorpusProvenance> Provenance() => ReadAll<CorpusProvenance>("provenance");

    private static List<T> ReadAll<T>(string folder)
    {
        var path = Path.Combine(TestData.Snapshot, folder);
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
    [property: JsonPropertyName("statusAsOf")] string? StatusAsOf,
    [property: JsonPropertyName("statusSource")] CorpusSource? StatusSource,
    [property: JsonPropertyName("sitesReported")] int? SitesReported,
    [property: JsonPropertyName("sitesReportedSource")] CorpusSource? SitesReportedSource,
    [property: JsonPropertyName("criteriaExcerpt")] bool? CriteriaExcerpt);

public sealed record CorpusSource(string? Url, string? Title);
