using System.Text.Json;

namespace TrialFinder.Testing;

/// <summary>A site of a real record: where it is, its status, and its study's overall status.</summary>
internal sealed record RealSite(string StudyStatus, string? Status, string? City, string? Country, double? Latitude, double? Longitude);

/// <summary>The minimum age, maximum age and standard age groups of one real record, kept together so they agree.</summary>
internal sealed record AgeLimits(string? MinimumAge, string? MaximumAge, string[]? StdAges);

/// <summary>A JSON property whose value is kept as the UTF-8 JSON text it serializes to.</summary>
internal sealed record RawProperty(string Name, byte[] Value)
{
    public static RawProperty From(JsonProperty property) => new(property.Name, JsonSerializer.SerializeToUtf8Bytes(property.Value));

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WritePropertyName(Name);
        writer.WriteRawValue(Value, skipInputValidation: true);
    }
}

/// <summary>
/// A corpus record cut into what the scale catalogue copies and what it replaces, serialized once so
/// that writing a generated study copies bytes instead of re-encoding the record's text.
/// </summary>
internal sealed class ScaleTemplate
{
    private static readonly string[] Identifiers = ["nctId", "orgStudyIdInfo", "secondaryIdInfos"];
    private static readonly string[] Titles = ["briefTitle", "officialTitle"];
    private static readonly string[] AgeFields = ["minimumAge", "maximumAge", "stdAges"];

    /// <summary>The registry's order of the protocol section's modules.</summary>
    private static readonly string[] RegistryModuleOrder =
    [
        "identificationModule", "statusModule", "sponsorCollaboratorsModule", "oversightModule", "descriptionModule",
        "conditionsModule", "designModule", "armsInterventionsModule", "outcomesModule", "eligibilityModule",
        "contactsLocationsModule", "referencesModule", "ipdSharingStatementModule",
    ];

    public ScaleTemplate(JsonElement record, string titleMarker)
    {
        var protocol = record.GetProperty("protocolSection");
        var modules = protocol.EnumerateObject().ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal);
        // The real study's identifiers stay with the real study; its titles are marked as generated.
        Identification = Properties(modules.GetValueOrDefault("identificationModule"), Identifiers)
            .Select(p => Titles.Contains(p.Name)
                ? new RawProperty(p.Name, JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize<string>(p.Value) + titleMarker))
                : p)
            .ToArray();
        if (modules.GetValueOrDefault("statusModule") is { ValueKind: JsonValueKind.Object } status
            && status.TryGetProperty("whyStopped", out var whyStopped))
        {
            WhyStopped = JsonSerializer.SerializeToUtf8Bytes(whyStopped);
        }

        Design = modules.ContainsKey("designModule") ? Properties(modules["designModule"], ["phases"]) : null;
        Eligibility = modules.ContainsKey("eligibilityModule") ? Properties(modules["eligibilityModule"], AgeFields) : null;
        Verbatim = modules.ToDictionary(m => m.Key, m => JsonSerializer.SerializeToUtf8Bytes(m.Value), StringComparer.Ordinal);
        ModuleOrder = [.. RegistryModuleOrder, .. modules.Keys.Where(k => !RegistryModuleOrder.Contains(k)).Order(StringComparer.Ordinal)];
        OtherSections = record.EnumerateObject().Where(p => p.Name != "protocolSection").Select(RawProperty.From).ToArray();
    }

    /// <summary>The identification module without its ids, titles marked.</summary>
    public RawProperty[] Identification { get; }

    public byte[]? WhyStopped { get; }

    /// <summary>The design module without its phases; null when the record has none.</summary>
    public RawProperty[]? Design { get; }

    /// <summary>The eligibility module without its age limits; null when the record has none.</summary>
    public RawProperty[]? Eligibility { get; }

    /// <summary>The registry's module order, then any other module the record has.</summary>
    public string[] ModuleOrder { get; }

    /// <summary>Every module of the protocol section as it is.</summary>
    public IReadOnlyDictionary<string, byte[]> Verbatim { get; }

    /// <summary>Sections beside the protocol section (derived, results), as they are.</summary>
    public RawProperty[] OtherSections { get; }

    private static RawProperty[] Properties(JsonElement module, string[] left) =>
        module.ValueKind == JsonValueKind.Object
            ? module.EnumerateObject().Where(p => !left.Contains(p.Name)).Select(RawProperty.From).ToArray()
            : [];
}

/// <summary>
/// What the scale catalogue is made from, all read from the real records in the repository: the
/// neuroblastoma and NET corpus gives the templates and the values drawn for statuses, phases and ages;
/// the sites of every real record (the corpus and the shared recordings) give site statuses, the share
/// of sites per country and the fallback places.
/// </summary>
internal sealed class ScaleSources
{
    private static readonly Lazy<ScaleSources> Loaded = new(Load);

    private ScaleSources(
        IReadOnlyList<ScaleTemplate> templates, IReadOnlyList<string> statuses, IReadOnlyList<string[]?> phases,
        IReadOnlyList<AgeLimits> ages, IReadOnlyList<RealSite> sites)
    {
        Templates = templates;
        OverallStatuses = statuses;
        Phases = phases;
        Ages = ages;
        Sites = sites;
        SiteStatusesByStudyStatus = sites.GroupBy(s => s.StudyStatus, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => s.Status).ToArray(), StringComparer.Ordinal);
    }

    public static ScaleSources Real => Loaded.Value;

    /// <summary>The corpus records, each a template whose conditions, keywords, interventions and eligibility text are kept.</summary>
    public IReadOnlyList<ScaleTemplate> Templates { get; }

    /// <summary>One entry per corpus record, so drawing an entry follows the corpus's own mix.</summary>
    public IReadOnlyList<string> OverallStatuses { get; }

    public IReadOnlyList<string[]?> Phases { get; }

    public IReadOnlyList<AgeLimits> Ages { get; }

    public IReadOnlyList<RealSite> Sites { get; }

    /// <summary>For each overall status, the statuses (null: none given) of the real sites of studies with that status.</summary>
    public IReadOnlyDictionary<string, string?[]> SiteStatusesByStudyStatus { get; }

    private static ScaleSources Load()
    {
        var corpus = RegistryRecords.Corpus().Select(r => JsonSerializer.SerializeToElement(r)).ToList();
        var sites = corpus.Concat(RegistryRecords.SharedReal().Select(r => JsonSerializer.SerializeToElement(r)))
            .SelectMany(SitesOf)
            .ToList();
        return new ScaleSources(
            corpus.Select(r => new ScaleTemplate(r, ScaleCatalog.TitleMarker)).ToList(),
            corpus.Select(r => Module(r, "statusModule")!.Value.GetProperty("overallStatus").GetString()!).ToList(),
            corpus.Select(r => Strings(Module(r, "designModule"), "phases")).ToList(),
            corpus.Select(r =>
            {
                var eligibility = Module(r, "eligibilityModule");
                return new AgeLimits(Text(eligibility, "minimumAge"), Text(eligibility, "maximumAge"), Strings(eligibility, "stdAges"));
            }).ToList(),
            sites);
    }

    private static IEnumerable<RealSite> SitesOf(JsonElement record)
    {
        var studyStatus = Module(record, "statusModule")!.Value.GetProperty("overallStatus").GetString()!;
        if (Module(record, "contactsLocationsModule") is not { } module || !module.TryGetProperty("locations", out var locations))
        {
            yield break;
        }

        foreach (var location in locations.EnumerateArray())
        {
            double? latitude = null, longitude = null;
            if (location.TryGetProperty("geoPoint", out var point))
            {
                latitude = point.GetProperty("lat").GetDouble();
                longitude = point.GetProperty("lon").GetDouble();
            }

            yield return new RealSite(studyStatus, Text(location, "status"), Text(location, "city"), Text(location, "country"), latitude, longitude);
        }
    }

    private static JsonElement? Module(JsonElement record, string name) =>
        record.GetProperty("protocolSection").TryGetProperty(name, out var module) ? module : null;

    private static string? Text(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[]? Strings(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString()!).ToArray()
            : null;
}
