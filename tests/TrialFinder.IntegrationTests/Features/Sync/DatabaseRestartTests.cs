using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Workers;
using Xunit.Abstractions;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// PostgreSQL restarted under a running sync job (on a cluster of the test's own): the worker process's Hangfire job
/// fails, retries itself, resumes the same run and leaves the catalogue of a clean run.
/// </summary>
public sealed class DatabaseRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Studies = 2_000;
    private const int PageSize = 100;
    private const string Never = "0 0 1 1 *";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly TestDatabase _clean = new();
    private PrivateCluster _cluster = null!;
    private RegistryReplay _replay = null!;
    private RegistryReplay _cleanReplay = null!;
    private Task<SyncRunSummary>? _cleanRun;

    public async Task InitializeAsync()
    {
        await _clean.InitializeAsync();
        _cluster = await PrivateCluster.StartAsync();
        var catalogue = ScaleCatalog.Generate(Studies, seed: 10).ToList();
        _replay = await RegistryReplay.StartAsync(catalogue);
        _cleanReplay = await RegistryReplay.StartAsync(catalogue); // the same registry without the slow pages
    }

    public async Task DisposeAsync()
    {
        if (_cleanRun is not null)
        {
            await Task.WhenAny(_cleanRun); // a test that failed early leaves it running
        }

        foreach (var replay in new[] { _replay, _cleanReplay }.Where(r => r is not null))
        {
            await replay.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _clean.DisposeAsync();
    }

    [Fact]
    public async Task A_full_sync_job_cut_off_by_a_PostgreSQL_restart_is_retried_resumes_its_run_and_ends_like_a_clean_run()
    {
        // The clean run, in process on the shared cluster, meanwhile.
        _cleanRun = CleanRunAsync();

        // Enqueued before the worker starts, so that its first poll of the queue finds the job.
        using (var client = WorkerHost.CreateBuilder([$"--ConnectionStrings:TrialFinder={_cluster.ConnectionString}"], withJobServer: false).Build())
        {
            client.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SyncJobs>(jobs => jobs.RunFullAsync(CancellationToken.None));
        }

        _replay.PageDelay = TimeSpan.FromMilliseconds(300);
        await using var worker = WorkerProcess.Start(
        [
            "serve", .. WorkerProcess.Settings(_cluster.ConnectionString, _replay, PageSize),
            .. Enumerable.Range(0, 4).Select(i => $"--Sync:RetryDelaysSeconds:{i}=2"), "--Hangfire:SchedulePollingIntervalSeconds=1",
            $"--Sync:IncrementalCron={Never}", $"--Sync:FullCron={Never}", $"--Notifications:DigestCron={Never}",
        ]);
        var atRestart = await WaitForRunAsync(run => run.Pages >= 5, worker, "five pages written");
        await _cluster.RestartAsync();
        output.WriteLine($"PostgreSQL restarted after page {atRestart.Pages} of run {atRestart.Id}");
        _replay.PageDelay = TimeSpan.Zero;

        var finished = await WaitForRunAsync(run => run.Outcome == SyncOutcome.Succeeded, worker, "the run to succeed");

        output.WriteLine("What the worker said about it:\n" + string.Join('\n', worker.StandardError.Split('\n')
            .Where(line => line.StartsWith("warn: TrialFinder", StringComparison.Ordinal) || line.StartsWith("fail: TrialFinder", StringComparison.Ordinal)
                           || line.Contains("Resuming", StringComparison.Ordinal))
            .Select(line => line.Length > 240 ? line[..240] + "…" : line)));
        Assert.Equal((atRestart.Id, SyncOutcome.Succeeded), (finished.Id, finished.Outcome));
        Assert.Contains("retry 1 scheduled in 00:00:02", worker.StandardError);
        Assert.Contains($"Resuming full sync run {atRestart.Id} after page ", worker.StandardError);
        await using (var db = TestDatabase.CreateContext(_cluster.ConnectionString))
        {
            Assert.Equal(1, await db.SyncRuns.CountAsync());
        }

        var clean = await _cleanRun;
        Assert.Equal(SyncOutcome.Succeeded, clean.Outcome);
        Assert.Equal((clean.Pages, clean.Seen, clean.Inserted), (finished.Pages, finished.Seen, finished.Inserted));
        StoredCatalogue.AssertSame(await StoredCatalogue.ReadAsync(_clean.ConnectionString), await StoredCatalogue.ReadAsync(_cluster.ConnectionString));
    }

    private async Task<SyncRunSummary> CleanRunAsync()
    {
        await Task.Yield();
        using var host = SyncHost.Create(_clean, _cleanReplay, pageSize: PageSize, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);
        return await host.SyncAsync(RunSync.Command.Full());
    }

    /// <summary>Polls the one sync run until the condition holds; the database may be briefly away.</summary>
    private async Task<SyncRun> WaitForRunAsync(Func<SyncRun, bool> condition, WorkerProcess worker, string what)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            Assert.False(worker.HasExited, $"The worker ended while waiting for {what}:\n{worker}");
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting for {what}:\n{worker}");
            try
            {
                await using var db = TestDatabase.CreateContext(_cluster.ConnectionString);
                var run = await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync();
                if (run is not null && condition(run))
                {
                    return run;
                }
            }
            catch (Exception exception) when (exception is NpgsqlException || exception.InnerException is NpgsqlException)
            {
                // The server is restarting.
            }

            await Task.Delay(100);
        }
    }
}
