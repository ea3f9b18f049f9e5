using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Data.Places;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Places;
using TrialFinder.Sync.Places;
using TrialFinder.Web.Features.Places;

namespace TrialFinder.IntegrationTests.Features.Places;

/// <summary>The autocomplete behind the "near" box, over the real gazetteer.</summary>
public sealed class PlaceLookupTests(PlacesFixture places) : IClassFixture<PlacesFixture>
{
    [Fact]
    public async Task Exact_names_come_first_biggest_first_then_names_that_start_with_the_text()
    {
        var matches = await LookUpAsync("London", 20);

        Assert.Equal("London, England, United Kingdom", matches[0].Label);
        Assert.Equal("London, Ontario, Canada", matches[1].Label);
        var names = matches.Select(m => PlaceSearchKey.From(m.Label.Split(',')[0])).ToList();
        Assert.Equal(Enumerable.Repeat("london", 6), names.Take(6));
        Assert.NotEmpty(names.Skip(6));
        Assert.All(names.Skip(6), name => Assert.True(name.StartsWith("london", StringComparison.Ordinal) && name != "london", name));
        Assert.Equal("Londonderry County Borough, Northern Ireland, United Kingdom", matches[6].Label);
    }

    [Fact]
    public async Task Every_place_of_the_name_is_offered_when_the_limit_allows()
    {
        var matches = await LookUpAsync("Paris", 20);

        Assert.Equal("Paris, Île-de-France, France", matches[0].Label);
        Assert.Equal("Paris, Texas, United States", matches[1].Label);
        Assert.Contains(matches, m => m.Label == "París, Herrera Province, Panama");
        Assert.Equal(matches.Count, matches.Select(m => m.Label).Distinct().Count());
    }

    [Theory]
    [InlineData("Lyo")]
    [InlineData("lyo")]
    [InlineData("Ly")]
    public async Task A_few_letters_suggest_the_biggest_places_starting_with_them(string text)
    {
        var matches = await LookUpAsync(text, 8);

        Assert.Equal("Lyon, Auvergne-Rhône-Alpes, France", matches[0].Label);
        Assert.All(matches, m => Assert.StartsWith("ly", m.Label.ToLowerInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_qualifier_still_being_typed_already_narrows_the_suggestions()
    {
        var matches = await LookUpAsync("Paris, Tex", 8);

        Assert.Equal("Paris, Texas, United States", Assert.Single(matches).Label);
    }

    [Fact]
    public async Task The_limit_caps_the_suggestions_and_labels_are_unique()
    {
        var three = await LookUpAsync("San", 3);
        var twenty = await LookUpAsync("San", 20);

        Assert.Equal(3, three.Count);
        Assert.Equal(20, twenty.Count);
        Assert.Equal(twenty.Count, twenty.Select(m => m.Label).Distinct().Count());
        Assert.Equal(three, twenty.Take(3));
    }

    [Fact]
    public async Task A_zip_gives_that_zip_and_a_partial_zip_suggests_zips()
    {
        var zip = Assert.Single(await LookUpAsync("10001", 8));
        var partial = await LookUpAsync("1000", 8);

        Assert.Equal(new PlaceMatch("10001, New York, United States", zip.Latitude, zip.Longitude, PlaceKind.PostalCode.Stored(), "US"), zip);
        Assert.Contains(partial, m => m.Label == "10001, New York, United States");
        Assert.Contains(partial, m => m.Label == "10000 Troyes, Grand Est, France");
    }

    [Fact]
    public async Task Unknown_text_and_injection_attempts_give_nothing_and_change_nothing()
    {
        await using var db = places.Database.CreateContext();
        var before = await db.Places.CountAsync();

        Assert.Empty(await LookUpAsync("Xyzzyville", 8));
        Assert.Empty(await LookUpAsync("'; DELETE FROM places; --", 8));
        Assert.Empty(await LookUpAsync("<img src=x onerror=alert(1)>", 8));
        Assert.Empty(await LookUpAsync("%", 8));
        Assert.Equal(before, await db.Places.CountAsync());
    }

    [Theory]
    [InlineData("", 8, "q")]
    [InlineData("   ", 8, "q")]
    [InlineData("Lyon", 0, "limit")]
    [InlineData("Lyon", 21, "limit")]
    public async Task Empty_text_and_a_limit_out_of_range_are_validation_errors(string text, int limit, string field)
    {
        var error = await Assert.ThrowsAsync<PlaceLookup.InvalidQueryException>(() => LookUpAsync(text, limit));

        Assert.Contains(field, error.Errors.Keys);
    }

    [Fact]
    public async Task Overlong_text_is_a_validation_error()
    {
        var error = await Assert.ThrowsAsync<PlaceLookup.InvalidQueryException>(() => LookUpAsync(new string('x', 101), 8));

        Assert.Contains("at most 100 characters", Assert.Single(error.Errors["q"]));
    }

    private async Task<IReadOnlyList<PlaceMatch>> LookUpAsync(string text, int limit) =>
        await places.SendAsync(new PlaceLookup.Query(text, limit));
}
