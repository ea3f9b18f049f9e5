using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TrialFinder.Benchmarks;

// usage: TrialFinder.Benchmarks [--short] [--artifacts DIR]
// Runs in this process (no generated project to build, so it fits a 2-core machine and the tiny run of infra/test.sh);
// --short runs a few iterations only. The GitHub Markdown summary lands in DIR/results/.
var quick = args.Contains("--short");
var artifacts = args.SkipWhile(a => a != "--artifacts").Skip(1).FirstOrDefault() ?? Path.Combine("BenchmarkDotNet.Artifacts");
var job = (quick ? Job.Default.WithWarmupCount(1).WithIterationCount(3) : Job.Default.WithWarmupCount(3).WithIterationCount(15))
    .WithLaunchCount(1)
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithId(quick ? "short" : "default");
var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
    .AddLogger(ConsoleLogger.Default)
    .AddExporter(MarkdownExporter.GitHub)
    .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
    .WithArtifactsPath(artifacts);
var summary = BenchmarkRunner.Run<SyncHotPathBenchmarks>(config);
return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
