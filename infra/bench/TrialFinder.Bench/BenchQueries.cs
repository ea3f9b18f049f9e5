namespace TrialFinder.Bench;

/// <summary>One query kind of the fixed mix (infra/bench/queries.tsv): its name and the path the load generator asks for.</summary>
internal sealed record BenchQuery(string Kind, string Path)
{
    /// <summary>A search (results page or API) whose SQL is the catalogue search; trial and home pages are not.</summary>
    public bool IsSearch => QueryString is not null;

    public bool IsApi => Path.StartsWith("/api/", StringComparison.Ordinal);

    /// <summary>The query string of a search, without "?" ("" for no filter); null for other pages.</summary>
    public string? QueryString
    {
        get
        {
            var question = Path.IndexOf('?', StringComparison.Ordinal);
            var route = question < 0 ? Path : Path[..question];
            return route is "/trials" or "/api/trials" ? (question < 0 ? "" : Path[(question + 1)..]) : null;
        }
    }

    /// <summary>Reads kind&lt;TAB&gt;path lines, skipping blank lines and # comments, with {trial} replaced.</summary>
    public static IReadOnlyList<BenchQuery> Read(string file, string? trial) =>
        File.ReadAllLines(file)
            .Where(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'))
            .Select(line => line.Split('\t', 2) is [var kind, var path]
                ? new BenchQuery(kind.Trim(), path.Trim().Replace("{trial}", trial ?? "{trial}", StringComparison.Ordinal))
                : throw new CommandLineException($"{file}: expected kind<TAB>path, found '{line}'"))
            .ToList();
}
