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
        Assert.Equal(2, text.Qualifiers.Count);
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
