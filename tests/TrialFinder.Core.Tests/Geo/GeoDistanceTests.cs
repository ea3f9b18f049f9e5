using TrialFinder.Core.Geo;

namespace TrialFinder.Core.Tests.Geo;

public class GeoDistanceTests
{
    [Fact]
    public void Paris_to_Lyon_is_about_392_km()
    {
        var km = GeoDistance.HaversineKm(48.8566, 2.3522, 45.7640, 4.8357);
        Assert.InRange(km, 387, 397);
    }

    [Fact]
    public void New_York_to_London_is_about_5570_km()
    {
        var km = GeoDistance.HaversineKm(40.7128, -74.0060, 51.5074, -0.1278);
        Assert.InRange(km, 5550, 5590);
    }

    [Fact]
    public void The_distance_is_the_same_in_both_directions()
    {
        var there = GeoDistance.HaversineKm(48.8566, 2.3522, -33.8688, 151.2093);
        var back = GeoDistance.HaversineKm(-33.8688, 151.2093, 48.8566, 2.3522);
        Assert.Equal(there, back, 6);
    }

    [Fact]
    public void A_place_is_no_distance_from_itself() =>
        Assert.Equal(0, GeoDistance.HaversineKm(45.764, 4.8357, 45.764, 4.8357), 9);

    [Fact]
    public void Places_either_side_of_the_antimeridian_are_close_not_a_world_apart()
    {
        var km = GeoDistance.HaversineKm(0, 179.5, 0, -179.5);
        Assert.InRange(km, 110, 113);
    }

    [Fact]
    public void Fiji_to_Samoa_across_the_date_line_is_about_1150_km()
    {
        // Suva (178.44 E) and Apia (171.77 W).
        var km = GeoDistance.HaversineKm(-18.1416, 178.4419, -13.8333, -171.7667);
        Assert.InRange(km, 1100, 1200);
    }

    [Fact]
    public void Near_the_pole_longitude_barely_matters()
    {
        // Two points 1 km from the North Pole on opposite meridians are 2 km apart.
        var latitude = 90 - 1 / 111.195;
        var km = GeoDistance.HaversineKm(latitude, 0, latitude, 180);
        Assert.InRange(km, 1.99, 2.01);
    }

    [Fact]
    public void Pole_to_pole_is_half_the_circumference()
    {
        var km = GeoDistance.HaversineKm(90, 0, -90, 0);
        Assert.Equal(Math.PI * GeoDistance.EarthRadiusKm, km, 3);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(90, 180, true)]
    [InlineData(-90, -180, true)]
    [InlineData(90.0001, 0, false)]
    [InlineData(123, 45, false)]
    [InlineData(45, 181, false)]
    [InlineData(45, -180.5, false)]
    public void Only_real_coordinates_are_valid(double latitude, double longitude, bool valid) =>
        Assert.Equal(valid, GeoPoint.IsValid(latitude, longitude));
}
