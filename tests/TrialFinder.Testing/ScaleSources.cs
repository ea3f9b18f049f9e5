using System.Text.Json;

namespace TrialFinder.Testing;

/// <summary>A site of a real record: where it is, its status, and its study's overall status.</summary>
internal sealed record RealSite(string StudyStatus, string? Status, string? City, string? Country, double? Latitude, double? Longitude);

/// <summary>The minimum age, maximum age and standard age groups of one real record, kept together so they agree.</summary>
internal sealed record AgeLimits(string? MinimumAge, string? MaximumAge, string[]? StdAges);

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
        IReadOnlyList<JsonElement> templates, IReadOnlyList<string> statuses, IReadOnlyList<string[]?> phases,
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
    public IReadOnlyList<JsonElement> Templates { get; }

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
            corpus,
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
