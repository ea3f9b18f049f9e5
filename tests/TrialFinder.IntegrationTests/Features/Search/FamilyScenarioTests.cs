using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Geo;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>The searches the product is built for, by place name and postcode, in English and French.</summary>
public sealed class FamilyScenarioTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    [Theory]
    [InlineData("age=3&near=Lyon&therapy=anti-gd2&radiusKm=1000", 3, "anti-gd2", "Lyon")]
    [InlineData("age=40&near=10001&therapy=lu177-prrt&radiusKm=3000", 40, "lu177-prrt", "10001")]
    public async Task A_family_search_by_place_returns_the_fitting_trials_nearest_first(string query, double age, string therapy, string placeText)
    {
        var response = await catalog.Web.CreateClient().GetFromJsonAsync<JsonElement>($"/api/trials?{query}&pageSize=100");

        var place = response.GetProperty("place");
        Assert.Contains(placeText == "10001" ? "New York" : "Lyon", place.GetProperty("label").GetString());
        var (lat, lon) = (place.GetProperty("latitude").GetDouble(), place.GetProperty("longitude").GetDouble());
        var radius = response.GetProperty("radiusKm").GetDouble();

        await using var db = catalog.Database.CreateContext();
        var tagged = await db.Studies.Where(s => s.TherapyTypes.Contains(therapy)).Select(s => s.NctId).ToListAsync();
        var expected = catalog.Records.Select(RecordFacts.From)
            .Where(f => f.IsOpen && f.FitsAge((decimal)age) && tagged.Contains(f.NctId))
            .Select(f => (f.NctId, Km: f.NearestCountingSiteKm(lat, lon, radius)))
            .Where(x => x.Km is not null)
            .OrderBy(x => x.Km).ThenBy(x => x.NctId, StringComparer.Ordinal)
            .Select(x => x.NctId)
            .ToList();
        var trials = response.GetProperty("trials").EnumerateArray().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, trials.Select(t => t.GetProperty("nctId").GetString()));
        var distances = trials.Select(t => t.GetProperty("nearestSite").GetProperty("distanceKm").GetDouble()).ToList();
        Assert.Equal(distances.Order(), distances);
        Assert.All(trials, t => Assert.True(t.GetProperty("sitesWithinRadius").GetInt32() >= 1));
    }

    [Fact]
    public async Task An_ambiguous_place_searches_the_biggest_and_offers_the_others()
    {
        var response = await catalog.Web.CreateClient().GetFromJsonAsync<JsonElement>("/api/trials?near=Paris&radiusKm=500");

        Assert.Contains("France", response.GetProperty("place").GetProperty("label").GetString());
        var others = response.GetProperty("otherPlaces").EnumerateArray().Select(p => p.GetProperty("label").GetString()).ToList();
        Assert.Contains(others, label => label!.Contains("Texas"));
    }

    [Fact]
    public async Task An_unknown_place_gets_a_clear_message()
    {
        var api = await catalog.Web.CreateClient().GetAsync("/api/trials?near=Xqzzyville");
        var page = await catalog.Web.CreateClient().GetAsync("/trials?near=Xqzzyville");

        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Contains("We could not find", await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("We could not find", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task When_nothing_matches_the_page_says_so_and_offers_the_filters_to_widen_with_their_counts()
    {
        // Somatostatin analogues are NET treatments; no trial gives them to a three-year-old.
        var html = WebUtility.HtmlDecode(await catalog.Web.CreateClient().GetStringAsync("/trials?age=3&therapy=somatostatin-analogue"));

        Assert.Contains("No trials match all of these filters", html);
        Assert.Matches(@"Remove the age \(\d+ trials\)", html);
        Assert.Matches(@"Any type of treatment \(\d+ trials\)", html);
        Assert.Contains("/trials?therapy=somatostatin-analogue", html);
    }

    [Fact]
    public async Task Miles_are_converted_and_shown_as_miles()
    {
        var km = await catalog.Web.CreateClient().GetFromJsonAsync<JsonElement>("/api/trials?near=Lyon&radiusKm=160.9344&pageSize=100");
        var miles = await catalog.Web.CreateClient().GetFromJsonAsync<JsonElement>("/api/trials?near=Lyon&radius=100&unit=mi&pageSize=100");
        var page = await catalog.Web.CreateClient().GetStringAsync("/trials?near=Lyon&radius=100&unit=mi");

        Assert.Equal(km.GetProperty("total").GetInt32(), miles.GetProperty("total").GetInt32());
        Assert.Contains("miles", page);
    }

    [Fact]
    public async Task A_french_speaking_browser_gets_the_pages_in_french_and_registry_text_unchanged()
    {
        var client = catalog.Web.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR,fr;q=0.9");

        var home = await client.GetStringAsync("/");
        var results = WebUtility.HtmlDecode(await (await client.GetAsync("/trials?age=abc")).Content.ReadAsStringAsync());
        var trial = await client.GetStringAsync("/trials/NCT03363373");

        Assert.Contains("<html lang=\"fr\"", home);
        Assert.Contains("Trouver des essais", WebUtility.HtmlDecode(home));
        Assert.Contains("Indiquez l’âge en années", results);
        Assert.Contains("Qui peut participer", WebUtility.HtmlDecode(trial));
        Assert.Contains("lang=\"en\"", trial); // registry text is marked as English, as the registry gives it
    }

    [Fact]
    public async Task The_trial_page_explains_each_tag_and_sorts_sites_by_distance_from_the_searched_place()
    {
        var html = WebUtility.HtmlDecode(await catalog.Web.CreateClient().GetStringAsync("/trials/NCT03275402?lat=40.7506&lon=-73.9972&near=New%20York"));

        Assert.Contains("Tagged because of the intervention", html);
        Assert.Contains("Sorted by distance from New York", html);
        var newYork = html.IndexOf("Memorial Sloan Kettering", StringComparison.Ordinal);
        var losAngeles = html.IndexOf("Children's Hospital Los Angeles", StringComparison.Ordinal);
        Assert.True(newYork > 0 && losAngeles > newYork, "the New York site comes before the Los Angeles one");
        Assert.Contains("https://clinicaltrials.gov/study/NCT03275402", html);
        Assert.Contains("/account/login?returnUrl=%2Ftrials%2FNCT03275402", html); // clinicians are told they can bookmark it
        Assert.Contains("/lib/leaflet/leaflet.js", html);
        Assert.DoesNotContain("unpkg.com", html);
    }

    [Fact]
    public async Task Without_a_place_the_trial_lists_its_sites_in_the_registrys_order()
    {
        const string NctId = "NCT02513394"; // the shared real record with 437 sites
        var record = catalog.Records.Single(r => r["protocolSection"]!["identificationModule"]!["nctId"]!.GetValue<string>() == NctId);
        var expected = record["protocolSection"]!["contactsLocationsModule"]!["locations"]!.AsArray()
            .Select(l => (l!["facility"]?.GetValue<string>(), l["city"]?.GetValue<string>()))
            .ToList();

        var details = await catalog.Web.CreateClient().GetFromJsonAsync<JsonElement>($"/api/trials/{NctId}");
        var listed = details.GetProperty("sites").EnumerateArray()
            .Select(site => (Text(site, "facility"), Text(site, "city")))
            .ToList();

        Assert.True(expected.Count > 100);
        Assert.Equal(expected, listed);

        static string? Text(JsonElement site, string name) =>
            site.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    [Fact]
    public async Task Eligibility_text_from_the_registry_is_rendered_as_safe_html()
    {
        await using (var db = catalog.Database.CreateContext())
        {
            var study = await db.Studies.SingleAsync(s => s.NctId == "NCT00763412");
            Assert.Contains(@"\<", study.EligibilityCriteria); // the registry escapes markdown characters
        }

        var html = await catalog.Web.CreateClient().GetStringAsync("/trials/NCT00763412");

        Assert.Contains("<li>", html);
        Assert.Contains("&lt;", html);
        Assert.DoesNotContain(@"\&lt;", html);
        Assert.DoesNotContain("<script", html.Replace("<script src=\"/js/", "").Replace("<script src=\"/lib/", ""));
    }

    [Fact]
    public async Task Every_therapy_has_an_explainer_in_both_languages_linking_to_its_search()
    {
        var english = catalog.Web.CreateClient();
        var french = catalog.Web.CreateClient();
        french.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");

        foreach (var slug in TrialFinder.Data.Search.SearchFilter.TherapySlugs)
        {
            var en = await english.GetStringAsync($"/therapies/{slug}");
            var fr = WebUtility.HtmlDecode(await french.GetStringAsync($"/therapies/{slug}"));
            Assert.Contains($"/trials?therapy={slug}", en);
            Assert.Contains("What families usually ask", en);
            Assert.Contains("L'équipe soignante est la mieux placée", fr.Replace('’', '\''));
        }
    }

    [Fact]
    public async Task The_api_is_described_by_an_openapi_document()
    {
        var document = await catalog.Web.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/trials", out var search));
        Assert.True(paths.TryGetProperty("/api/trials/{nctId}", out _));
        Assert.True(paths.TryGetProperty("/api/places", out _));
        var parameters = search.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "age", "ageMonths", "near", "lat", "lon", "radiusKm", "therapy", "disease", "refractory", "status", "phase", "country", "q", "sort", "page", "pageSize" }, parameters.ToHashSet());
    }

    [Fact]
    public async Task The_pages_load_no_third_party_scripts_fonts_or_trackers()
    {
        var response = await catalog.Web.CreateClient().GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotMatch(@"<script[^>]+src=""https?://", html);
        Assert.DoesNotMatch(@"<link[^>]+href=""https?://", html);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
