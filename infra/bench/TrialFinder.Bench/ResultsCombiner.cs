using System.Globalization;
using System.Text;

namespace TrialFinder.Bench;

/// <summary>
/// RESULTS.md: the figures of each size (read from the "All figures" table of its RESULTS-SIZE.md) side by
/// side, each against its target of issue 11 with held or missed, and the growth from the first size to the last.
/// </summary>
internal static class ResultsCombiner
{
    private const string FiguresHeading = "## All figures";

    private sealed record Figure(string Value, string Unit, string Load);

    private sealed record Target(string Label, string Key, bool AtMost, double Limit, string Unit);

    private static readonly Target[] FixedTargets =
    [
        new("mix, 32 connections, every answer computed: requests/s", "mix32.rps", AtMost: false, 300, "req/s"),
        new("mix, 32 connections, every answer computed: p99", "mix32.p99_ms", AtMost: true, 200, "ms"),
        new("mix, 32 connections, every answer computed: errors (non-2xx + socket)", "mix32.errors", AtMost: true, 0, ""),
        new("mix, 32 connections, answers cached (as deployed): requests/s", "mix32_cached.rps", AtMost: false, 300, "req/s"),
        new("mix, 32 connections, answers cached (as deployed): p99", "mix32_cached.p99_ms", AtMost: true, 200, "ms"),
        new("mix, 32 connections, answers cached (as deployed): errors", "mix32_cached.errors", AtMost: true, 0, ""),
        new("mix, 32 connections, during a full resync: requests/s", "mix32_resync.rps", AtMost: false, 300, "req/s"),
        new("mix, 32 connections, during a full resync: p99", "mix32_resync.p99_ms", AtMost: true, 200, "ms"),
        new("mix, 32 connections, during a full resync: errors", "mix32_resync.errors", AtMost: true, 0, ""),
        new("ingest (full sync into an empty catalogue)", "ingest.studies_per_s", AtMost: false, 1500, "studies/s"),
        new("ingest as a share of raw COPY (same run)", "ingest.share_of_raw_pct", AtMost: false, 25, "%"),
        new("worker peak RSS during ingest", "ingest.worker_rss_mb", AtMost: true, 300, "MB"),
        new("full sync, nothing changed", "resync_unchanged.studies_per_s", AtMost: false, 3000, "studies/s"),
        new("incremental sync, nothing changed", "incremental_unchanged.seconds", AtMost: true, 2, "s"),
        new("results page weight", "weight.results_page_kb", AtMost: true, 100, "KB"),
        new("web peak RSS under the 32-connection mix", "web.rss_mb", AtMost: true, 300, "MB"),
    ];

    public static int Run(CommandLine options)
    {
        var sizes = new List<(string Size, string File, Dictionary<string, Figure> Figures)>();
        foreach (var word in options.Words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CommandLineException($"expected SIZE=FILE, found '{word}'");
            }

            var file = word[(equals + 1)..];
            sizes.Add((word[..equals], file, File.Exists(file) ? Read(file) : []));
        }

        if (sizes.Count == 0)
        {
            throw new CommandLineException("name at least one SIZE=RESULTS-SIZE.md");
        }

        var keys = sizes.SelectMany(s => s.Figures.Keys).Distinct().ToList();
        var kinds = keys.Where(k => k.StartsWith("search.", StringComparison.Ordinal) && k.EndsWith(".p95_ms", StringComparison.Ordinal))
            .Select(k => k["search.".Length..^".p95_ms".Length]).ToList();
        var targets = kinds.Select(k => new Target($"`{k}` p95, 1 connection", $"search.{k}.p95_ms", AtMost: true, 30, "ms"))
            .Concat(FixedTargets.Take(9))
            .Concat(kinds.Where(k => keys.Contains($"search.{k}.api_sql_ratio"))
                .Select(k => new Target($"`{k}` p50 ÷ its SQL p50", $"search.{k}.api_sql_ratio", AtMost: true, 1.5, "×")))
            .Concat(FixedTargets.Skip(9))
            .ToList();

        var text = new StringBuilder();
        text.AppendLine("# TrialFinder benchmark results");
        text.AppendLine();
        text.AppendLine("Written by `infra/bench/run.sh` (`TrialFinder.Bench combine`) from " +
            string.Join(" and ", sizes.Select(s => $"[{s.Size}]({Path.GetFileName(s.File)})")) +
            ". Each size's file has the machine, the commands, the load average at each measurement and every EXPLAIN. " +
            "Site, PostgreSQL and load generator share one 2-core machine that other developers also use: compare ratios measured in the same run, " +
            "and read absolute figures with the load average beside them.");
        text.AppendLine();
        text.AppendLine("## Runs");
        text.AppendLine();
        AppendRow(text, ["", .. sizes.Select(s => s.Size)]);
        AppendRow(text, ["---", .. sizes.Select(_ => "---")]);
        foreach (var key in keys.Where(k => k.StartsWith("run.", StringComparison.Ordinal) || k.StartsWith("machine.", StringComparison.Ordinal) || k.StartsWith("catalogue.", StringComparison.Ordinal)))
        {
            AppendRow(text, [key, .. sizes.Select(s => s.Figures.TryGetValue(key, out var f) ? Show(f) : "—")]);
        }

        text.AppendLine();
        text.AppendLine("## Targets of issue 11");
        text.AppendLine();
        // The growth column compares the current runs of the two sizes (named "5k" and "100k") when both are given;
        // earlier rounds beside them are history, not the baseline of the growth.
        var small = sizes.FindIndex(s => s.Size == "5k");
        var large = sizes.FindIndex(s => s.Size == "100k");
        var (from, to) = small >= 0 && large >= 0 ? (sizes[small], sizes[large]) : (sizes[0], sizes[^1]);
        var first = from.Size;
        var last = to.Size;
        AppendRow(text, ["figure", "target", .. sizes.SelectMany(s => new[] { s.Size, "held?" }), .. sizes.Count > 1 ? new[] { $"{last} ÷ {first}" } : []]);
        AppendRow(text, ["---", "---", .. sizes.SelectMany(_ => new[] { "---:", "---" }), .. sizes.Count > 1 ? new[] { "---:" } : []]);
        foreach (var target in targets)
        {
            var cells = new List<string> { target.Label, $"{(target.AtMost ? "≤" : "≥")} {target.Limit.ToString(CultureInfo.InvariantCulture)} {target.Unit}".TrimEnd() };
            foreach (var (_, _, figures) in sizes)
            {
                if (figures.TryGetValue(target.Key, out var figure) && Number(figure.Value) is { } value)
                {
                    var held = target.AtMost ? value <= target.Limit : value >= target.Limit;
                    cells.Add($"{figure.Value} {figure.Unit}".TrimEnd());
                    cells.Add(held ? "held" : "**missed**");
                }
                else
                {
                    cells.Add(figures.TryGetValue(target.Key, out var other) ? other.Value : "not measured");
                    cells.Add("—");
                }
            }

            if (sizes.Count > 1)
            {
                cells.Add(Growth(from.Figures, to.Figures, target.Key));
            }

            AppendRow(text, cells);
        }

        text.AppendLine();
        text.AppendLine("## All figures side by side");
        text.AppendLine();
        AppendRow(text, ["figure", .. sizes.Select(s => s.Size), .. sizes.Select(s => $"load {s.Size}"), .. sizes.Count > 1 ? new[] { $"{last} ÷ {first}" } : []]);
        AppendRow(text, ["---", .. sizes.Select(_ => "---:"), .. sizes.Select(_ => "---"), .. sizes.Count > 1 ? new[] { "---:" } : []]);
        foreach (var key in keys.Where(k => !k.StartsWith("run.", StringComparison.Ordinal) && !k.StartsWith("machine.", StringComparison.Ordinal)))
        {
            AppendRow(text,
            [
                key,
                .. sizes.Select(s => s.Figures.TryGetValue(key, out var f) ? Show(f) : "—"),
                .. sizes.Select(s => s.Figures.TryGetValue(key, out var f) ? f.Load : ""),
                .. sizes.Count > 1 ? new[] { Growth(from.Figures, to.Figures, key) } : [],
            ]);
        }

        File.WriteAllText(options.Required("out"), text.ToString());
        Console.Error.WriteLine($"Wrote {options.Required("out")} ({targets.Count} targets, {keys.Count} figures).");
        return 0;
    }

    private static Dictionary<string, Figure> Read(string file)
    {
        var figures = new Dictionary<string, Figure>(StringComparer.Ordinal);
        var inTable = false;
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inTable = line.Trim() == FiguresHeading;
                continue;
            }

            if (!inTable || !line.StartsWith('|'))
            {
                continue;
            }

            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 4 || cells[0] is "key" || cells[0].StartsWith("---", StringComparison.Ordinal))
            {
                continue;
            }

            figures[cells[0].Trim('`')] = new Figure(cells[1], cells[2], cells[3]);
        }

        return figures;
    }

    private static string Growth(Dictionary<string, Figure> first, Dictionary<string, Figure> last, string key) =>
        first.TryGetValue(key, out var a) && last.TryGetValue(key, out var b) && Number(a.Value) is { } x && Number(b.Value) is { } y && x > 0
            ? (y / x).ToString("0.0#", CultureInfo.InvariantCulture) + "×"
            : "";

    private static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string Show(Figure figure) => $"{figure.Value} {figure.Unit}".TrimEnd();

    private static void AppendRow(StringBuilder text, IEnumerable<string> cells) =>
        text.Append("| ").AppendJoin(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
}
