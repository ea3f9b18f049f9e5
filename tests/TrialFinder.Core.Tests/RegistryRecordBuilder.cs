using System.Text.Json;
using System.Text.Json.Nodes;
using TrialFinder.Core.Studies;
using TrialFinder.Sync.Mapping;

namespace TrialFinder.Core.Tests;

/// <summary>
/// Writes a study record the way API v2 does (protocolSection modules, registry enums, fields left
/// out when unknown) and maps it with the product's mapper, so tests see the Study that the sync would.
/// </summary>
public sealed class RegistryRecordBuilder
{
    private string _nctId = "NCT09990001";
    private string _briefTitle = "A Study";
    private string? _officialTitle;
    private string _status = RegistryStatuses.Recruiting;
    private readonly List<string> _phases = [];
    private readonly List<string> _conditions = [];
    private readonly List<string> _keywords = [];
    private readonly List<JsonObject> _interventions = [];
    private readonly List<JsonObject> _arms = [];
    private readonly List<JsonObject> _locations = [];
    private string? _minimumAge;
    private string? _maximumAge;
    private string? _criteria;
    private string? _summary;
    private string _studyType = "INTERVENTIONAL";

    public RegistryRecordBuilder Id(string nctId) { _nctId = nctId; return this; }

    /// <summary>The registry's StudyType enum: INTERVENTIONAL (the default), OBSERVATIONAL, EXPANDED_ACCESS.</summary>
    public RegistryRecordBuilder StudyType(string studyType) { _studyType = studyType; return this; }

    public RegistryRecordBuilder Title(string briefTitle, string? officialTitle = null)
    {
        _briefTitle = briefTitle;
        _officialTitle = officialTitle;
        return this;
    }

    public RegistryRecordBuilder Status(string status) { _status = status; return this; }

    public RegistryRecordBuilder Phase(params string[] phases) { _phases.AddRange(phases); return this; }

    public RegistryRecordBuilder Condition(params string[] conditions) { _conditions.AddRange(conditions); return this; }

    public RegistryRecordBuilder Keyword(params string[] keywords) { _keywords.AddRange(keywords); return this; }

    /// <summary>An intervention as the registry lists it: type is the InterventionType enum (DRUG, BIOLOGICAL, RADIATION...).</summary>
    public RegistryRecordBuilder Intervention(string type, string name, params string[] otherNames)
    {
        var intervention = new JsonObject { ["type"] = type, ["name"] = name };
        if (otherNames.Length > 0)
        {
            intervention["otherNames"] = new JsonArray(otherNames.Select(n => (JsonNode)n!).ToArray());
        }

        _interventions.Add(intervention);
        return this;
    }

    public RegistryRecordBuilder Drug(string name, params string[] otherNames) => Intervention("DRUG", name, otherNames);

    /// <summary>An intervention with the registry's free-text description.</summary>
    public RegistryRecordBuilder DescribedIntervention(string type, string name, string description)
    {
        _interventions.Add(new JsonObject { ["type"] = type, ["name"] = name, ["description"] = description });
        return this;
    }

    /// <summary>An arm group: type is the ArmGroupType enum (EXPERIMENTAL, ACTIVE_COMPARATOR, NO_INTERVENTION...).</summary>
    public RegistryRecordBuilder Arm(string label, string type, string description, params string[] interventionNames)
    {
        var arm = new JsonObject { ["label"] = label, ["type"] = type, ["description"] = description };
        if (interventionNames.Length > 0)
        {
            arm["interventionNames"] = new JsonArray(interventionNames.Select(n => (JsonNode)n!).ToArray());
        }

        _arms.Add(arm);
        return this;
    }

    public RegistryRecordBuilder Ages(string? minimum, string? maximum)
    {
        _minimumAge = minimum;
        _maximumAge = maximum;
        return this;
    }

    public RegistryRecordBuilder Criteria(string criteria) { _criteria = criteria; return this; }

    public RegistryRecordBuilder Summary(string briefSummary) { _summary = briefSummary; return this; }

    public RegistryRecordBuilder Site(string facility, string city, string country, string? status = "RECRUITING", double? lat = null, double? lon = null)
    {
        var location = new JsonObject { ["facility"] = facility, ["city"] = city, ["country"] = country };
        if (status is not null)
        {
            location["status"] = status;
        }

        if (lat is not null && lon is not null)
        {
            location["geoPoint"] = new JsonObject { ["lat"] = lat, ["lon"] = lon };
        }

        _locations.Add(location);
        return this;
    }

    public JsonObject BuildJson()
    {
        var identification = new JsonObject { ["nctId"] = _nctId, ["briefTitle"] = _briefTitle };
        if (_officialTitle is not null)
        {
            identification["officialTitle"] = _officialTitle;
        }

        var protocol = new JsonObject
        {
            ["identificationModule"] = identification,
            ["statusModule"] = new JsonObject { ["overallStatus"] = _status },
        };
        if (_conditions.Count > 0 || _keywords.Count > 0)
        {
            var conditions = new JsonObject();
            if (_conditions.Count > 0) conditions["conditions"] = Array(_conditions);
            if (_keywords.Count > 0) conditions["keywords"] = Array(_keywords);
            protocol["conditionsModule"] = conditions;
        }

        if (_summary is not null)
        {
            protocol["descriptionModule"] = new JsonObject { ["briefSummary"] = _summary };
        }

        var design = new JsonObject { ["studyType"] = _studyType };
        if (_phases.Count > 0) design["phases"] = Array(_phases);
        protocol["designModule"] = design;

        if (_interventions.Count > 0 || _arms.Count > 0)
        {
            var arms = new JsonObject();
            if (_arms.Count > 0) arms["armGroups"] = new JsonArray(_arms.Select(a => (JsonNode)a.DeepClone()).ToArray());
            if (_interventions.Count > 0) arms["interventions"] = new JsonArray(_interventions.Select(i => (JsonNode)i.DeepClone()).ToArray());
            protocol["armsInterventionsModule"] = arms;
        }

        var eligibility = new JsonObject { ["sex"] = "ALL" };
        if (_criteria is not null) eligibility["eligibilityCriteria"] = _criteria;
        if (_minimumAge is not null) eligibility["minimumAge"] = _minimumAge;
        if (_maximumAge is not null) eligibility["maximumAge"] = _maximumAge;
        protocol["eligibilityModule"] = eligibility;

        if (_locations.Count > 0)
        {
            protocol["contactsLocationsModule"] = new JsonObject
            {
                ["locations"] = new JsonArray(_locations.Select(l => (JsonNode)l.DeepClone()).ToArray()),
            };
        }

        return new JsonObject { ["protocolSection"] = protocol, ["hasResults"] = false };
    }

    public Study Build()
    {
        using var document = JsonDocument.Parse(BuildJson().ToJsonString());
        return RegistryStudyMapper.Map(document.RootElement);
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v!).ToArray());
}
