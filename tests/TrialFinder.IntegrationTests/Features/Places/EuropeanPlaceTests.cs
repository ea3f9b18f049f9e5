using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrialFinder.Core.Geo;
using TrialFinder.Core.Places;
using TrialFinder.Data.Places;
using TrialFinder.IntegrationTests.Infrastructure;
using static TrialFinder.Data.Places.PlaceResolution;

namespace TrialFinder.IntegrationTests.Features.Places;

/// <summary>Postcodes of the countries with the most trial sites after the US and France, and cities by their local names.</summary>
public sealed class EuropeanPlaceTests(PlacesFixture places) : IClassFixture<PlacesFixture>
{
    [Theory]
    [InlineData("SW1A 1AA", "GB", 51.50, -0.13)]
    [InlineData("WC1N 3JH", "GB", 51.52, -0.12)]
    [InlineData("M13", "GB", 53.46, -2.21)]
    [InlineData("M5G 1X8", "CA", 43.66, -79.39)]
    [InlineData("M5G", "CA", 43.66, -79.39)]
    [InlineData("D-80331", "DE", 48.13, 11.57)]
    [InlineData("80331 München", "DE", 48.13, 11.57)]
    [InlineData("80331", "DE", 48.13, 11.57)]
    [InlineData("1012 AB", "NL", 52.37, 4.90)]
    [InlineData("NL-3584", "NL", 52.09, 5.18)]
    [InlineData("B-1000", "BE", 50.85, 4.35)]
    [InlineData("1000 Bruxelles", "BE", 50.85, 4.35)]
    [InlineData("CH-8032", "CH", 47.36, 8.56)]
    [InlineData("8032 Zürich", "CH", 47.36, 8.56)]
    [InlineData("I-00165", "IT", 41.89, 12.45)]
    [InlineData("00165 Roma", "IT", 41.89, 12.45)]
    [InlineData("E-28009", "ES", 40.42, -3.67)]
    [InlineData("28009 Madrid", "ES", 40.42, -3.67)]
    [InlineData("2000 NSW", "AU", -33.87, 151.21)]
    [InlineData("Sydney 2000", "AU", -33.87, 151.21)]
    [InlineData("3052 VIC", "AU", -37.78, 144.95)]
    [InlineData("A-1090", "AT", 48.23, 16.35)]
    public async Task A_postcode_of_each_listed_country_resolves_to_one_place_there(string text, string country, double latitude, double longitude)
    {
        var place = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        Assert.Equal(country, place.CountryCode);
        Assert.Equal(PlaceKind.PostalCode.Stored(), place.Kind);
        AssertNear(latitude, longitude, place, 15);
    }

    [Fact]
    public async Task A_four_digit_code_of_several_countries_offers_each_and_the_visitors_country_decides()
    {
        var choices = Assert.IsType<Ambiguous>(await ResolveAsync("1000")).Choices;
        var swiss = Assert.IsType<Found>(await ResolveAsync("1000", ["CH"])).Place;
        var belgian = Assert.IsType<Found>(await ResolveAsync("1000", ["BE", "CH"])).Place;
        var sydney = Assert.IsType<Found>(await ResolveAsync("2000", ["US", "AU"])).Place;

        Assert.Equal(["BE", "CH"], choices.Select(c => c.CountryCode).Order());
        Assert.Equal("CH", swiss.CountryCode);
        Assert.StartsWith("1000 Lausanne", swiss.Label, StringComparison.Ordinal);
        Assert.Equal("BE", belgian.CountryCode);
        Assert.Equal("2000 Sydney, New South Wales, Australia", sydney.Label);
    }

    [Fact]
    public async Task A_hint_of_a_country_without_that_code_leaves_the_choice_to_the_visitor() =>
        Assert.IsType<Ambiguous>(await ResolveAsync("2000", ["FR"]));

    [Fact]
    public async Task A_five_digit_code_keeps_the_us_zip_first_and_offers_the_european_ones()
    {
        var choices = Assert.IsType<Ambiguous>(await ResolveAsync("45147")).Choices;

        Assert.Equal("US", choices[0].CountryCode);
        Assert.Contains(choices, c => c.CountryCode == "DE" && c.Label.StartsWith("45147 Essen", StringComparison.Ordinal));
        Assert.Equal("DE", Assert.IsType<Found>(await ResolveAsync("D-45147")).Place.CountryCode);
        Assert.Equal("DE", Assert.IsType<Found>(await ResolveAsync("45147 Essen")).Place.CountryCode);
        Assert.Equal("DE", Assert.IsType<Found>(await ResolveAsync("45147", ["DE"])).Place.CountryCode);
        Assert.Equal("US", Assert.IsType<Found>(await ResolveAsync("45147", ["US", "DE"])).Place.CountryCode);
    }

    [Theory]
    [InlineData("München", "DE", 48.14, 11.58)]
    [InlineData("Munchen", "DE", 48.14, 11.58)]
    [InlineData("Muenchen", "DE", 48.14, 11.58)]
    [InlineData("Munich", "DE", 48.14, 11.58)]
    [InlineData("Köln", "DE", 50.93, 6.95)]
    [InlineData("Koeln", "DE", 50.93, 6.95)]
    [InlineData("Cologne", "DE", 50.93, 6.95)]
    [InlineData("Genève", "CH", 46.20, 6.15)]
    [InlineData("Genf", "CH", 46.20, 6.15)]
    [InlineData("Ginevra", "CH", 46.20, 6.15)]
    [InlineData("Bruxelles", "BE", 50.85, 4.35)]
    [InlineData("Brussel", "BE", 50.85, 4.35)]
    [InlineData("Milano", "IT", 45.46, 9.19)]
    [InlineData("Mailand", "IT", 45.46, 9.19)]
    [InlineData("Wien", "AT", 48.21, 16.37)]
    [InlineData("Den Haag", "NL", 52.08, 4.30)]
    [InlineData("'s-Gravenhage", "NL", 52.08, 4.30)]
    [InlineData("Zürich", "CH", 47.37, 8.55)]
    [InlineData("Zurich", "CH", 47.37, 8.55)]
    [InlineData("Torino", "IT", 45.07, 7.69)]
    [InlineData("Firenze", "IT", 43.77, 11.25)]
    [InlineData("Napoli", "IT", 40.85, 14.27)]
    [InlineData("Sevilla", "ES", 37.38, -5.97)] // also Sevilla, Colombia (offered)
    [InlineData("Antwerpen", "BE", 51.22, 4.40)]
    [InlineData("Gent", "BE", 51.05, 3.72)]
    [InlineData("Lisboa", "PT", 38.72, -9.13)]
    [InlineData("København", "DK", 55.68, 12.57)]
    public async Task A_city_written_in_its_own_language_or_another_resolves_to_that_city(string text, string country, double latitude, double longitude)
    {
        var place = (await ResolveAsync(text)).Best;

        Assert.NotNull(place);
        Assert.Equal(country, place.CountryCode);
        Assert.Equal(PlaceKind.City.Stored(), place.Kind);
        AssertNear(latitude, longitude, place, 15);
    }

    [Fact]
    public async Task Another_name_borrowed_by_a_smaller_town_does_not_compete_with_the_city_of_that_name()
    {
        var paris = Assert.IsType<Ambiguous>(await ResolveAsync("Paris")).Choices;

        Assert.Equal("Paris, Île-de-France, France", paris[0].Label);
        Assert.All(paris, p => Assert.Contains(p.CountryCode, new[] { "FR", "US", "CA" }));
    }

    [Fact]
    public async Task The_look_up_offers_the_city_under_its_own_label_for_a_local_name()
    {
        using var json = JsonDocument.Parse(await places.Web.CreateClient().GetStringAsync("/api/places?q=M%C3%BCnchen"));

        var first = json.RootElement[0];
        Assert.Equal("Munich, Bavaria, Germany", first.GetProperty("label").GetString());
        Assert.Equal("city", first.GetProperty("kind").GetString());
        Assert.Equal(first.GetProperty("label").GetString(),
            JsonDocument.Parse(await places.Web.CreateClient().GetStringAsync("/api/places?q=Munich")).RootElement[0].GetProperty("label").GetString());
    }

    [Theory]
    [InlineData("SW1A%201AA", "SW1A")]
    [InlineData("D-80331", "80331 München")]
    [InlineData("M5G%201X8", "M5G")]
    public async Task The_look_up_answers_a_postcode_with_its_place(string query, string labelStart)
    {
        using var json = JsonDocument.Parse(await places.Web.CreateClient().GetStringAsync($"/api/places?q={query}"));

        var only = Assert.Single(json.RootElement.EnumerateArray());
        Assert.StartsWith(labelStart, only.GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.Equal("postcode", only.GetProperty("kind").GetString());
    }

    private async Task<Result> ResolveAsync(string text, IReadOnlyList<string>? hints = null)
    {
        await using var db = places.Database.CreateContext();
        return await PlaceResolution.ResolveAsync(db, text, CancellationToken.None, hints);
    }

    private static void AssertNear(double latitude, double longitude, PlaceMatch place, double withinKm)
    {
        var km = GeoDistance.HaversineKm(latitude, longitude, place.Latitude, place.Longitude);
        Assert.True(km <= withinKm, $"{place.Label} is at {place.Latitude},{place.Longitude}, {km:0.0} km from {latitude},{longitude}.");
    }
}

/// <summary>The trial search near a European postcode or local city name, over the real records.</summary>
public sealed class EuropeanPlaceSearchTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    [Theory]
    [InlineData("D-80331", true)]
    [InlineData("SW1A 1AA", true)]
    [InlineData("1012 AB", true)]
    [InlineData("B-1000", true)]
    [InlineData("CH-8032", true)]
    [InlineData("I-00165", true)]
    [InlineData("E-28009", true)]
    [InlineData("M5G 1X8", true)]
    [InlineData("2000 NSW", false)] // the shipped records have no Australian site
    [InlineData("München", true)]
    [InlineData("Genève", true)]
    [InlineData("Den Haag", true)]
    public async Task A_search_near_a_postcode_or_local_name_finds_the_trials_near_its_point(string near, bool trialsInReach)
    {
        var client = catalog.Web.CreateClient();
        var byPlace = await client.GetFromJsonAsync<JsonElement>($"/api/trials?near={Uri.EscapeDataString(near)}&radiusKm=2000&pageSize=100");
        var place = byPlace.GetProperty("place");
        var (lat, lon) = (place.GetProperty("latitude").GetDouble(), place.GetProperty("longitude").GetDouble());
        var byPoint = await client.GetFromJsonAsync<JsonElement>(
            FormattableString.Invariant($"/api/trials?lat={lat}&lon={lon}&radiusKm=2000&pageSize=100"));

        var trials = NctIds(byPlace);
        Assert.Equal(trialsInReach, trials.Count > 0);
        Assert.Equal(NctIds(byPoint), trials);
        Assert.All(byPlace.GetProperty("trials").EnumerateArray(), t => Assert.InRange(t.GetProperty("nearestSite").GetProperty("distanceKm").GetDouble(), 0, 2000));
    }

    [Fact]
    public async Task The_results_page_shows_the_place_a_postcode_resolved_to()
    {
        var response = await catalog.Web.CreateClient().GetAsync("/trials?near=D-80331&radiusKm=500");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("80331 München, Bayern, Germany", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static List<string?> NctIds(JsonElement response) =>
        response.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("nctId").GetString()).ToList();
}
