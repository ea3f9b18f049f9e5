using TrialFinder.Core.Eligibility;

namespace TrialFinder.Core.Tests.Eligibility;

public class EligibleAgeTests
{
    [Theory]
    [InlineData("6 Months", 0.5)]
    [InlineData("1 Year", 1)]
    [InlineData("18 Years", 18)]
    [InlineData("12 Months", 1)]
    [InlineData("30 Months", 2.5)]
    [InlineData("365 Days", 0.9993)]
    [InlineData("0 Years", 0)]
    [InlineData(" 21 Years ", 21)]
    [InlineData("18 years", 18)]
    public void Reads_the_registry_age_in_years(string text, double expectedYears)
    {
        Assert.True(EligibleAge.TryParseYears(text, out var years), $"'{text}' should be readable");
        Assert.Equal((decimal)expectedYears, years);
    }

    [Theory]
    [InlineData("21 Days", 21 / 365.25)]
    [InlineData("2 Weeks", 14 / 365.25)]
    [InlineData("1 Week", 7 / 365.25)]
    [InlineData("48 Hours", 2 / 365.25)]
    public void Reads_ages_given_in_days_and_weeks_as_fractions_of_a_year(string text, double expectedYears)
    {
        Assert.True(EligibleAge.TryParseYears(text, out var years));
        Assert.NotNull(years);
        Assert.InRange((double)years.Value, expectedYears - 0.0001, expectedYears + 0.0001);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_absent_age_is_valid_and_means_no_limit(string? text)
    {
        Assert.True(EligibleAge.TryParseYears(text, out var years));
        Assert.Null(years);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("18")]
    [InlineData("Years 18")]
    [InlineData("-3 Years")]
    [InlineData("18 Decades")]
    [InlineData("N/A")]
    [InlineData("18 Years 6 Months")]
    [InlineData("eighteen Years")]
    public void Rejects_text_that_is_not_a_number_and_a_unit(string text)
    {
        Assert.False(EligibleAge.TryParseYears(text, out var years), $"'{text}' should be rejected");
        Assert.Null(years);
    }

    [Theory]
    [InlineData(18, 18, 65, true)]   // on the minimum
    [InlineData(65, 18, 65, true)]   // on the maximum
    [InlineData(17.99, 18, 65, false)]
    [InlineData(65.01, 18, 65, false)]
    [InlineData(40, 18, 65, true)]
    public void A_patient_fits_inclusive_bounds(double patient, double minimum, double maximum, bool fits) =>
        Assert.Equal(fits, EligibleAge.Fits((decimal)patient, (decimal)minimum, (decimal)maximum));

    [Fact]
    public void A_missing_bound_means_no_limit_on_that_side()
    {
        Assert.True(EligibleAge.Fits(90m, 18m, null));
        Assert.False(EligibleAge.Fits(10m, 18m, null));
        Assert.True(EligibleAge.Fits(0.1m, null, 21m));
        Assert.False(EligibleAge.Fits(22m, null, 21m));
        Assert.True(EligibleAge.Fits(50m, null, null));
    }

    [Fact]
    public void A_child_of_30_months_fits_a_study_from_2_years_but_not_one_from_3_years()
    {
        Assert.True(EligibleAge.TryParseYears("30 Months", out var child));
        Assert.True(EligibleAge.TryParseYears("2 Years", out var from2));
        Assert.True(EligibleAge.TryParseYears("3 Years", out var from3));
        Assert.True(EligibleAge.TryParseYears("21 Years", out var to21));

        Assert.True(EligibleAge.Fits(child!.Value, from2, to21));
        Assert.False(EligibleAge.Fits(child.Value, from3, to21));
    }

    [Fact]
    public void A_baby_of_5_months_does_not_fit_a_study_from_6_months_but_one_of_6_months_does()
    {
        Assert.True(EligibleAge.TryParseYears("6 Months", out var minimum));
        Assert.True(EligibleAge.TryParseYears("5 Months", out var fiveMonths));

        Assert.False(EligibleAge.Fits(fiveMonths!.Value, minimum, null));
        Assert.True(EligibleAge.Fits(0.5m, minimum, null));
    }
}
