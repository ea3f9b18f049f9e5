using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TrialFinder.Testing;

// A test tool: the generated scale catalogue (ScaleCatalog) served through the registry replay, or
// written as page files. Generated studies are for tests and benchmarks only, never for a real database.
const string Usage = """
    usage:
      TrialFinder.ScaleData serve --count N --seed S --urls http://127.0.0.1:PORT [--page-delay-ms M] [--revision R] [--gazetteer DIR]
          serves N generated studies as ClinicalTrials.gov API v2 until Ctrl-C or SIGTERM;
          prints the base URL (.../api/v2/) on stdout once it is ready
      TrialFinder.ScaleData write --count N --seed S --out DIR [--revision R] [--gazetteer DIR]
          writes the N generated studies as {"studies":[...]} page files of 1000 into DIR
      TrialFinder.ScaleData write-jsonl --count N --seed S --out FILE [--revision R] [--gazetteer DIR]
          writes the N generated studies into FILE, one compact JSON record a line (for COPY into a jsonb table)
    Sites go to the gazetteer's cities (--gazetteer, else $TF_TEST_GAZETTEER), or without one to real site locations.
    --revision R (0-100, default 0) re-verifies every study R times: each record's bytes change, nothing it means does.
    """;

if (args.Length == 0 || args[0] is not ("serve" or "write" or "write-jsonl") || args.Length % 2 == 0)
{
    return Fail(args.Length == 0 ? null : $"unknown verb or odd arguments: {string.Join(' ', args)}");
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || !options.TryAdd(args[i][2..], args[i + 1]))
    {
        return Fail($"unexpected or repeated option {args[i]}");
    }
}

var allowed = args[0] == "serve" ? new[] { "count", "seed", "urls", "page-delay-ms", "revision", "gazetteer" } : ["count", "seed", "out", "revision", "gazetteer"];
var required = args[0] == "serve" ? new[] { "count", "seed", "urls" } : ["count", "seed", "out"];
if (options.Keys.FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
{
    return Fail($"unknown option --{unknown}");
}

if (required.FirstOrDefault(k => !options.ContainsKey(k)) is { } missing)
{
    return Fail($"--{missing} is required");
}

if (!TryNumber("count", 0, ScaleCatalog.MaxCount, out var count) || !TryNumber("seed", int.MinValue, int.MaxValue, out var seed)
    || !TryNumber("page-delay-ms", 0, int.MaxValue, out var pageDelayMs, fallback: 0)
    || !TryNumber("revision", 0, ScaleCatalog.MaxRevision, out var revision, fallback: 0))
{
    return Fail("--count, --seed, --page-delay-ms and --revision take whole numbers (count up to 10,000,000, revision up to 100)");
}

var gazetteer = options.GetValueOrDefault("gazetteer")
    ?? (Environment.GetEnvironmentVariable(ScaleCatalog.GazetteerVariable) is { Length: > 0 } folder ? folder : null);
var clock = Stopwatch.StartNew();
var studies = ScaleCatalog.Generate(count, seed, gazetteer, revision);

if (args[0] == "write-jsonl")
{
    var path = Path.GetFullPath(options["out"]);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await using (var file = new BufferedStream(File.Create(path), 1 << 20))
    {
        foreach (var study in studies)
        {
            // Compact JSON has no raw line breaks, so one record is one line.
            file.Write(study.Utf8Json.Span);
            file.Write("\n"u8);
        }
    }

    Console.Error.WriteLine($"Wrote {count} generated studies (seed {seed}, revision {revision}, sites from {ScaleCatalog.PlaceSource(gazetteer)}) to {path} in {clock.Elapsed.TotalSeconds:0.0} s.");
    Console.WriteLine(path);
    return 0;
}

if (args[0] == "write")
{
    var output = Directory.CreateDirectory(options["out"]).FullName;
    var pages = 0;
    foreach (var page in studies.Chunk(1000))
    {
        pages++;
        await using var file = File.Create(Path.Combine(output, $"studies-{pages:D5}.json"));
        file.Write("{\"studies\":["u8);
        for (var i = 0; i < page.Length; i++)
        {
            if (i > 0)
            {
                file.Write(","u8);
            }

            file.Write(page[i].Utf8Json.Span);
        }

        file.Write("]}"u8);
    }

    Console.Error.WriteLine($"Wrote {count} generated studies (seed {seed}, sites from {ScaleCatalog.PlaceSource(gazetteer)}) as {pages} page files in {clock.Elapsed.TotalSeconds:0.0} s.");
    Console.WriteLine(output);
    return 0;
}

await using var replay = await RegistryReplay.StartAsync(studies, options["urls"]);
replay.PageDelay = TimeSpan.FromMilliseconds(pageDelayMs);
Console.Error.WriteLine($"Serving {replay.Count} generated studies (seed {seed}, revision {revision}, sites from {ScaleCatalog.PlaceSource(gazetteer)}), ready in {clock.Elapsed.TotalSeconds:0.0} s.");
Console.WriteLine(replay.BaseUrl);

var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await stop.Task;
Console.Error.WriteLine($"Stopping after {replay.StudiesRequests} /studies requests; {replay.SpecViolations.Count} spec violation(s).");
foreach (var violation in replay.SpecViolations.Distinct().Take(20))
{
    Console.Error.WriteLine("  " + violation);
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

bool TryNumber(string name, int min, int max, out int value, int? fallback = null)
{
    if (!options.TryGetValue(name, out var text))
    {
        value = fallback ?? 0;
        return fallback is not null;
    }

    return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}

static int Fail(string? message)
{
    if (message is not null)
    {
        Console.Error.WriteLine(message);
    }

    Console.Error.WriteLine(Usage);
    return 2;
}
