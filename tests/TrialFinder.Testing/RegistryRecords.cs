using System.Text.Json.Nodes;

namespace TrialFinder.Testing;

/// <summary>Real API v2 study records: the shared recorded ones and the product's corpus.</summary>
public static class RegistryRecords
{
    public static IReadOnlyList<JsonObject> SharedReal() => Load(TestPaths.SharedRealRecords);

    public static IReadOnlyList<JsonObject> Corpus() => Load(TestPaths.CorpusStudies);

    public static IReadOnlyList<JsonObject> All() => [.. SharedReal(), .. Corpus()];

    public static JsonObject SharedVersion(string fileName) =>
        Parse(Path.Combine(TestPaths.SharedRegistryData, "versions", fileName));

    public static string NctId(JsonObject study) => study["protocolSection"]!["identificationModule"]!["nctId"]!.GetValue<string>();

    private static IReadOnlyList<JsonObject> Load(string folder) =>
        Directory.GetFiles(folder, "NCT*.json").Order(StringComparer.Ordinal).Select(Parse).ToList();

    private static JsonObject Parse(string file) =>
        JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new InvalidDataException($"{file} is not a JSON object.");
}
