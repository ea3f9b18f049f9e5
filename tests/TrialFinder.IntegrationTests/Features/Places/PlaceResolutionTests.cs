using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Core.Geo;
using TrialFinder.Core.Places;
using TrialFinder.Data.Places;
using static TrialFinder.Data.Places.PlaceResolution;

namespace TrialFinder.IntegrationTests.Features.Places;

/// <summary>What the trial search is near, from what a family types, over the real gazetteer.</summary>
public sealed class PlaceResolutionTests(PlacesFixture places) : IClassFixture<PlacesFixture>
{
    [Fact]
    public async Task A_city_resolves_to_the_one_place_with_its_coordinates()
    {
        var lyon = Assert.IsType<Found>(await ResolveAsync("Lyon")).Place;

        Assert.Equal("FR", lyon.CountryCode);
        Assert.Equal(PlaceKind.City.Stored(), lyon.Kind);
        Assert.Equal("Lyon, Auvergne-Rhône-Alpes, France", lyon.Label);
        AssertNear(45.76, 4.84, lyon, 10);
    }

    [Theory]
    [InlineData("lyon")]
    [InlineData("LYON")]
    [InlineData("  Lyon  ")]
    [InlineData("Lyon, France")]
    [InlineData("Lyon, FR")]
    [InlineData("Lyon France")]
    [InlineData("Lyon, Auvergne-Rhone-Alpes, France")]
    public async Task Case_spacing_and_qualifiers_do_not_change_the_place(string text)
    {
        var place = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        Assert.Equal("Lyon, Auvergne-Rhône-Alpes, France", place.Label);
    }

    [Theory]
    [InlineData("Besançon")]
    [InlineData("besancon")]
    [InlineData("BESANCON")]
    [InlineData("Besançon, France")]
    public async Task Accents_are_optional(string text)
    {
        var place = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        Assert.Equal("Besançon, Bourgogne-Franche-Comté, France", place.Label);
        AssertNear(47.24, 6.02, place, 10);
    }

    [Fact]
    public async Task A_name_shared_by_real_cities_in_different_countries_is_ambiguous_biggest_first()
    {
        var choices = Assert.IsType<Ambiguous>(await ResolveAsync("Paris")).Choices;

        Assert.Equal("Paris, Île-de-France, France", choices[0].Label);
        AssertNear(48.86, 2.35, choices[0], 10);
        var texas = Assert.Single(choices, c => c.Label == "Paris, Texas, United States");
        Assert.Equal("US", texas.CountryCode);
        Assert.DoesNotContain(choices, c => c.Label.StartsWith("Paris, Idaho", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Paris, Texas")]
    [InlineData("Paris, TX")]
    [InlineData("paris, tx")]
    [InlineData("Paris Texas")]
    [InlineData("Paris, Texas, United States")]
    [InlineData("Paris, TX, USA")]
    public async Task A_state_qualifier_picks_the_american_place(string text)
    {
        var place = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        Assert.Equal("Paris, Texas, United States", place.Label);
        AssertNear(33.66, -95.56, place, 10);
    }

    [Theory]
    [InlineData("Paris, France")]
    [InlineData("Paris, FR")]
    [InlineData("Paris, Île-de-France, France")]
    public async Task A_country_qualifier_picks_that_country(string text)
    {
        var place = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        Assert.Equal("Paris, Île-de-France, France", place.Label);
    }

    [Fact]
    public async Task A_big_city_is_not_made_ambiguous_by_small_namesakes()
    {
        Assert.Equal("Berlin, State of Berlin, Germany", Assert.IsType<Found>(await ResolveAsync("Berlin")).Place.Label);
        Assert.IsType<Ambiguous>(await ResolveAsync("London"));
    }

    [Theory]
    [InlineData("10001")]
    [InlineData("10001-1234")]
    [InlineData(" 10001 ")]
    [InlineData("10001, NY")]
    public async Task A_us_zip_resolves_to_that_zip(string text)
    {
        var zip = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        Assert.Equal("10001, New York, United States", zip.Label);
        Assert.Equal(PlaceKind.PostalCode.Stored(), zip.Kind);
        Assert.Equal("US", zip.CountryCode);
        AssertNear(40.75, -73.99, zip, 3);
    }

    [Theory]
    [InlineData("69003")]
    [InlineData("69003 Lyon")]
    [InlineData("FR-69003")]
    [InlineData("69003, France")]
    public async Task A_french_postcode_resolves_to_its_town(string text)
    {
        var postcode = Assert.IsType<Found>(await ResolveAsync(text)).Place;

        Assert.Equal("69003 Lyon, Auvergne-Rhône-Alpes, France", postcode.Label);
        Assert.Equal(PlaceKind.PostalCode.Stored(), postcode.Kind);
        Assert.Equal("FR", postcode.CountryCode);
        AssertNear(45.76, 4.84, postcode, 10);
    }

    [Fact]
    public async Task Digits_that_are_both_a_us_zip_and_a_french_postcode_offer_both_the_zip_first()
    {
        var choices = Assert.IsType<Ambiguous>(await ResolveAsync("75001")).Choices;

        Assert.Equal(["US", "FR"], choices.Select(c => c.CountryCode));
        Assert.Equal("75001 Paris, Île-de-France, France", choices[1].Label);
        Assert.Equal("75001 Paris, Île-de-France, France", Assert.IsType<Found>(await ResolveAsync("75001 Paris")).Place.Label);
        Assert.Equal("75001 Paris, Île-de-France, France", Assert.IsType<Found>(await ResolveAsync("F-75001")).Place.Label);
        Assert.Equal("US", Assert.IsType<Found>(await ResolveAsync("75001, USA")).Place.CountryCode);
    }

    [Theory]
    [InlineData("Xyzzyville")]
    [InlineData("Lyon, Texas")]
    [InlineData("00000")]
    [InlineData("Paris, Atlantis")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("'; DROP TABLE places; --")]
    [InlineData("<script>alert('x')</script>")]
    [InlineData("%")]
    [InlineData("_")]
    public async Task Unknown_places_blank_text_and_injection_attempts_are_not_found(string text)
    {
        Assert.IsType<NotFound>(await ResolveAsync(text));
    }

    [Fact]
    public async Task Overlong_text_is_not_resolved()
    {
        Assert.IsType<NotFound>(await ResolveAsync(new string('a', 101)));
        Assert.IsType<Found>(await ResolveAsync("Lyon" + new string(' ', 96)));
    }

    [Fact]
    public void The_rule_for_ambiguity_is_what_the_documentation_says()
    {
        Assert.True(IsPlausibleAlternative(2_138_551, 24_782));   // Paris, Texas beside Paris, France
        Assert.False(IsPlausibleAlternative(2_138_551, 11_177));  // Paris, Ontario: a small town, a 200th of it
        Assert.True(IsPlausibleAlternative(5_000, 1_000));        // two villages of a size
        Assert.False(IsPlausibleAlternative(100_000, 4_000));     // a city and a village
        Assert.True(IsPlausibleAlternative(0, 0));                // sizes unknown: ask
    }

    private async Task<Result> ResolveAsync(string text)
    {
        await using var db = places.Database.CreateContext();
        return await PlaceResolution.ResolveAsync(db, text, CancellationToken.None);
    }

    private static void AssertNear(double latitude, double longitude, PlaceMatch place, double withinKm)
    {
        var km = GeoDistance.HaversineKm(latitude, longitude, place.Latitude, place.Longitude);
        Assert.True(km <= withinKm, $"{place.Label} is at {place.Latitude},{place.Longitude}, {km:0.0} km from {latitude},{longitude}.");
    }
}
