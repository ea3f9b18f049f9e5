using System.Security.Cryptography;
using System.Text;

namespace TrialFinder.Sync.Places;

/// <summary>
/// What a places import is made from, in one string recorded with the places: the import's rules version and a SHA-256 over
/// every file it reads (the packages' data files and the GeoNames postal-code files), each with its name. Hashing the content,
/// not dates or sizes, because the npm tarballs give every file the same date. A start hashes about 45 MB of packages (plus
/// GeoNames' postal codes when an operator added them), a fraction of a second, instead of re-importing for tens of seconds.
/// </summary>
public static class GazetteerFingerprint
{
    public static async Task<string> OfAsync(GazetteerFolder folder, IReadOnlyList<string> postalCodeFiles, int rulesVersion, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = new[] { folder.Cities, folder.RegionNames, folder.UsZipCodes, folder.FrenchPostcodes, folder.AlternateNames }
            .Select(f => (Name: Path.GetRelativePath(folder.Path, f), Path: f))
            .Concat(postalCodeFiles.Select(f => (Name: "postcodes/" + Path.GetFileName(f), Path: f)));
        var buffer = new byte[1 << 20];
        foreach (var (name, path) in files)
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            hash.AppendData(Encoding.UTF8.GetBytes($"{name.Replace('\\', '/')} {stream.Length}\n"));
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return $"rules {rulesVersion}; sha256 {Convert.ToHexStringLower(hash.GetHashAndReset())}";
    }
}
