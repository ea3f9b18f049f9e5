using TrialFinder.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TrialFinder.Core.Geo;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Catalog;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>
/// The site-status rule of place searches in the direction no real record shows: a site that says it is
/// closed does not find its open study, another open site in range does. The studies here are invented
/// by the test (NCT0999… ids, no registry has them); the other direction is in SearchTests with a real record.
/// </summary>
public sealed partial class SiteStatusRuleTests(SiteStatusRuleTests.Catalog catalog) : IClassFixture<SiteStatusRuleTests.Catalog>
{
    private const string OpenWithClosedNearbySite = "NCT09990101";
    private const string OpenWithUnstatedNearbySite = "NCT09990102";
    private const string ClosedWithClosedNearbySite = "NCT09990103";
    private const double Lat = 41.5, Lon = 2.1;
    private static readonly (double Lat, double Lon) Sabadell = (41.54329, 2.10942), Barcelona = (41.38879, 2.15899), Lyon = (45.764, 4.8357);

    [Fact]
    public async Task An_open_study_is_not_found_by_a_nearby_site_that_says_it_is_closed()
    {
        var ids = Ids(await SearchAsync($"lat={Lat}&lon={Lon}&radiusKm=250"));

        Assert.DoesNotContain(OpenWithClosedNearbySite, ids);
        Assert.Contains(OpenWithUnstatedNearbySite, ids);
    }

    [Fact]
    public async Task An_open_study_is_found_by_its_other_open_site_when_that_one_is_within_the_radius()
    {
        var response = await SearchAsync($"lat={Lat}&lon={Lon}&radiusKm=700");

        var trial = Trial(response, OpenWithClosedNearbySite);
        var nearest = trial.GetProperty("nearestSite");
        Assert.Equal("Lyon", nearest.GetProperty("city").GetString());
        Assert.Equal("RECRUITING", nearest.GetProperty("recruitmentStatus").GetString());
        Assert.Equal(GeoDistance.HaversineKm(Lat, Lon, Lyon.Lat, Lyon.Lon), nearest.GetProperty("distanceKm").GetDouble(), 3);
        Assert.Equal(1, trial.GetProperty("sitesWithinRadius").GetInt32());
    }

    [Fact]
    public async Task A_study_that_is_not_open_is_found_by_its_sites_whatever_they_say()
    {
        var response = await SearchAsync($"status=ACTIVE_NOT_RECRUITING&lat={Lat}&lon={Lon}&radiusKm=250");

        var nearest = Trial(response, ClosedWithClosedNearbySite).GetProperty("nearestSite");
        Assert.Equal("COMPLETED", nearest.GetProperty("recruitmentStatus").GetString());
        Assert.Equal(GeoDistance.HaversineKm(Lat, Lon, Barcelona.Lat, Barcelona.Lon), nearest.GetProperty("distanceKm").GetDouble(), 3);
    }

    [Theory]
    [InlineData("en", "this site: Recruiting")]
    [InlineData("fr", "ce centre : Recrute")]
    public async Task The_results_page_shows_the_nearest_site_s_own_status_beside_its_distance(string language, string siteStatus)
    {
        var client = catalog.Web.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var html = await client.GetStringAsync($"/trials?lat={Lat}&lon={Lon}&radiusKm=700");

        var result = HtmlPages.Parse(html).QuerySelectorAll("li.result").Select(item => item.OuterHtml).Single(r => r.Contains($"/trials/{OpenWithClosedNearbySite}"));
        Assert.Matches($@"<strong>[\d\s,.]+ km</strong>\s*<span class=""site-status"">\({Regex.Escape(siteStatus)}\)</span>", result);
    }

    private async Task<JsonElement> SearchAsync(string query) =>
        await catalog.Web.CreateClient().GetFromJsonAsync<JsonElement>($"/api/trials?{query}&pageSize=100");

    private static List<string> Ids(JsonElement response) =>
        response.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("nctId").GetString()!).ToList();

    private static JsonElement Trial(JsonElement response, string nctId) =>
        response.GetProperty("trials").EnumerateArray().Single(t => t.GetProperty("nctId").GetString() == nctId);

    /// <summary>A database holding only the invented studies, loaded through the snapshot import, and the site over it.</summary>
    public sealed class Catalog : IAsyncLifetime
    {
        private readonly TestDatabase _database = new();
        public WebTestHost Web { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            var folder = Directory.CreateTempSubdirectory("tf-site-status-");
            try
            {
                var studies = new JsonArray(
                    Study(OpenWithClosedNearbySite, "RECRUITING",
                        Site("Test site in Sabadell", "Sabadell", "COMPLETED", Sabadell), Site("Test site in Lyon", "Lyon", "RECRUITING", Lyon)),
                    Study(OpenWithUnstatedNearbySite, "RECRUITING", Site("Test site in Barcelona", "Barcelona", null, Barcelona)),
                    Study(ClosedWithClosedNearbySite, "ACTIVE_NOT_RECRUITING", Site("Test site in Barcelona", "Barcelona", "COMPLETED", Barcelona)));
                var file = Path.Combine(folder.FullName, "invented-studies.json");
                await File.WriteAllTextAsync(file, new JsonObject { ["studies"] = studies }.ToJsonString());
                await using var replay = await RegistryReplay.StartAsync([]);
                using var host = SyncHost.Create(_database, replay);
                await host.SendAsync(new ImportSnapshot.Command(file));
            }
            finally
            {
                folder.Delete(recursive: true);
            }

            Web = new WebTestHost(_database);
        }

        public async Task DisposeAsync()
        {
            await Web.DisposeAsync();
            await _database.DisposeAsync();
        }

        private static JsonObject Study(string nctId, string status, params JsonObject[] sites) => new()
        {
            ["protocolSection"] = new JsonObject
            {
                ["identificationModule"] = new JsonObject { ["nctId"] = nctId, ["briefTitle"] = $"Study invented by the site-status tests ({nctId})" },
                ["statusModule"] = new JsonObject { ["overallStatus"] = status },
                ["designModule"] = new JsonObject { ["studyType"] = "INTERVENTIONAL" },
                ["eligibilityModule"] = new JsonObject { ["sex"] = "ALL" },
                ["contactsLocationsModule"] = new JsonObject { ["locations"] = new JsonArray(sites) },
            },
            ["hasResults"] = false,
        };

        private static JsonObject Site(string facility, string city, string? status, (double Lat, double Lon) point)
        {
            var site = new JsonObject
            {
                ["facility"] = facility, ["city"] = city, ["country"] = city == "Lyon" ? "France" : "Spain",
                ["geoPoint"] = new JsonObject { ["lat"] = point.Lat, ["lon"] = point.Lon },
            };
            if (status is not null)
            {
                site["status"] = status;
            }

            return site;
        }
    }
}
