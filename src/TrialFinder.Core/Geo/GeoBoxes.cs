namespace TrialFinder.Core.Geo;

/// <summary>A latitude/longitude rectangle in degrees (west ≤ east: it never crosses the antimeridian).</summary>
public readonly record struct GeoBox(double South, double West, double North, double East)
{
    public bool Contains(double latitude, double longitude) =>
        latitude >= South && latitude <= North && longitude >= West && longitude <= East;
}

/// <summary>
/// The latitude/longitude rectangles that hold every point within a great-circle radius of a centre, so that a plain
/// 2-D index over (longitude, latitude) can narrow candidates before the exact haversine distance decides. One box
/// usually; two when the circle crosses the antimeridian; a full band of longitudes when it reaches a pole. The bounds
/// follow J. P. Matuschek, "Finding Points Within a Distance of a Latitude/Longitude Using Bounding Coordinates"
/// (2011), widened by a margin so that floating-point rounding can never drop a point at the edge.
/// </summary>
public static class GeoBoxes
{
    private const double MarginDegrees = 1e-6;

    public static IReadOnlyList<GeoBox> Around(double latitude, double longitude, double radiusKm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radiusKm);
        var angular = radiusKm / GeoDistance.EarthRadiusKm * 1.001;
        if (angular >= Math.PI)
        {
            return [new GeoBox(-90, -180, 90, 180)];
        }

        var latRad = Radians(latitude);
        var south = latRad - angular;
        var north = latRad + angular;
        if (north >= Math.PI / 2 || south <= -Math.PI / 2)
        {
            return [new GeoBox(Math.Max(Degrees(south), -90) - MarginDegrees, -180, Math.Min(Degrees(north), 90) + MarginDegrees, 180)];
        }

        var deltaLon = Degrees(Math.Asin(Math.Sin(angular) / Math.Cos(latRad))) + MarginDegrees;
        var (southDeg, northDeg) = (Degrees(south) - MarginDegrees, Degrees(north) + MarginDegrees);
        var west = longitude - deltaLon;
        var east = longitude + deltaLon;
        if (west < -180)
        {
            return [new GeoBox(southDeg, west + 360, northDeg, 180), new GeoBox(southDeg, -180, northDeg, east)];
        }

        if (east > 180)
        {
            return [new GeoBox(southDeg, west, northDeg, 180), new GeoBox(southDeg, -180, northDeg, east - 360)];
        }

        return [new GeoBox(southDeg, west, northDeg, east)];
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180.0;

    private static double Degrees(double radians) => radians * 180.0 / Math.PI;
}
