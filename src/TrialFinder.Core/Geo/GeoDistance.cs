namespace TrialFinder.Core.Geo;

public static class GeoDistance
{
    public const double EarthRadiusKm = 6371.0088;
    public const double KmPerMile = 1.609344;

    /// <summary>Great-circle distance by the haversine formula; correct across the antimeridian and at the poles.</summary>
    public static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180.0;
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2)
                + Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
