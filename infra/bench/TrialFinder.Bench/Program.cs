using TrialFinder.Bench;

// The console behind infra/bench/run.sh: `sql` runs each search query kind's own SQL directly (the
// baseline of the site's latency) with its EXPLAIN (ANALYZE, BUFFERS); `combine` puts the per-size
// results side by side with the targets of issue 11; `warm-sync` times full syncs in one worker process.
const string Usage = """
    usage:
      TrialFinder.Bench sql --queries FILE --connection CS --site URL --out-tsv FILE --out-explain FILE
                            [--trial NCT] [--only KIND] [--max-runs N] [--max-seconds S]
          for each search kind of FILE (kind<TAB>path lines; {trial} is replaced by --trial), parses its query
          string as the site does (a place name is resolved by the running site), runs the search's one SQL
          statement up to N times (default 200) or S seconds (default 10), at least 5 times, and writes
          kind, p50, p95, runs, rows and total to the TSV and each EXPLAIN (ANALYZE, BUFFERS) as Markdown;
          --only runs one kind (run.sh runs each right beside the same kind's load, so both see the same machine)
      TrialFinder.Bench combine --out FILE SIZE=RESULTS-SIZE.md...
          writes the sizes' figures side by side with the targets (held or missed)
      TrialFinder.Bench warm-sync --connection CS --registry URL [--runs N] [--warm-up-ingest-into CS] [--ingest-into CS]
          N full syncs (default 2) one after the other in one process composed as the worker composes itself (as its
          serve verb runs them), then one into each empty catalogue given; one line a run: its name (1, 2, ...,
          first-ingest, ingest), seconds, studies seen, the worker's summary
    """;

if (args.Length == 0 || args[0] is not ("sql" or "combine" or "warm-sync"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    return args[0] switch
    {
        "sql" => await SqlBaseline.RunAsync(CommandLine.Parse(args[1..], ["queries", "connection", "site", "out-tsv", "out-explain"])),
        "warm-sync" => await WarmSync.RunAsync(CommandLine.Parse(args[1..], ["connection", "registry"])),
        _ => ResultsCombiner.Run(CommandLine.Parse(args[1..], ["out"], positional: true)),
    };
}
catch (CommandLineException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
