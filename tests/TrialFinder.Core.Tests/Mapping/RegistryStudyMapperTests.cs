using System.Text.Json;
using System.Text.Json.Nodes;
using TrialFinder.Sync.Mapping;

namespace TrialFinder.Core.Tests.Mapping;

public class RegistryStudyMapperTests
{
    public static TheoryData<string> RealRecords() => TestData.RealRecordIds();

    [Theory]
    [MemberData(nameof(RealRecords))]
    public void Every_real_record_maps_with_the_facts_the_registry_gave(string nctId)
    {
        using var document = TestData.ReadJson(TestData.RealRecordPath(nctId));
        var record = document.RootElement;
        var protocol = record.GetProperty("protocolSection");
        var eligibility = protocol.GetProperty("eligibilityModule");
        var locations = protocol.GetProperty("contactsLocationsModule").GetProperty("locations").EnumerateArray().ToList();

        var study = RegistryStudyMapper.Map(record);

        Assert.Equal(nctId, study.NctId);
        Assert.Equal(protocol.GetProperty("identificationModule").GetProperty("briefTitle").GetString(), study.BriefTitle);
        Assert.Equal(protocol.GetProperty("statusModule").GetProperty("overallStatus").GetString(), study.OverallStatus);
        Assert.Equal(YearsIn(eligibility, "minimumAge"), study.MinimumAgeYears);
        Assert.Equal(YearsIn(eligibility, "maximumAge"), study.MaximumAgeYears);
        Assert.Equal(locations.Count, study.Sites.Count);
        for (var i = 0; i < locations.Count; i++)
        {
            var site = study.Sites[i];
            Assert.Equal(i, site.Ordinal);
            Assert.Equal(Text(locations[i], "facility"), site.Facility);
            Assert.Equal(Text(locations[i], "city"), site.City);
            Assert.Equal(Text(locations[i], "country"), site.Country);
            if (locations[i].TryGetProperty("geoPoint", out var point))
            {
                Assert.Equal(point.GetProperty("lat").GetDouble(), site.Latitude);
                Assert.Equal(point.GetProperty("lon").GetDouble(), site.Longitude);
            }
            else
            {
                Assert.Null(site.Latitude);
                Assert.Null(site.Longitude);
            }
        }

        Assert.False(string.IsNullOrEmpty(study.RawJson));
        Assert.Matches("^[0-9a-f]{64}$", study.ContentHash);
    }

    [Fact]
    public void The_large_palbociclib_record_keeps_all_437_sites_and_their_coordinates()
    {
        var study = MapReal("NCT02513394");

        Assert.Equal("PALbociclib CoLlaborative Adjuvant Study", study.BriefTitle);
        Assert.Equal("ACTIVE_NOT_RECRUITING", study.OverallStatus);
        Assert.Equal(18m, study.MinimumAgeYears);
        Assert.Null(study.MaximumAgeYears);
        Assert.Equal(437, study.Sites.Count);
        Assert.Equal(435, study.Sites.Count(s => s.Latitude is not null && s.Longitude is not null));
        Assert.Contains("PHASE3", study.Phases);
    }

    [Fact]
    public void A_closed_age_range_study_maps_its_ages_text_and_numbers()
    {
        var study = MapReal("NCT00763412");

        Assert.Equal("12 Years", study.MinimumAgeText);
        Assert.Equal("24 Years", study.MaximumAgeText);
        Assert.Equal(12m, study.MinimumAgeYears);
        Assert.Equal(24m, study.MaximumAgeYears);
        Assert.Equal(["Cystic Fibrosis Related Diabetes", "Pancreatic Insufficiency"], study.Conditions);
        Assert.Equal(["placebo", "repaglinide"], study.Interventions.Select(i => i.Name));
        Assert.All(study.Interventions, i => Assert.Equal("DRUG", i.Type));
        Assert.Equal(["1 Placebo", "2. repaglinide"], study.ArmGroups.Select(a => a.Label));
        Assert.Equal(["PLACEBO_COMPARATOR", "EXPERIMENTAL"], study.ArmGroups.Select(a => a.Type));
        Assert.StartsWith("repaglinide 0.5 mg before each meal", study.ArmGroups[1].Description);
        Assert.Equal(["Drug: repaglinide"], study.ArmGroups[1].InterventionNames);
        var site = Assert.Single(study.Sites);
        Assert.Equal("Saint Louis", site.City);
        Assert.Equal("63110", site.PostalCode);
        Assert.Equal(38.62727, site.Latitude);
        Assert.Equal(-90.19789, site.Longitude);
        Assert.Equal(new DateOnly(2008, 10, 1), study.FirstPostedOn);
        Assert.Equal(new DateOnly(2017, 6, 5), study.LastUpdatePostedOn);
        Assert.Equal("2006-11", study.StartDate);
    }

    [Fact]
    public void A_registry_refresh_that_only_changes_derived_data_maps_to_the_same_facts()
    {
        var original = MapReal("NCT02552212");
        using var document = TestData.ReadJson(Path.Combine(TestData.SharedRegistryData, "versions", "NCT02552212.derived-2024-01-03.json"));
        var refreshed = RegistryStudyMapper.Map(document.RootElement);

        Assert.Empty(TrialFinder.Core.Studies.StudyChangeDetector.Detect(original, refreshed, DateTimeOffset.UnixEpoch, null));
        Assert.Equal(original.Sites.Count, refreshed.Sites.Count);
    }

    [Fact]
    public void A_record_with_only_the_required_modules_maps_with_empty_lists_and_nulls()
    {
        var study = Map("""
            {"protocolSection":{
              "identificationModule":{"nctId":"NCT01234567","briefTitle":"A Sparse Study"},
              "statusModule":{"overallStatus":"RECRUITING"}}}
            """);

        Assert.Equal("NCT01234567", study.NctId);
        Assert.Equal("A Sparse Study", study.BriefTitle);
        Assert.Null(study.OfficialTitle);
        Assert.Empty(study.Phases);
        Assert.Empty(study.Conditions);
        Assert.Empty(study.Keywords);
        Assert.Empty(study.Interventions);
        Assert.Empty(study.Sites);
        Assert.Null(study.MinimumAgeYears);
        Assert.Null(study.MaximumAgeYears);
        Assert.Null(study.EligibilityCriteria);
        Assert.Null(study.LeadSponsor);
        Assert.Null(study.StartDate);
        Assert.Null(study.FirstPostedOn);
    }

    [Fact]
    public void A_site_without_a_geo_point_or_status_maps_without_them()
    {
        var study = Map("""
            {"protocolSection":{
              "identificationModule":{"nctId":"NCT01234567","briefTitle":"A Study"},
              "statusModule":{"overallStatus":"RECRUITING"},
              "contactsLocationsModule":{"locations":[{"facility":"Clinic","city":"Lyon","country":"France"}]}}}
            """);

        var site = Assert.Single(study.Sites);
        Assert.Equal("Lyon", site.City);
        Assert.Null(site.Latitude);
        Assert.Null(site.RecruitmentStatus);
        Assert.Empty(site.Contacts);
    }

    [Fact]
    public void A_record_without_a_protocol_section_is_rejected()
    {
        var error = Assert.Throws<StudyMappingException>(() => Map("""{"hasResults":false}"""));
        Assert.Contains("protocolSection", error.Message);
    }

    [Theory]
    [InlineData("NCT123")]
    [InlineData("nct00763412")]
    [InlineData("NCT0076341X")]
    public void A_record_with_a_malformed_nct_id_is_rejected_naming_the_id(string badId)
    {
        var error = MapBroken(r => r["protocolSection"]!["identificationModule"]!["nctId"] = badId);
        Assert.Contains(badId, error.Message);
    }

    [Fact]
    public void A_status_the_product_does_not_know_yet_is_kept_as_the_registry_wrote_it() =>
        Assert.Equal("PAUSED_FOR_REVIEW", MapChanged(r => r["protocolSection"]!["statusModule"]!["overallStatus"] = "PAUSED_FOR_REVIEW").OverallStatus);

    [Theory]
    [InlineData("open")]
    [InlineData("Recruiting now")]
    [InlineData("")]
    public void A_record_whose_overall_status_is_not_shaped_like_a_registry_value_is_rejected(string status) =>
        AssertRejected(r => r["protocolSection"]!["statusModule"]!["overallStatus"] = status, "overallStatus");

    [Fact]
    public void A_record_with_an_unreadable_age_is_rejected() =>
        AssertRejected(r => r["protocolSection"]!["eligibilityModule"]!["minimumAge"] = "abc", "abc");

    [Fact]
    public void A_record_with_text_where_a_list_belongs_is_rejected() =>
        AssertRejected(r => r["protocolSection"]!["conditionsModule"]!["conditions"] = "Cystic Fibrosis", "conditions");

    [Fact]
    public void A_record_with_a_latitude_off_the_globe_is_rejected() =>
        AssertRejected(
            r => r["protocolSection"]!["contactsLocationsModule"]!["locations"]![0]!["geoPoint"]!["lat"] = 123.0,
            "coordinates");

    [Fact]
    public void A_phase_the_product_does_not_know_yet_is_kept_as_written() =>
        Assert.Equal(["PHASE7"], MapChanged(r => r["protocolSection"]!["designModule"]!["phases"] = new JsonArray("PHASE7")).Phases);

    [Fact]
    public void A_record_with_a_malformed_phase_is_rejected() =>
        AssertRejected(r => r["protocolSection"]!["designModule"]!["phases"] = new JsonArray("phase 2"), "phase 2");

    [Fact]
    public void A_record_with_an_unreadable_date_is_rejected() =>
        AssertRejected(r => r["protocolSection"]!["statusModule"]!["startDateStruct"]!["date"] = "November 2006", "November 2006");

    [Fact]
    public void A_record_with_a_number_where_text_belongs_is_rejected() =>
        AssertRejected(r => r["protocolSection"]!["identificationModule"]!["briefTitle"] = 42, "briefTitle");

    [Fact]
    public void An_intervention_without_a_name_is_rejected() =>
        AssertRejected(r => r["protocolSection"]!["armsInterventionsModule"]!["interventions"]![0]!.AsObject().Remove("name"), "intervention");

    private static void AssertRejected(Action<JsonNode> breakIt, string expectedInMessage)
    {
        var error = MapBroken(breakIt);
        Assert.Equal("NCT00763412", error.NctId);
        Assert.Contains("NCT00763412", error.Message);
        Assert.Contains(expectedInMessage, error.Message);
    }

    private static TrialFinder.Core.Studies.Study MapChanged(Action<JsonNode> change)
    {
        var record = JsonNode.Parse(File.ReadAllText(TestData.RealRecordPath("NCT00763412")))!;
        change(record);
        return Map(record.ToJsonString());
    }

    private static StudyMappingException MapBroken(Action<JsonNode> breakIt)
    {
        var record = JsonNode.Parse(File.ReadAllText(TestData.RealRecordPath("NCT00763412")))!;
        breakIt(record);
        return Assert.Throws<StudyMappingException>(() => Map(record.ToJsonString()));
    }

    private static TrialFinder.Core.Studies.Study MapReal(string nctId)
    {
        using var document = TestData.ReadJson(TestData.RealRecordPath(nctId));
        return RegistryStudyMapper.Map(document.RootElement);
    }

    private static TrialFinder.Core.Studies.Study Map(string json)
    {
        using var document = JsonDocument.Parse(json);
        return RegistryStudyMapper.Map(document.RootElement);
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>Reads "N Years" independently of the product's parser, for the ages the real records use.</summary>
    private static decimal? YearsIn(JsonElement eligibility, string name)
    {
        if (Text(eligibility, name) is not { } text)
        {
            return null;
        }

        var parts = text.Split(' ');
        Assert.Equal("Years", parts[1]);
        return decimal.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
