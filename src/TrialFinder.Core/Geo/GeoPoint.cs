namespace TrialFinder.Core.Geo;

/// <summary>A point on Earth in decimal degrees; the one home of the coordinate ranges.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    public static bool IsLatitude(double latitude) => latitude is >= -90 and <= 90;

    public static bool IsLongitude(double longitude) => longitude is >= -180 and <= 180;

    public static bool IsValid(double latitude, double longitude) => IsLatitude(latitude) && IsLongitude(longitude);

    /// <summary>
    /// The point of an optional pair, as a query string gives it: both in range, or neither given.
    /// False when only one is given or either is out of range.
    /// </summary>
    public static bool TryFromPair(double? latitude, double? longitude, out GeoPoint? point)
    {
        point = null;
        if (latitude is null && longitude is null)
        {
            return true;
        }

        if (latitude is not { } lat || longitude is not { } lon || !IsValid(lat, lon))
        {
            return false;
        }

        point = new GeoPoint(lat, lon);
        return true;
    }
}
