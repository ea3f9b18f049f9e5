using TrialFinder.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>
/// Each filter alone and combined returns exactly the studies that fit, computed here from the
/// records themselves; the API and the page agree.
/// </summary>
public sealed partial class SearchTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private IReadOnlyList<RecordFacts> Facts => catalog.Records.Select(RecordFacts.From).ToList();

    [Fact]
    public async Task By_default_only_recruiting_and_not_yet_recruiting_trials_are_listed()
    {
        var ids = await ApiIdsAsync("/api/trials?pageSize=100");

        Assert.Equal(Facts.Where(f => f.IsOpen).Select(f => f.NctId).Order(), ids.Order());
        Assert.NotEmpty(ids);
    }

    [Theory]
    [InlineData("age=2.5", 2.5)]
    [InlineData("ageMonths=30", 2.5)]
    [InlineData("age=1", 1)]
    [InlineData("age=12", 12)]
    [InlineData("age=18", 18)]
    [InlineData("age=45", 45)]
    public async Task Age_keeps_exactly_the_trials_whose_bounds_include_it_with_missing_bounds_meaning_no_limit(string filter, double years)
    {
        var ids = await ApiIdsAsync($"/api/trials?{filter}&status=RECRUITING&status=NOT_YET_RECRUITING&status=COMPLETED&status=ACTIVE_NOT_RECRUITING&pageSize=100");

        var expected = Facts.Where(f => f.Status is "RECRUITING" or "NOT_YET_RECRUITING" or "COMPLETED" or "ACTIVE_NOT_RECRUITING")
            .Where(f => f.FitsAge((decimal)years)).Select(f => f.NctId);
        Assert.Equal(expected.Order(), ids.Order());
    }

    [Theory]
    [InlineData(45.764, 4.8357, 100)]     // Lyon
    [InlineData(40.7506, -73.9972, 50)]   // New York, ZIP 10001
    [InlineData(52.09, 5.12, 300)]        // Utrecht
    [InlineData(-33.87, 151.21, 2000)]    // Sydney
    [InlineData(64.84, -147.72, 20000)]   // Fairbanks, whole earth
    public async Task Distance_keeps_trials_with_an_open_site_within_the_radius_nearest_first(double lat, double lon, double radiusKm)
    {
        var response = await GetJsonAsync($"/api/trials?lat={lat}&lon={lon}&radiusKm={radiusKm}&pageSize=100");

        var expected = Facts.Where(f => f.IsOpen)
            .Select(f => (f.NctId, Km: f.NearestCountingSiteKm(lat, lon, radiusKm)))
            .Where(x => x.Km is not null)
            .OrderBy(x => x.Km).ThenBy(x => x.NctId, StringComparer.Ordinal)
            .ToList();
        var trials = response.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(expected.Select(e => e.NctId), trials.Select(t => t.GetProperty("nctId").GetString()));
        foreach (var (trial, wanted) in trials.Zip(expected))
        {
            Assert.Equal(wanted.Km!.Value, trial.GetProperty("nearestSite").GetProperty("distanceKm").GetDouble(), 3);
        }
    }

    [Fact]
    public async Task A_stale_site_status_never_hides_a_study_whose_own_status_matches()
    {
        // NCT03475563's own status is UNKNOWN while its three Spanish sites still say RECRUITING.
        const double lat = 41.5, lon = 2.1, radiusKm = 250;
        var response = await GetJsonAsync($"/api/trials?status=UNKNOWN&lat={lat}&lon={lon}&radiusKm={radiusKm}&pageSize=100");

        var expected = Facts.Where(f => f.Status == "UNKNOWN")
            .Select(f => (f.NctId, Km: f.NearestCountingSiteKm(lat, lon, radiusKm)))
            .Where(x => x.Km is not null)
            .OrderBy(x => x.Km).ThenBy(x => x.NctId, StringComparer.Ordinal)
            .Select(x => x.NctId)
            .ToList();
        Assert.Contains("NCT03475563", expected);
        Assert.Equal(expected, Ids(response));
        var nearest = response.GetProperty("trials").EnumerateArray()
            .Single(t => t.GetProperty("nctId").GetString() == "NCT03475563").GetProperty("nearestSite");
        Assert.Equal("Sabadell", nearest.GetProperty("city").GetString());
        Assert.Equal("RECRUITING", nearest.GetProperty("recruitmentStatus").GetString());
    }

    [Fact]
    public async Task Distance_search_is_correct_across_the_antimeridian()
    {
        // A point in the Pacific just east of the antimeridian; sites in New Zealand/Australia lie west of it.
        var ids = await ApiIdsAsync("/api/trials?lat=-36.85&lon=-179.9&radiusKm=4000&pageSize=100");

        var expected = Facts.Where(f => f.IsOpen && f.NearestCountingSiteKm(-36.85, -179.9, 4000) is not null).Select(f => f.NctId);
        Assert.Equal(expected.Order(), ids.Order());
    }

    [Theory]
    [InlineData("anti-gd2")]
    [InlineData("lu177-prrt")]
    [InlineData("mibg")]
    [InlineData("somatostatin-analogue")]
    public async Task Therapy_keeps_exactly_the_trials_tagged_with_it(string therapy)
    {
        var ids = await ApiIdsAsync($"/api/trials?therapy={therapy}&status=RECRUITING&status=NOT_YET_RECRUITING&status=COMPLETED&status=ACTIVE_NOT_RECRUITING&status=TERMINATED&pageSize=100");

        await using var db = catalog.Database.CreateContext();
        var expected = await db.Studies
            .Where(s => s.TherapyTypes.Contains(therapy) && new[] { "RECRUITING", "NOT_YET_RECRUITING", "COMPLETED", "ACTIVE_NOT_RECRUITING", "TERMINATED" }.Contains(s.OverallStatus))
            .Select(s => s.NctId).ToListAsync();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), ids.Order());
    }

    [Fact]
    public async Task Combined_filters_child_of_3_open_to_relapse_anti_gd2_in_phase_2_gives_the_intersection()
    {
        var ids = await ApiIdsAsync("/api/trials?age=3&therapy=anti-gd2&refractory=true&disease=neuroblastoma&phase=PHASE2&pageSize=100");

        await using var db = catalog.Database.CreateContext();
        var tagged = await db.Studies
            .Where(s => s.TherapyTypes.Contains("anti-gd2") && s.TakesRefractory && s.Diseases.Contains("neuroblastoma"))
            .Select(s => s.NctId).ToListAsync();
        var expected = Facts.Where(f => f.IsOpen && f.FitsAge(3) && f.Phases.Contains("PHASE2") && tagged.Contains(f.NctId)).Select(f => f.NctId);
        Assert.Equal(expected.Order(), ids.Order());
        Assert.NotEmpty(ids);
    }

    [Fact]
    public async Task Paging_splits_the_results_without_overlap_and_reports_the_total()
    {
        var all = await ApiIdsAsync("/api/trials?status=COMPLETED&status=RECRUITING&pageSize=100");
        var first = await GetJsonAsync("/api/trials?status=COMPLETED&status=RECRUITING&pageSize=5&page=1");
        var second = await GetJsonAsync("/api/trials?status=COMPLETED&status=RECRUITING&pageSize=5&page=2");

        Assert.Equal(all.Count, first.GetProperty("total").GetInt32());
        var pages = Ids(first).Concat(Ids(second)).ToList();
        Assert.Equal(all.Take(10), pages);
    }

    [Fact]
    public async Task The_page_and_the_api_show_the_same_trials_in_the_same_order()
    {
        const string query = "age=4&lat=48.8566&lon=2.3522&radiusKm=800&status=RECRUITING&status=ACTIVE_NOT_RECRUITING&status=COMPLETED";
        var apiIds = await ApiIdsAsync($"/api/trials?{query}&pageSize=20");
        var html = await catalog.Web.CreateClient().GetStringAsync($"/trials?{query}");

        var pageIds = TrialIds(html);
        Assert.NotEmpty(apiIds);
        Assert.Equal(apiIds, pageIds);
    }

    [Theory]
    [InlineData("status=COMPLETED")]
    [InlineData("radius=50&unit=km")]
    public async Task The_home_page_with_only_a_status_or_a_radius_chosen_shows_the_results(string query)
    {
        var apiIds = await ApiIdsAsync($"/api/trials?{query}&pageSize=20");
        var html = await catalog.Web.CreateClient().GetStringAsync($"/?{query}");

        var pageIds = TrialIds(html);
        Assert.NotEmpty(apiIds);
        Assert.Equal(apiIds, pageIds);
    }

    [Fact]
    public async Task A_trial_with_no_coordinates_still_appears_in_searches_without_a_place()
    {
        await using var db = catalog.Database.CreateContext();
        var withoutSites = await db.Studies.Where(s => !s.Sites.Any() && (s.OverallStatus == "RECRUITING" || s.OverallStatus == "NOT_YET_RECRUITING"))
            .Select(s => s.NctId).FirstAsync();

        var ids = await ApiIdsAsync("/api/trials?pageSize=100");

        Assert.Contains(withoutSites, ids);
    }

    private async Task<List<string>> ApiIdsAsync(string url) => Ids(await GetJsonAsync(url)).ToList();

    private static IEnumerable<string> Ids(JsonElement response) =>
        response.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("nctId").GetString()!);

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await catalog.Web.CreateClient().GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The NCT ids the page links to, in page order, each once.</summary>
    private static List<string> TrialIds(string html) =>
        HtmlPages.Parse(html).QuerySelectorAll("a").Select(a => a.GetAttribute("href") ?? "")
            .Where(href => href.StartsWith("/trials/NCT", StringComparison.Ordinal))
            .Select(href => href["/trials/".Length..].Split('?')[0])
            .Distinct().ToList();
}
