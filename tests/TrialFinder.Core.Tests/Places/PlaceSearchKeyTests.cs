using TrialFinder.Core.Places;

namespace TrialFinder.Core.Tests.Places;

public class PlaceSearchKeyTests
{
    [Theory]
    [InlineData("Besançon", "besancon")]
    [InlineData("Saint-Étienne", "saint etienne")]
    [InlineData("  New   York ", "new york")]
    [InlineData("Kraków", "krakow")]
    [InlineData("Łódź", "lodz")]
    [InlineData("Straße", "strasse")]
    [InlineData("69003", "69003")]
    [InlineData("Zürich (ZH)", "zurich zh")]
    public void A_name_becomes_lower_case_ascii_words(string text, string key) => Assert.Equal(key, PlaceSearchKey.From(text));

    [Fact]
    public void Other_scripts_are_dropped_without_splitting_latin_words() =>
        Assert.Equal("tokyo", PlaceSearchKey.From("Tokyo東京"));

    [Fact]
    public void Typed_text_reads_a_postcode_with_its_country_and_town()
    {
        var text = PlaceText.Parse("FR-69003 Lyon");

        Assert.True(text.IsPostcode);
        Assert.Equal("69003", text.Key);
        Assert.Equal("lyon", text.Town);
        Assert.Equal("FR", Assert.Single(Assert.Single(text.Qualifiers).CountryCodes));
    }

    [Theory]
    [InlineData("Sydney NSW 2000", "2000", "sydney", "AU")]
    [InlineData("2000 NSW", "2000", null, "AU")]
    [InlineData("1000 Belgium", "1000", null, "BE")]
    [InlineData("1000, Switzerland", "1000", null, "CH")]
    [InlineData("1000 Bruxelles Belgique", "1000", "bruxelles", "BE")]
    [InlineData("80331 Munich", "80331", "munich", null)]
    [InlineData("Genève 1205", "1205", "geneve", null)]
    [InlineData("SW1A Greater London, England, United Kingdom", "sw1a", "greater london", "GB")]
    public void Typed_text_splits_the_town_from_the_country_or_region_written_with_a_postcode(string typed, string key, string? town, string? country)
    {
        var text = PlaceText.Parse(typed);

        Assert.True(text.IsPostcode);
        Assert.Equal(key, text.Key);
        Assert.Equal(town, text.Town);
        if (country is null)
        {
            Assert.Empty(text.Qualifiers);
        }
        else
        {
            Assert.Contains(text.Qualifiers, q => q.CountryCodes.Contains(country) || q.Regions.Any(r => r.CountryCode == country));
        }
    }

    [Fact]
    public void Typed_text_reads_a_name_and_its_qualifiers()
    {
        var text = PlaceText.Parse("Paris, TX");

        Assert.False(text.IsPostcode);
        Assert.Equal("paris", text.Key);
        Assert.Contains(Assert.Single(text.Qualifiers).Regions, r => r is { CountryCode: "US", Name: "Texas" });
    }
}
