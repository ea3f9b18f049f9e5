using CsCheck;
using TrialFinder.Core.Geo;

namespace TrialFinder.Core.Tests.Geo;

public class GeoBoxesTests
{
    [Fact]
    public void Every_point_within_the_radius_lies_in_one_of_the_boxes()
    {
        var centres = Gen.Select(Gen.Double[-89.9, 89.9], Gen.Double[-180, 180]);
        var cases = Gen.Select(centres, Gen.Double[0, 21000], Gen.Double[0, 1], Gen.Double[0, 360]);
        cases.Sample(c =>
        {
            var ((lat, lon), radius, fraction, bearing) = c;
            var (pointLat, pointLon) = Destination(lat, lon, radius * fraction, bearing);
            var within = GeoDistance.HaversineKm(lat, lon, pointLat, pointLon) <= radius;
            return !within || GeoBoxes.Around(lat, lon, radius).Any(b => b.Contains(pointLat, pointLon));
        }, iter: 200_000);
    }

    [Fact]
    public void A_circle_across_the_antimeridian_gives_two_boxes_that_meet_there()
    {
        // Suva, Fiji: 500 km reaches both sides of 180°.
        var boxes = GeoBoxes.Around(-18.14, 178.44, 500);

        Assert.Equal(2, boxes.Count);
        Assert.Contains(boxes, b => b.East == 180 && b.West < 178.44);
        Assert.Contains(boxes, b => b.West == -180 && b.East > -180 && b.East < -170);
        Assert.True(boxes.Any(b => b.Contains(-18.14, -179.5)), "a point just east of the antimeridian");
    }

    [Fact]
    public void A_circle_over_a_pole_covers_every_longitude_north_of_its_southern_edge()
    {
        var boxes = GeoBoxes.Around(85, 10, 1000);

        var box = Assert.Single(boxes);
        Assert.Equal((-180d, 180d), (box.West, box.East));
        Assert.Equal(90, box.North, 3);
        Assert.True(box.South < 76.1 && box.South > 75.9, $"south edge {box.South}");
    }

    [Fact]
    public void A_radius_of_half_the_earth_or_more_covers_the_whole_earth()
    {
        var box = Assert.Single(GeoBoxes.Around(48.8566, 2.3522, 20_000));

        Assert.Equal(new GeoBox(-90, -180, 90, 180), box);
    }

    [Fact]
    public void A_small_circle_gives_a_tight_box()
    {
        // Lyon, 100 km: about 0.9° of latitude and 1.27° of longitude each way.
        var box = Assert.Single(GeoBoxes.Around(45.764, 4.8357, 100));

        Assert.InRange(box.North - 45.764, 0.899, 0.902);
        Assert.InRange(box.East - 4.8357, 1.28, 1.30);
        Assert.False(box.Contains(47.0, 4.8357));
    }

    private static (double Lat, double Lon) Destination(double lat, double lon, double km, double bearingDegrees)
    {
        var φ1 = lat * Math.PI / 180;
        var λ1 = lon * Math.PI / 180;
        var θ = bearingDegrees * Math.PI / 180;
        var δ = km / GeoDistance.EarthRadiusKm;
        var φ2 = Math.Asin(Math.Sin(φ1) * Math.Cos(δ) + Math.Cos(φ1) * Math.Sin(δ) * Math.Cos(θ));
        var λ2 = λ1 + Math.Atan2(Math.Sin(θ) * Math.Sin(δ) * Math.Cos(φ1), Math.Cos(δ) - Math.Sin(φ1) * Math.Sin(φ2));
        var lonDegrees = (λ2 * 180 / Math.PI + 540) % 360 - 180;
        return (φ2 * 180 / Math.PI, lonDegrees);
    }
}
