using System.Diagnostics;
using System.Globalization;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrialFinder.Sync.Syncing;
using TrialFinder.Workers;

namespace TrialFinder.Bench;

/// <summary>
/// Full syncs one after the other in one process composed as the worker composes itself, as its <c>serve</c> verb runs
/// the recurring syncs: the first pays the process's start-up and compilation, the later ones do not. The one-shot
/// <c>sync</c> verb pays them every time. With <c>--warm-up-ingest-into</c> and <c>--ingest-into</c>, two more full syncs
/// in the same process, each into an empty catalogue: the second is an ingest by a worker that has ingested before.
/// </summary>
internal static class WarmSync
{
    public static async Task<int> RunAsync(CommandLine options)
    {
        var runs = int.Parse(options.Optional("runs") ?? "2", CultureInfo.InvariantCulture);
        var registry = options.Required("registry");
        using (var host = Worker(options.Required("connection"), registry))
        {
            for (var run = 1; run <= runs; run++)
            {
                if (!await FullSyncAsync(host, run.ToString(CultureInfo.InvariantCulture)))
                {
                    return 1;
                }
            }
        }

        // The syncs above found nothing changed, so they never ran the mapping, classifying and writing of an ingest:
        // one ingest first warms that code, then the measured one runs it warm.
        foreach (var (name, emptyCatalogue) in new[] { ("first-ingest", options.Optional("warm-up-ingest-into")), ("ingest", options.Optional("ingest-into")) })
        {
            if (emptyCatalogue is null)
            {
                continue;
            }

            using var host = Worker(emptyCatalogue, registry);
            if (!await FullSyncAsync(host, name))
            {
                return 1;
            }
        }

        return 0;
    }

    private static IHost Worker(string connection, string registry) =>
        WorkerHost.CreateBuilder(
        [
            $"--ConnectionStrings:TrialFinder={connection}",
            $"--Registry:BaseUrl={registry}",
            "--Registry:RequestsPerMinute=6000",
            "--Logging:LogLevel:Default=Warning",
        ], withJobServer: false).Build();

    /// <summary>One line for run.sh: the run's name, seconds, studies seen, then the worker's own summary.</summary>
    private static async Task<bool> FullSyncAsync(IHost host, string name)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = host.Services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(RunSync.Command.Full());
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!summary.Succeeded)
        {
            Console.Error.WriteLine($"{name}: {summary}");
            return false;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{seconds:0.00}\t{summary.Seen}\t{summary}"));
        return true;
    }
}
