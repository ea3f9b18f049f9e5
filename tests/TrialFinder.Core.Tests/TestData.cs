using System.Text.Json;
using TrialFinder.Testing;

namespace TrialFinder.Core.Tests;

/// <summary>
/// Where the tests find their data: the repository (the folder holding TrialFinder.sln) and the
/// shared registry recordings beside it in ../shared/ctgov. A missing folder fails loudly:
/// a test that silently skips its data proves nothing.
/// </summary>
public static class TestData
{
    public static string RepositoryRoot => TestPaths.RepositoryRoot;

    public static string SharedRegistryData => TestPaths.SharedRegistryData;

    public static string RealRecordsFolder => Path.Combine(SharedRegistryData, "real");

    public static string OpenApiSpec => TestPaths.OpenApiSpec;

    public static string Snapshot => Path.Combine(RepositoryRoot, "src", "TrialFinder.Sync", "Snapshot");

    public static string CorpusStudies => Path.Combine(Snapshot, "studies");

    /// <summary>The first held-out set: real trials measured blind, tuned on since the sixth development round; test data only, never shipped with the product.</summary>
    public static string HeldOut => Path.Combine(RepositoryRoot, "tests", "TrialFinder.Core.Tests", "Corpus", "HeldOut");

    public static string HeldOutStudies => Path.Combine(HeldOut, "studies");

    /// <summary>Real trials the classifier is tuned on besides the snapshot; test data only, never shipped.</summary>
    public static string Development => Path.Combine(RepositoryRoot, "tests", "TrialFinder.Core.Tests", "Corpus", "Development");

    public static string DevelopmentStudies => Path.Combine(Development, "studies");

    public static string TestResults => TestPaths.TestResults;

    /// <summary>The real registry records (file name without extension, path), failing when there are none.</summary>
    public static IReadOnlyList<string> RealRecordFiles => JsonFiles(RealRecordsFolder, "NCT*.json");

    /// <summary>Every corpus record file, failing when there are none.</summary>
    public static IReadOnlyList<string> CorpusFiles => JsonFiles(CorpusStudies, "NCT*.json");

    /// <summary>Every held-out record file, failing when there are none.</summary>
    public static IReadOnlyList<string> HeldOutFiles => JsonFiles(HeldOutStudies, "NCT*.json");

    /// <summary>Every development record file, failing when there are none.</summary>
    public static IReadOnlyList<string> DevelopmentFiles => JsonFiles(DevelopmentStudies, "NCT*.json");

    public static TheoryData<string> RealRecordIds() => Ids(RealRecordFiles);

    public static TheoryData<string> CorpusIds() => Ids(CorpusFiles);

    public static TheoryData<string> HeldOutIds() => Ids(HeldOutFiles);

    public static TheoryData<string> DevelopmentIds() => Ids(DevelopmentFiles);

    public static string RealRecordPath(string nctId) => Path.Combine(RealRecordsFolder, nctId + ".json");

    public static string CorpusPath(string nctId) => Path.Combine(CorpusStudies, nctId + ".json");

    public static string HeldOutPath(string nctId) => Path.Combine(HeldOutStudies, nctId + ".json");

    public static string DevelopmentPath(string nctId) => Path.Combine(DevelopmentStudies, nctId + ".json");

    public static JsonDocument ReadJson(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream);
    }

    private static TheoryData<string> Ids(IEnumerable<string> files)
    {
        var data = new TheoryData<string>();
        foreach (var file in files)
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    public static IReadOnlyList<string> JsonFiles(string folder, string pattern)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Expected the folder {folder}.");
        }

        var files = Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new FileNotFoundException($"No {pattern} files in {folder}.");
    }
}
