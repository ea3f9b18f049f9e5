namespace TrialFinder.Testing;

/// <summary>The repository and the shared registry data beside it (tests may read ../shared; the product never does).</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SharedRegistryData
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "ctgov"));
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"The shared registry data is missing: expected {path} beside the repository.");
        }
    }

    public static string SharedRealRecords => Path.Combine(SharedRegistryData, "real");

    public static string OpenApiSpec => Path.Combine(SharedRegistryData, "ctg-oas-v2.yaml");

    public static string CorpusStudies => Path.Combine(RepositoryRoot, "src", "TrialFinder.Sync", "Snapshot", "studies");

    public static string TestResults
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "TestResults");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TrialFinder.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("TrialFinder.sln not found above the test binaries.");
    }
}
