using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Workers;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Workers;

/// <summary>The worker's Hangfire server, with its storage in the product's PostgreSQL database.</summary>
public sealed class HangfireJobTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private RegistryReplay _replay = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(RegistryRecords.Corpus());
    }

    public async Task DisposeAsync()
    {
        await _replay.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_worker_schedules_the_recurring_syncs_and_runs_an_enqueued_full_sync()
    {
        using var host = WorkerHost.CreateBuilder(
        [
            $"--ConnectionStrings:TrialFinder={_database.ConnectionString}",
            $"--Registry:BaseUrl={_replay.BaseUrl}",
            "--Registry:RequestsPerMinute=6000",
            "--Sync:IncrementalCron=15 */4 * * *",
            "--Logging:LogLevel:Default=Warning",
        ], withJobServer: true).Build();
        await host.StartAsync();
        try
        {
            var storage = host.Services.GetRequiredService<JobStorage>();
            using (var connection = storage.GetConnection())
            {
                var recurring = connection.GetRecurringJobs();
                Assert.Equal("15 */4 * * *", recurring.Single(j => j.Id == SyncJobs.IncrementalJobId).Cron);
                Assert.Contains(recurring, j => j.Id == SyncJobs.FullJobId);
            }

            host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SyncJobs>(jobs => jobs.RunFullAsync(CancellationToken.None));

            SyncRun? run = null;
            for (var attempt = 0; attempt < 120 && run?.Outcome is null or SyncOutcome.Running; attempt++)
            {
                await Task.Delay(500);
                await using var db = _database.CreateContext();
                run = await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync();
            }

            Assert.NotNull(run);
            Assert.Equal((SyncKind.Full, SyncOutcome.Succeeded, RegistryRecords.Corpus().Count), (run.Kind, run.Outcome, run.Inserted));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
