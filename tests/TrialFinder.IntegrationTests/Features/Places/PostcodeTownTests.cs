using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Core.Geo;
using TrialFinder.Data.Places;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Web.Features.Search;
using static TrialFinder.Data.Places.PlaceResolution;

namespace TrialFinder.IntegrationTests.Features.Places;

/// <summary>
/// A postcode written with its town in any of the town's names, or with its country; the country filter of a search as a hint;
/// names GeoNames gives several cities; and what an outward code is shown with. Over the real gazetteer and postal-code sample.
/// </summary>
public sealed class PostcodeTownTests(PlacesFixture places) : IClassFixture<PlacesFixture>
{
    [Theory]
    [InlineData("80331 Munich", "DE", "80331 München")]
    [InlineData("80331 Muenchen", "DE", "80331 München")]
    [InlineData("Munich 80331", "DE", "80331 München")]
    [InlineData("Sydney NSW 2000", "AU", "2000 Sydney")]
    [InlineData("75015 Paris", "FR", "75015 Paris")]
    [InlineData("1000 Bruxelles", "BE", "1000 Bruxelles")]
    [InlineData("1000 Brussels", "BE", "1000 Bruxelles")]
    [InlineData("1000 Brussel", "BE", "1000 Bruxelles")]
    [InlineData("8001 Zürich", "CH", "8001 Zürich")]
    [InlineData("8001 Zurich", "CH", "8001 Zürich")]
    [InlineData("Genève 1205", "CH", "1205 Genève")]
    [InlineData("Geneva 1205", "CH", "1205 Genève")]
    [InlineData("1205 Genf", "CH", "1205 Genève")]
    [InlineData("2000 Antwerp", "BE", "2000 Antwerpen")]
    [InlineData("2000 Wien", "AT", "2000 Stockerau")]
    [InlineData("1211 Geneva", "CH", "1211 Genève")]
    [InlineData("1000 Lausanne", "CH", "1000 Lausanne")]
    public async Task A_postcode_with_its_town_in_any_of_its_names_resolves_to_that_code(string text, string country, string labelStart)
    {
        var place = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        Assert.Equal(country, place.CountryCode);
        Assert.Equal("postcode", place.Kind);
        Assert.StartsWith(labelStart, place.Label, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1000 Belgium", "BE")]
    [InlineData("1000 Belgique", "BE")]
    [InlineData("1000, Switzerland", "CH")]
    [InlineData("1000 Schweiz", "CH")]
    [InlineData("2000 Australia", "AU")]
    [InlineData("2000, Denmark", "DK")]
    public async Task A_shared_code_with_its_country_written_resolves_to_that_countrys_place(string text, string country) =>
        Assert.Equal(country, Assert.IsType<Found>(await ResolveAsync(text)).Place.CountryCode);

    [Fact]
    public async Task A_town_that_contradicts_a_code_of_one_country_leaves_the_code()
    {
        // In the sample, 8032 is Swiss only and 80331 German only: the code is what was meant.
        var zurich = Assert.IsType<Found>(await ResolveAsync("8032 Berlin")).Place;
        var munich = Assert.IsType<Found>(await ResolveAsync("D-80331 Hamburg")).Place;

        Assert.StartsWith("8032 Zürich", zurich.Label, StringComparison.Ordinal);
        Assert.StartsWith("80331 München", munich.Label, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_town_that_contradicts_a_shared_code_narrows_it_to_the_countries_that_have_that_town()
    {
        // 1000 is Belgian (Bruxelles) and Swiss (Lausanne); Zürich is in Switzerland, far from Lausanne.
        var swiss = Assert.IsType<Found>(await ResolveAsync("1000 Zürich")).Place;
        // 2000 is Australian, Austrian, Belgian, Swiss and Danish; of those, only Belgium has a town called Gent.
        var belgian = Assert.IsType<Found>(await ResolveAsync("2000 Gent")).Place;

        Assert.Equal("CH", swiss.CountryCode);
        Assert.Equal("BE", belgian.CountryCode);
    }

    [Fact]
    public async Task A_town_that_decides_nothing_offers_the_codes_choices_as_without_it()
    {
        var withTown = Assert.IsType<Ambiguous>(await ResolveAsync("1000 Paris")).Choices;
        var alone = Assert.IsType<Ambiguous>(await ResolveAsync("1000")).Choices;

        Assert.Equal(alone.Select(c => c.Label), withTown.Select(c => c.Label));
    }

    [Fact]
    public async Task A_bilingual_towns_official_name_is_that_town_and_not_a_city_merely_listed_under_it()
    {
        var bienne = Assert.IsType<Found>(await ResolveAsync("Bienne")).Place;
        var biel = Assert.IsType<Found>(await ResolveAsync("Biel")).Place;
        var sanSebastian = (await ResolveAsync("Donostia")).Best;

        Assert.Equal("CH", bienne.CountryCode);
        Assert.StartsWith("Biel/Bienne", bienne.Label, StringComparison.Ordinal);
        Assert.Equal(bienne, biel);
        Assert.NotNull(sanSebastian);
        Assert.Equal("ES", sanSebastian.CountryCode);
    }

    [Theory]
    [InlineData("Cologne", "DE")] // Köln's English name still beats the small Cologne in Italy
    [InlineData("Geneva", "CH")] // Genève first; Geneva, Illinois offered too
    [InlineData("Vienna", "AT")]
    public async Task An_exonym_of_a_big_city_still_finds_it(string text, string country) =>
        Assert.Equal(country, (await ResolveAsync(text))!.Best!.CountryCode);

    [Fact]
    public async Task The_look_up_offers_biel_for_bienne_and_not_vienna()
    {
        using var json = JsonDocument.Parse(await places.Web.CreateClient().GetStringAsync("/api/places?q=Bienne"));

        var labels = json.RootElement.EnumerateArray().Select(e => e.GetProperty("label").GetString()!).ToList();
        Assert.StartsWith("Biel/Bienne", labels[0], StringComparison.Ordinal);
        Assert.DoesNotContain(labels, l => l.Contains("Austria", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SW1A 1AA", "SW1A Westminster, England, United Kingdom")] // GeoNames names SW1A only "Westminster Abbey"
    [InlineData("M5G 1X8", "M5G Toronto, Ontario, Canada")] // "Downtown Toronto (Central Bay Street)"
    [InlineData("K1H", "K1H Ottawa, Ontario, Canada")] // "Ottawa (Alta Vista)"
    [InlineData("1211", "1211 Genève, Genève, Switzerland")] // "Genève 11", "Genève 22"...
    [InlineData("20246", "20246 Hamburg, Hamburg, Germany")] // "Universitätsklinikum Hamburg-Eppendorf", district "Hamburg, Freie und Hansestadt"
    [InlineData("LS1", "LS1 Leeds, England, United Kingdom")]
    public async Task A_code_is_shown_with_a_populated_place_or_its_district_never_a_building(string text, string label)
    {
        var resolved = await ResolveAsync(text);
        var place = resolved is Ambiguous ambiguous ? ambiguous.Choices.Single(c => c.Label.StartsWith(label[..4], StringComparison.Ordinal)) : resolved.Best!;

        Assert.Equal(label, place.Label);
        // The label names the same place when typed back (a choice's link carries it).
        var typedBack = Assert.IsType<Found>(await ResolveAsync(label)).Place;
        Assert.Equal(place, typedBack);
    }

    [Theory]
    [InlineData("80331 Munich")]
    [InlineData("Sydney NSW 2000")]
    [InlineData("1000 Brussels")]
    [InlineData("Genève 1205")]
    public async Task The_site_and_the_look_up_answer_a_postcode_with_its_town(string text)
    {
        var client = places.Web.CreateClient();
        var expected = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        using var lookUp = JsonDocument.Parse(await client.GetStringAsync($"/api/places?q={Uri.EscapeDataString(text)}"));
        var page = await client.GetAsync($"/trials?near={Uri.EscapeDataString(text)}&radiusKm=100");

        Assert.Equal(expected.Label, lookUp.RootElement[0].GetProperty("label").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(expected.Label, WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("1000, Swi", "CH")]
    [InlineData("1000 Belg", "BE")]
    public async Task The_look_up_narrows_a_shared_code_to_a_country_still_being_typed(string text, string country)
    {
        using var json = JsonDocument.Parse(await places.Web.CreateClient().GetStringAsync($"/api/places?q={Uri.EscapeDataString(text)}"));

        var first = json.RootElement[0];
        Assert.Equal(country, first.GetProperty("countryCode").GetString());
        Assert.Equal("postcode", first.GetProperty("kind").GetString());
        Assert.DoesNotContain(json.RootElement.EnumerateArray(), e => e.GetProperty("kind").GetString() == "postcode" && e.GetProperty("countryCode").GetString() != country);
    }

    private async Task<Result> ResolveAsync(string text, IReadOnlyList<string>? hints = null)
    {
        await using var db = places.Database.CreateContext();
        return await PlaceResolution.ResolveAsync(db, text, CancellationToken.None, hints);
    }
}

/// <summary>The search's country filter as the hint for a code several countries share, and the cached answers it keys.</summary>
public sealed class PostcodeCountryFilterTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    [Theory]
    [InlineData("Belgium", "BE", 50.85, 4.35)]
    [InlineData("Switzerland", "CH", 46.52, 6.63)]
    [InlineData("Schweiz", "CH", 46.52, 6.63)]
    [InlineData("Australia", "AU", -33.87, 151.21)]
    public async Task The_country_filter_decides_which_countrys_code_a_search_is_near(string country, string code, double latitude, double longitude)
    {
        var near = code == "AU" ? "2000" : "1000";
        var response = await catalog.Web.CreateClient().GetFromJsonAsync<JsonElement>(
            $"/api/trials?near={near}&country={Uri.EscapeDataString(country)}&radiusKm=100");

        var place = response.GetProperty("place");
        Assert.Equal(0, response.GetProperty("otherPlaces").GetArrayLength());
        Assert.True(GeoDistance.HaversineKm(latitude, longitude, place.GetProperty("latitude").GetDouble(), place.GetProperty("longitude").GetDouble()) < 15,
            place.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Two_country_hints_never_share_a_cached_answer()
    {
        var client = catalog.Web.CreateClient();
        var cache = catalog.Web.Services.GetRequiredService<SearchResultCache>();

        async Task<string> LabelAsync(string country) =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/trials?near=1000&country={country}&radiusKm=300"))
                .GetProperty("place").GetProperty("label").GetString()!;

        var belgian = await LabelAsync("Belgium");
        var swiss = await LabelAsync("Switzerland");
        var belgianAgain = await LabelAsync("Belgium");
        var swissAgain = await LabelAsync("Switzerland");
        var unhinted = await client.GetFromJsonAsync<JsonElement>("/api/trials?near=1000&radiusKm=300");

        Assert.EndsWith("Belgium", belgian, StringComparison.Ordinal);
        Assert.EndsWith("Switzerland", swiss, StringComparison.Ordinal);
        Assert.Equal(belgian, belgianAgain);
        Assert.Equal(swiss, swissAgain);
        Assert.Equal(1, unhinted.GetProperty("otherPlaces").GetArrayLength());
        var keys = cache.Keys.Where(k => k.Contains("near=1000", StringComparison.Ordinal)).ToList();
        Assert.Contains(keys, k => k.Contains("country=Belgium", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains("country=Switzerland", StringComparison.Ordinal));
    }
}
