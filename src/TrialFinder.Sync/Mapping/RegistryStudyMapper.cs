using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrialFinder.Core.Eligibility;
using TrialFinder.Core.Geo;
using TrialFinder.Core.Studies;

namespace TrialFinder.Sync.Mapping;

/// <summary>
/// Maps one API v2 study record into the product's <see cref="Study"/>. Fields the registry leaves
/// out stay empty; a field that is present but malformed (wrong type, unknown status, unreadable
/// age or date, impossible coordinates) rejects the whole record rather than storing a guess.
/// </summary>
public static partial class RegistryStudyMapper
{
    public static Study Map(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new StudyMappingException(null, $"expected a study object, found {record.ValueKind}");
        }

        var protocol = RequiredObject(record, "protocolSection", null);
        var identification = RequiredObject(protocol, "identificationModule", null);
        var nctId = StringAt(identification, "nctId");
        if (!NctId.IsWellFormed(nctId))
        {
            throw new StudyMappingException(nctId, $"missing or malformed nctId '{nctId}'");
        }

        try
        {
            return MapProtocol(record, protocol, identification, nctId);
        }
        catch (StudyMappingException)
        {
            throw;
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or JsonException)
        {
            throw new StudyMappingException(nctId, exception.Message);
        }
    }

    /// <summary>The NCT id of a record that may be too broken to map, for error reports.</summary>
    public static string? TryReadNctId(JsonElement record)
    {
        if (record.ValueKind == JsonValueKind.Object
            && record.TryGetProperty("protocolSection", out var protocol) && protocol.ValueKind == JsonValueKind.Object
            && protocol.TryGetProperty("identificationModule", out var identification) && identification.ValueKind == JsonValueKind.Object
            && identification.TryGetProperty("nctId", out var id) && id.ValueKind == JsonValueKind.String)
        {
            return id.GetString();
        }

        return null;
    }

    public static (string RawJson, string ContentHash) Canonicalize(JsonElement record)
    {
        var raw = JsonSerializer.Serialize(record);
        return (raw, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))));
    }

    private static Study MapProtocol(JsonElement record, JsonElement protocol, JsonElement identification, string nctId)
    {
        var status = RequiredObject(protocol, "statusModule", nctId);
        // A status the product does not know yet (the registry adds enum values) is kept as written.
        var overallStatus = StringAt(status, "overallStatus");
        if (!RegistryStatuses.IsWellFormed(overallStatus))
        {
            throw new StudyMappingException(nctId, $"missing or malformed overallStatus '{overallStatus}'");
        }

        var briefTitle = StringAt(identification, "briefTitle");
        if (string.IsNullOrWhiteSpace(briefTitle))
        {
            throw new StudyMappingException(nctId, "missing briefTitle");
        }

        var design = ObjectAt(protocol, "designModule");
        var phases = Strings(design, "phases");
        var malformedPhase = phases.FirstOrDefault(p => !RegistryStatuses.IsWellFormed(p));
        if (malformedPhase is not null)
        {
            throw new StudyMappingException(nctId, $"malformed phase '{malformedPhase}'");
        }

        var eligibility = ObjectAt(protocol, "eligibilityModule");
        var minimumAgeText = StringAt(eligibility, "minimumAge");
        var maximumAgeText = StringAt(eligibility, "maximumAge");
        if (!EligibleAge.TryParseYears(minimumAgeText, out var minimumAge))
        {
            throw new StudyMappingException(nctId, $"unreadable minimumAge '{minimumAgeText}'");
        }

        if (!EligibleAge.TryParseYears(maximumAgeText, out var maximumAge))
        {
            throw new StudyMappingException(nctId, $"unreadable maximumAge '{maximumAgeText}'");
        }

        var (raw, hash) = Canonicalize(record);
        var conditions = ObjectAt(protocol, "conditionsModule");
        var study = new Study
        {
            NctId = nctId,
            BriefTitle = briefTitle.Trim(),
            OfficialTitle = StringAt(identification, "officialTitle"),
            Acronym = StringAt(identification, "acronym"),
            OverallStatus = overallStatus,
            Phases = phases,
            StudyType = StringAt(design, "studyType"),
            Conditions = Strings(conditions, "conditions"),
            Keywords = Strings(conditions, "keywords"),
            Interventions = MapInterventions(ObjectAt(protocol, "armsInterventionsModule")),
            ArmGroups = MapArmGroups(ObjectAt(protocol, "armsInterventionsModule")),
            BriefSummary = StringAt(ObjectAt(protocol, "descriptionModule"), "briefSummary"),
            MinimumAgeYears = minimumAge,
            MaximumAgeYears = maximumAge,
            MinimumAgeText = minimumAgeText,
            MaximumAgeText = maximumAgeText,
            Sex = StringAt(eligibility, "sex"),
            HealthyVolunteers = BooleanAt(eligibility, "healthyVolunteers"),
            EligibilityCriteria = StringAt(eligibility, "eligibilityCriteria"),
            LeadSponsor = StringAt(ObjectAt(ObjectAt(protocol, "sponsorCollaboratorsModule"), "leadSponsor"), "name"),
            StartDate = PartialDate(nctId, StringAt(ObjectAt(status, "startDateStruct"), "date")),
            FirstPostedOn = Date(nctId, StringAt(ObjectAt(status, "studyFirstPostDateStruct"), "date")),
            LastUpdatePostedOn = Date(nctId, StringAt(ObjectAt(status, "lastUpdatePostDateStruct"), "date")),
            Sites = MapSites(nctId, ObjectAt(protocol, "contactsLocationsModule")),
            RawJson = raw,
            ContentHash = hash,
        };
        study.ComposeSearchText();
        return study;
    }

    private static List<Intervention> MapInterventions(JsonElement? module) =>
        ArrayAt(module, "interventions")
            .Select(i => new Intervention(
                StringAt(i, "type") ?? "OTHER",
                StringAt(i, "name") ?? throw new InvalidOperationException("an intervention has no name"),
                Strings(i, "otherNames"),
                StringAt(i, "description")))
            .ToList();

    private static List<ArmGroup> MapArmGroups(JsonElement? module) =>
        ArrayAt(module, "armGroups")
            .Select(a => new ArmGroup(
                StringAt(a, "label"),
                StringAt(a, "type"),
                StringAt(a, "description"),
                Strings(a, "interventionNames")))
            .ToList();

    private static List<Site> MapSites(string nctId, JsonElement? module)
    {
        var sites = new List<Site>();
        foreach (var (location, ordinal) in ArrayAt(module, "locations").Select((l, i) => (l, i)))
        {
            var geoPoint = ObjectAt(location, "geoPoint");
            var latitude = Number(geoPoint, "lat");
            var longitude = Number(geoPoint, "lon");
            if ((latitude is null) != (longitude is null)
                || (latitude is not null && !GeoPoint.IsValid(latitude.Value, longitude!.Value)))
            {
                throw new StudyMappingException(nctId, $"site {ordinal + 1} has impossible coordinates ({latitude}, {longitude})");
            }

            sites.Add(new Site
            {
                NctId = nctId,
                Ordinal = ordinal,
                Facility = StringAt(location, "facility"),
                City = StringAt(location, "city"),
                State = StringAt(location, "state"),
                PostalCode = StringAt(location, "zip"),
                Country = StringAt(location, "country"),
                RecruitmentStatus = StringAt(location, "status"),
                Latitude = latitude,
                Longitude = longitude,
                Contacts = ArrayAt(location, "contacts")
                    .Select(c => new SiteContact(StringAt(c, "name"), StringAt(c, "role"), StringAt(c, "phone"), StringAt(c, "email")))
                    .ToList(),
            });
        }

        return sites;
    }

    private static string? PartialDate(string nctId, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return PartialDatePattern().IsMatch(text) ? text : throw new StudyMappingException(nctId, $"unreadable date '{text}'");
    }

    private static DateOnly? Date(string nctId, string? text)
    {
        if (PartialDate(nctId, text) is not { } partial)
        {
            return null;
        }

        var full = partial.Length == 7 ? partial + "-01" : partial;
        return DateOnly.TryParseExact(full, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new StudyMappingException(nctId, $"unreadable date '{text}'");
    }

    private static JsonElement RequiredObject(JsonElement parent, string name, string? nctId) =>
        ObjectAt(parent, name) ?? throw new StudyMappingException(nctId, $"missing {name}");

    private static JsonElement? ObjectAt(JsonElement? parent, string name)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new InvalidOperationException($"{name} should be an object but is {value.ValueKind}");
    }

    private static IEnumerable<JsonElement> ArrayAt(JsonElement? parent, string name)
    {
        if (Property(parent, name) is not { } value)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToList()
            : throw new InvalidOperationException($"{name} should be an array but is {value.ValueKind}");
    }

    private static string? StringAt(JsonElement? parent, string name)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidOperationException($"{name} should be text but is {value.ValueKind}");
    }

    private static List<string> Strings(JsonElement? parent, string name) =>
        ArrayAt(parent, name)
            .Select(v => v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : throw new InvalidOperationException($"{name} should hold text but holds {v.ValueKind}"))
            .ToList();

    private static bool? BooleanAt(JsonElement? parent, string name)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidOperationException($"{name} should be true or false but is {value.ValueKind}"),
        };
    }

    private static double? Number(JsonElement? parent, string name)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new InvalidOperationException($"{name} should be a number but is {value.ValueKind}");
    }

    private static JsonElement? Property(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    [GeneratedRegex(@"^\d{4}-\d{2}(-\d{2})?$")]
    private static partial Regex PartialDatePattern();
}

/// <summary>A registry record that cannot be mapped; the sync logs and counts it and goes on.</summary>
public sealed class StudyMappingException(string? nctId, string reason)
    : Exception(nctId is null ? $"Unreadable study record: {reason}" : $"Unreadable study record {nctId}: {reason}")
{
    public string? NctId { get; } = nctId;
}
