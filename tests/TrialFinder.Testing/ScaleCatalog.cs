using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TrialFinder.Testing;

/// <summary>
/// A catalogue of any size (up to ten million studies) for scale tests and benchmarks, generated from the
/// real records in the repository. Study <c>i</c> is a copy of a real neuroblastoma or NET record (its
/// conditions, keywords, interventions, description and eligibility text kept, so the product's queries
/// select it and its classifier tags it) under a new id <c>NCT9xxxxxxx</c>, a range the registry has not
/// used, with the title marked <see cref="TitleMarker"/>. Its overall status, phases and age limits are
/// those of a real record drawn at random; its first-posted and last-update dates are spread over
/// 2015 to <see cref="LastDate"/> (so an incremental sync since a recent date selects a small share);
/// it has 0–40 sites (about 10, skewed), each moved to a real place (a GeoNames city of the gazetteer,
/// drawn by population within a country drawn by its share of real sites, or without the gazetteer a
/// real site's location) with a status seen on real sites of studies with the same overall status.
/// Generated studies exist only for tests: they are never shipped or shown as real.
/// The same count and seed give the same bytes, and the first n studies of a larger catalogue are the
/// catalogue of n (each study has its own random stream).
/// </summary>
public static partial class ScaleCatalog
{
    public const string TitleMarker = " [generated test study]";

    /// <summary>The number of the first generated id, NCT90000000.</summary>
    public const int FirstIdNumber = 90_000_000;

    public const int MaxCount = 10_000_000;

    /// <summary>The environment variable naming the gazetteer folder (as for the integration tests).</summary>
    public const string GazetteerVariable = "TF_TEST_GAZETTEER";

    public const int MaxSites = 40;

    /// <summary>The highest revision: each revision's verification month is one month before the previous one's.</summary>
    public const int MaxRevision = 100;

    public static readonly DateOnly FirstDate = new(2015, 1, 1);

    /// <summary>The replay's data timestamp: no generated date is later, except estimated start dates.</summary>
    public static readonly DateOnly LastDate = DateOnly.FromDateTime(DateTime.Parse(RegistryReplay.DataTimestamp, CultureInfo.InvariantCulture));

    private static readonly string[] StoppedStatuses = ["SUSPENDED", "TERMINATED", "WITHDRAWN"];

    /// <summary>The catalogue, with sites in the gazetteer of <see cref="GazetteerVariable"/> when it is set.</summary>
    public static IEnumerable<StudyRecord> Generate(int count, int seed) =>
        Generate(count, seed, Environment.GetEnvironmentVariable(GazetteerVariable) is { Length: > 0 } folder ? folder : null);

    /// <summary>The catalogue, read lazily; <paramref name="gazetteerFolder"/> null puts sites at real records' site locations.</summary>
    public static IEnumerable<StudyRecord> Generate(int count, int seed, string? gazetteerFolder) => Generate(count, seed, gazetteerFolder, revision: 0);

    /// <summary>
    /// The catalogue as re-verified by the registry <paramref name="revision"/> times: revision 0 is
    /// <see cref="Generate(int, int, string?)"/>; any other adds a <c>statusVerifiedDate</c> of its own to every
    /// study, so each record's bytes (and content hash) differ between revisions while everything the product
    /// maps and searches stays the same. Benchmarks use it for a full resync that really writes every study.
    /// </summary>
    public static IEnumerable<StudyRecord> Generate(int count, int seed, string? gazetteerFolder, int revision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(revision, MaxRevision);
        var sources = ScaleSources.Real;
        var places = ScalePlaces.For(gazetteerFolder, sources);
        return Studies(count, seed, revision, sources, places);
    }

    /// <summary>Where the sites of <see cref="Generate(int, int, string?)"/> go: "gazetteer &lt;folder&gt;" or "real sites".</summary>
    public static string PlaceSource(string? gazetteerFolder) => ScalePlaces.For(gazetteerFolder, ScaleSources.Real).Source;

    public static string NctIdAt(int index) => "NCT" + (FirstIdNumber + index).ToString("D8", CultureInfo.InvariantCulture);

    public static bool IsGenerated(string nctId) => GeneratedId().IsMatch(nctId);

    private static IEnumerable<StudyRecord> Studies(int count, int seed, int revision, ScaleSources sources, ScalePlaces places)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var writer = new Utf8JsonWriter(buffer);
        for (var index = 0; index < count; index++)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            var nctId = NctIdAt(index);
            WriteStudy(writer, nctId, new Random(StudySeed(seed, index)), revision, sources, places);
            writer.Flush();
            yield return StudyRecord.Written(nctId, buffer.WrittenSpan.ToArray());
        }
    }

    /// <summary>A seed of its own for each study (SplitMix64 of seed and index), so study i never depends on the others.</summary>
    private static int StudySeed(int seed, int index)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    private static void WriteStudy(Utf8JsonWriter writer, string nctId, Random random, int revision, ScaleSources sources, ScalePlaces places)
    {
        var template = Pick(random, sources.Templates);
        var study = new DrawnStudy(
            nctId,
            Pick(random, sources.OverallStatuses),
            Pick(random, sources.Phases),
            Pick(random, sources.Ages),
            DrawDates(random));
        var siteCount = (int)Math.Min(MaxSites, Math.Round(-10 * Math.Log(1 - random.NextDouble()), MidpointRounding.AwayFromZero));
        var siteStatuses = sources.SiteStatusesByStudyStatus.GetValueOrDefault(study.OverallStatus) ?? [null];
        var sites = Enumerable.Range(0, siteCount).Select(_ => (Place: places.Draw(random), Status: Pick(random, siteStatuses))).ToList();

        writer.WriteStartObject();
        writer.WriteStartObject("protocolSection");
        foreach (var module in template.ModuleOrder)
        {
            switch (module)
            {
                case "identificationModule":
                    writer.WriteStartObject(module);
                    writer.WriteString("nctId", study.NctId);
                    WriteAll(writer, template.Identification);
                    writer.WriteEndObject();
                    break;
                case "statusModule":
                    writer.WritePropertyName(module);
                    WriteStatus(writer, study, template, revision);
                    break;
                case "designModule" when template.Design is not null || study.Phases is not null:
                    writer.WriteStartObject(module);
                    WriteStrings(writer, "phases", study.Phases);
                    WriteAll(writer, template.Design ?? []);
                    writer.WriteEndObject();
                    break;
                case "eligibilityModule" when template.Eligibility is not null || study.Ages is not { MinimumAge: null, MaximumAge: null, StdAges: null }:
                    writer.WriteStartObject(module);
                    WriteString(writer, "minimumAge", study.Ages.MinimumAge);
                    WriteString(writer, "maximumAge", study.Ages.MaximumAge);
                    WriteStrings(writer, "stdAges", study.Ages.StdAges);
                    WriteAll(writer, template.Eligibility ?? []);
                    writer.WriteEndObject();
                    break;
                case "contactsLocationsModule":
                    // Only generated sites: the real record's contacts and officials are real people of another study.
                    if (sites.Count > 0)
                    {
                        writer.WritePropertyName(module);
                        WriteSites(writer, sites);
                    }

                    break;
                case "designModule" or "eligibilityModule":
                    break;
                default:
                    if (template.Verbatim.TryGetValue(module, out var raw))
                    {
                        writer.WritePropertyName(module);
                        writer.WriteRawValue(raw, skipInputValidation: true);
                    }

                    break;
            }
        }

        writer.WriteEndObject();
        WriteAll(writer, template.OtherSections);
        writer.WriteEndObject();
    }

    private static void WriteAll(Utf8JsonWriter writer, RawProperty[] properties)
    {
        foreach (var property in properties)
        {
            property.WriteTo(writer);
        }
    }

    private static void WriteStatus(Utf8JsonWriter writer, DrawnStudy study, ScaleTemplate template, int revision)
    {
        var dates = study.Dates;
        writer.WriteStartObject();
        if (revision > 0)
        {
            writer.WriteString("statusVerifiedDate", LastDate.AddMonths(1 - revision).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }

        writer.WriteString("overallStatus", study.OverallStatus);
        if (StoppedStatuses.Contains(study.OverallStatus) && template.WhyStopped is { } whyStopped)
        {
            writer.WritePropertyName("whyStopped");
            writer.WriteRawValue(whyStopped, skipInputValidation: true);
        }

        WriteDate(writer, "startDateStruct", dates.Start, dates.StartMonthOnly ? "yyyy-MM" : "yyyy-MM-dd", dates.Start <= LastDate ? "ACTUAL" : "ESTIMATED");
        WriteDate(writer, "studyFirstPostDateStruct", dates.FirstPosted, "yyyy-MM-dd", "ACTUAL");
        WriteDate(writer, "lastUpdatePostDateStruct", dates.LastUpdate, "yyyy-MM-dd", "ACTUAL");
        writer.WriteEndObject();
    }

    private static void WriteDate(Utf8JsonWriter writer, string name, DateOnly date, string format, string type)
    {
        writer.WriteStartObject(name);
        writer.WriteString("date", date.ToString(format, CultureInfo.InvariantCulture));
        writer.WriteString("type", type);
        writer.WriteEndObject();
    }

    private static void WriteSites(Utf8JsonWriter writer, List<(ScalePlace Place, string? Status)> sites)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("locations");
        for (var i = 0; i < sites.Count; i++)
        {
            var (place, status) = sites[i];
            writer.WriteStartObject();
            writer.WriteString("facility", $"Generated test site {i + 1}");
            WriteString(writer, "status", status);
            writer.WriteString("city", place.City);
            writer.WriteString("country", place.Country);
            writer.WriteStartObject("geoPoint");
            writer.WriteNumber("lat", place.Latitude);
            writer.WriteNumber("lon", place.Longitude);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, string[]? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>First posted evenly over the years; last updated evenly between then and the data timestamp; started around the posting.</summary>
    private static StudyDates DrawDates(Random random)
    {
        var span = LastDate.DayNumber - FirstDate.DayNumber;
        var firstPosted = FirstDate.AddDays(random.Next(span - 30));
        var lastUpdate = firstPosted.AddDays(random.Next(LastDate.DayNumber - firstPosted.DayNumber + 1));
        var start = firstPosted.AddDays(random.Next(-90, 366));
        return new StudyDates(start, random.Next(10) < 3, firstPosted, lastUpdate);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    [GeneratedRegex(@"^NCT9\d{7}$")]
    private static partial Regex GeneratedId();

    private sealed record StudyDates(DateOnly Start, bool StartMonthOnly, DateOnly FirstPosted, DateOnly LastUpdate);

    private sealed record DrawnStudy(string NctId, string OverallStatus, string[]? Phases, AgeLimits Ages, StudyDates Dates);
}
