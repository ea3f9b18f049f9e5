using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrialFinder.Testing;

/// <summary>
/// One API v2 study record held as compact UTF-8 JSON, parsed only when asked: the registry replay
/// serves these bytes as they are, so a catalogue of 100,000 studies costs bytes, not JSON trees.
/// </summary>
public sealed class StudyRecord
{
    private readonly byte[] _utf8Json;

    private StudyRecord(string nctId, byte[] utf8Json)
    {
        NctId = nctId;
        _utf8Json = utf8Json;
    }

    public string NctId { get; }

    public ReadOnlyMemory<byte> Utf8Json => _utf8Json;

    public static StudyRecord FromJson(JsonObject study) =>
        new(RegistryRecords.NctId(study), JsonSerializer.SerializeToUtf8Bytes(study));

    /// <summary>A record from its UTF-8 JSON text; the bytes are kept, not copied, so the caller must not change them.</summary>
    public static StudyRecord FromUtf8(byte[] utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        var nctId = document.RootElement.GetProperty("protocolSection").GetProperty("identificationModule").GetProperty("nctId").GetString()
            ?? throw new InvalidDataException("The study record has no nctId.");
        return new StudyRecord(nctId, utf8Json);
    }

    /// <summary>For writers that already know the id of the JSON they wrote (the scale catalogue).</summary>
    internal static StudyRecord Written(string nctId, byte[] utf8Json) => new(nctId, utf8Json);

    public JsonObject ToJsonObject() =>
        JsonNode.Parse(_utf8Json)?.AsObject() ?? throw new InvalidDataException($"{NctId} is not a JSON object.");

    public override string ToString() => Encoding.UTF8.GetString(_utf8Json);
}
