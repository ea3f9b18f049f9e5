using TrialFinder.Core.Studies;

namespace TrialFinder.Core.Tests.Studies;

public class NctIdTests
{
    [Theory]
    [InlineData("NCT03363373", "NCT03363373")]
    [InlineData("nct03363373", "NCT03363373")]
    [InlineData("  NCT03363373 ", "NCT03363373")]
    public void A_typed_id_is_read_in_its_one_form(string text, string expected)
    {
        Assert.True(NctId.TryParse(text, out var id));
        Assert.Equal(expected, id.Value);
        Assert.Equal(expected, id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("NCT0336337")]
    [InlineData("NCT033633731")]
    [InlineData("NCX03363373")]
    [InlineData("NCT0336337a")]
    [InlineData("NCT 03363373")]
    [InlineData("NCT٠٣٣٦٣٣٧٣")] // Arabic-Indic digits are digits to .NET's \d, not to the registry
    public void Anything_else_is_not_an_id(string? text)
    {
        Assert.False(NctId.TryParse(text, out var id));
        Assert.Null(id.Value);
        Assert.False(NctId.IsWellFormed(text));
    }

    [Theory]
    [InlineData("NCT03363373", true)]
    [InlineData("nct03363373", false)]
    [InlineData(" NCT03363373", false)]
    public void Well_formed_means_exactly_as_the_registry_writes_it(string text, bool wellFormed) =>
        Assert.Equal(wellFormed, NctId.IsWellFormed(text));
}
