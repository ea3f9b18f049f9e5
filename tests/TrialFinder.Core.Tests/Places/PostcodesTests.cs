using TrialFinder.Core.Places;

namespace TrialFinder.Core.Tests.Places;

public class PostcodesTests
{
    [Theory]
    [InlineData("SW1A 1AA", "sw1a", "GB")]
    [InlineData("sw1a1aa", "sw1a", "GB")]
    [InlineData("M13 9WL", "m13", "GB")]
    [InlineData("WC1N 3JH", "wc1n", "GB")]
    [InlineData("M5G 1X8", "m5g", "CA")]
    [InlineData("m5g1x8", "m5g", "CA")]
    [InlineData("1012 AB", "1012", "NL")]
    [InlineData("1012AB", "1012", "NL")]
    [InlineData("D-80331", "80331", "DE")]
    [InlineData("DE-80331", "80331", "DE")]
    [InlineData("D 80331", "80331", "DE")]
    [InlineData("CH-8032", "8032", "CH")]
    [InlineData("B-1000", "1000", "BE")]
    [InlineData("A-1090", "1090", "AT")]
    [InlineData("I-00165", "00165", "IT")]
    [InlineData("E-28009", "28009", "ES")]
    [InlineData("F-69003", "69003", "FR")]
    [InlineData("FR69003", "69003", "FR")]
    [InlineData("NL-1012", "1012", "NL")]
    [InlineData("UK-SW1A", null, null)]
    public void A_form_that_shows_its_country_reads_into_that_country(string text, string? key, string? country)
    {
        var reading = Postcodes.Read(text);

        if (key is null)
        {
            Assert.Null(reading);
            return;
        }

        Assert.NotNull(reading);
        Assert.Equal(key, reading.Key);
        Assert.Contains(country!, reading.CountryCodes);
    }

    [Theory]
    [InlineData("10001-1234", "10001", "US")]
    [InlineData("00901-1234", "00901", "PR")]
    public void A_zip_plus_4_is_american(string text, string key, string country)
    {
        var reading = Postcodes.Read(text)!;

        Assert.Equal(key, reading.Key);
        Assert.Contains(country, reading.CountryCodes);
    }

    [Theory]
    [InlineData("80331", "80331", null)]
    [InlineData("1000", "1000", null)]
    [InlineData("80331 München", "80331", "munchen")]
    [InlineData("München 80331", "80331", "munchen")]
    [InlineData("2000 NSW", "2000", "nsw")]
    [InlineData("NSW 2000", "2000", "nsw")]
    [InlineData("Sydney NSW 2000", "2000", "sydney nsw")]
    [InlineData("0800 NT", "0800", "nt")]
    [InlineData("6000 WA", "6000", "wa")]
    [InlineData("SW1A", "sw1a", null)]
    [InlineData("M5G", "m5g", null)]
    [InlineData("SW1A Greater London", "sw1a", "greater london")]
    [InlineData("M5G Toronto", "m5g", "toronto")]
    public void A_code_without_its_country_keeps_the_town_or_region_written_with_it(string text, string key, string? rest)
    {
        var reading = Postcodes.Read(text)!;

        Assert.Equal(key, reading.Key);
        Assert.Empty(reading.CountryCodes);
        Assert.Equal(rest, reading.Rest);
    }

    [Theory]
    [InlineData("München")]
    [InlineData("Den Haag")]
    [InlineData("123")]
    [InlineData("123456")]
    [InlineData("XYZ-80331")]
    [InlineData("10001-12")]
    [InlineData("1000-1234")]
    [InlineData("DE-10001-1234")]
    [InlineData("")]
    public void Names_and_other_numbers_are_not_postcodes(string text) => Assert.Null(Postcodes.Read(text));

    [Theory]
    [InlineData("GB", "SW1A 1AA", "sw1a")]
    [InlineData("GB", "SW1A", "sw1a")]
    [InlineData("GB", "M1", "m1")]
    [InlineData("CA", "M5G 1X8", "m5g")]
    [InlineData("CA", "M5G", "m5g")]
    [InlineData("NL", "1012 AB", "1012")]
    [InlineData("NL", "1012", "1012")]
    [InlineData("DE", "80331", "80331")]
    [InlineData("IT", "00165", "00165")]
    public void The_importer_stores_a_code_under_the_key_the_look_up_reads(string country, string code, string key) =>
        Assert.Equal(key, Postcodes.KeyFor(country, code));

    [Fact]
    public void Typed_text_reads_a_full_uk_postcode_as_its_outward_code_in_the_uk()
    {
        var text = PlaceText.Parse("SW1A 1AA, London");

        Assert.True(text.IsPostcode);
        Assert.Equal("sw1a", text.Key);
        Assert.Contains(text.Qualifiers, q => q.CountryCodes.Contains("GB"));
        Assert.Equal("london", text.Town);
    }

    [Fact]
    public void A_city_name_is_not_read_as_a_postcode() => Assert.False(PlaceText.Parse("Den Haag").IsPostcode);
}
