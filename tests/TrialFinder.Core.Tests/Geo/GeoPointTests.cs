using TrialFinder.Core.Geo;

namespace TrialFinder.Core.Tests.Geo;

public class GeoPointTests
{
    [Theory]
    [InlineData(-90, true)]
    [InlineData(90, true)]
    [InlineData(90.0001, false)]
    [InlineData(-90.0001, false)]
    [InlineData(double.NaN, false)]
    public void Latitudes_run_from_minus_90_to_90(double latitude, bool valid) => Assert.Equal(valid, GeoPoint.IsLatitude(latitude));

    [Theory]
    [InlineData(-180, true)]
    [InlineData(180, true)]
    [InlineData(180.0001, false)]
    [InlineData(-180.0001, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void Longitudes_run_from_minus_180_to_180(double longitude, bool valid) => Assert.Equal(valid, GeoPoint.IsLongitude(longitude));

    [Fact]
    public void A_pair_makes_a_point_when_both_are_in_range()
    {
        Assert.True(GeoPoint.TryFromPair(45.76, 4.83, out var point));
        Assert.Equal(new GeoPoint(45.76, 4.83), point);
    }

    [Fact]
    public void Neither_given_is_no_point_and_no_error()
    {
        Assert.True(GeoPoint.TryFromPair(null, null, out var point));
        Assert.Null(point);
    }

    [Theory]
    [InlineData(45.76, null)]
    [InlineData(null, 4.83)]
    [InlineData(91.0, 4.83)]
    [InlineData(45.76, -181.0)]
    public void One_alone_or_one_out_of_range_is_refused(double? latitude, double? longitude)
    {
        Assert.False(GeoPoint.TryFromPair(latitude, longitude, out var point));
        Assert.Null(point);
    }
}
