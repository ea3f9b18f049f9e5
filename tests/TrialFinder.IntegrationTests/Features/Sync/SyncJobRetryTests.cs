using Hangfire;
using Hangfire.Storage.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Sync.Catalog;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>A sync job is never lost: busy or failed, it schedules its own retry, and a failed run resumes.</summary>
public sealed class SyncJobRetryTests : SyncTestBase
{
    [Fact]
    public async Task A_scheduled_sync_that_finds_another_sync_running_is_retried_later_not_dropped()
    {
        await using (var otherSync = await SyncLock.TryAcquireAsync(Database.ConnectionString, CancellationToken.None))
        {
            Assert.NotNull(otherSync);
            await RunJobAsync(jobs => jobs.RunFullAsync(CancellationToken.None));
        }

        var retry = Assert.Single(ScheduledJobs());
        Assert.Equal(nameof(SyncJobs.RetryAsync), retry.Job.Method.Name);
        Assert.Equal(SyncKind.Full.Stored(), retry.Job.Args[0]);
        Assert.InRange(retry.EnqueueAt - DateTime.UtcNow, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(61));
        await using (var db = Database.CreateContext())
        {
            Assert.Equal(0, await db.SyncRuns.CountAsync());
        }

        await RunJobAsync(jobs => jobs.RetryAsync(SyncKind.Full.Stored(), [], 1, CancellationToken.None));

        await using (var db = Database.CreateContext())
        {
            var run = await db.SyncRuns.SingleAsync();
            Assert.Equal((SyncKind.Full, SyncOutcome.Succeeded, ExpectedCatalogue().Count), (run.Kind, run.Outcome, run.Inserted));
        }
    }

    [Fact]
    public async Task A_failed_full_sync_schedules_a_retry_with_backoff_that_resumes_the_run_from_its_checkpoint()
    {
        Replay.AfterStudiesPage = page =>
        {
            if (page == 2)
            {
                Replay.FailStudiesRequest(1, new RegistryReplay.Fault.MalformedJson());
            }
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunJobAsync(jobs => jobs.RunFullAsync(CancellationToken.None)));

        var firstRetry = Assert.Single(ScheduledJobs());
        Assert.Equal(1, firstRetry.Job.Args[2]);
        Replay.AfterStudiesPage = null;
        await using (var db = Database.CreateContext())
        {
            var failed = await db.SyncRuns.SingleAsync();
            Assert.Equal((SyncOutcome.Failed, 2), (failed.Outcome, failed.Pages));
        }

        await RunJobAsync(jobs => jobs.RetryAsync(SyncKind.Full.Stored(), [], 1, CancellationToken.None));

        await using (var db = Database.CreateContext())
        {
            var run = await db.SyncRuns.SingleAsync();
            Assert.Equal(SyncOutcome.Succeeded, run.Outcome);
            Assert.Equal(ExpectedCatalogue().Count, await db.Studies.CountAsync(s => s.IsListed));
        }

        Assert.Single(ScheduledJobs()); // the success scheduled nothing more
    }

    [Fact]
    public async Task A_sync_job_whose_database_went_away_before_its_run_could_record_the_failure_still_schedules_its_retry()
    {
        // The walk asks for a page ahead and writes each page while mapping the next, so by the time the registry
        // serves page 4 the first page is written and the third is not.
        Replay.AfterStudiesPage = page =>
        {
            if (page == 4)
            {
                // Like a server restart: every session ends and, for a few seconds, no new one is accepted.
                SetConnectionsAllowed(false);
                _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => SetConnectionsAllowed(true), TaskScheduler.Default);
            }
        };

        var stopped = await Assert.ThrowsAnyAsync<Exception>(() => RunJobAsync(jobs => jobs.RunFullAsync(CancellationToken.None)));

        Replay.AfterStudiesPage = null;
        Assert.DoesNotContain("full sync #", stopped.Message); // not a failure the run recorded: it could not
        var retry = Assert.Single(ScheduledJobs());
        Assert.Equal((nameof(SyncJobs.RetryAsync), SyncKind.Full.Stored(), 1), (retry.Job.Method.Name, retry.Job.Args[0], retry.Job.Args[2]));
        long runId;
        await using (var db = Database.CreateContext())
        {
            var unfinished = await db.SyncRuns.SingleAsync();
            Assert.Equal(SyncOutcome.Running, unfinished.Outcome);
            Assert.InRange(unfinished.Pages, 1, 2);
            runId = unfinished.Id;
        }

        await RunJobAsync(jobs => jobs.RetryAsync(SyncKind.Full.Stored(), [], 1, CancellationToken.None));

        await using (var db = Database.CreateContext())
        {
            var run = await db.SyncRuns.SingleAsync();
            Assert.Equal((runId, SyncOutcome.Succeeded), (run.Id, run.Outcome));
            Assert.Equal(ExpectedCatalogue().Count, await db.Studies.CountAsync(s => s.IsListed));
        }
    }

    [Fact]
    public async Task The_retries_back_off_and_stop_after_the_last_configured_delay()
    {
        var delays = Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SyncOptions>>().Value.RetryDelaysSeconds;
        Assert.Equal(SyncOptions.DefaultRetryDelaysSeconds, delays);
        await using var otherSync = await SyncLock.TryAcquireAsync(Database.ConnectionString, CancellationToken.None);

        await RunJobAsync(jobs => jobs.RetryAsync(SyncKind.Incremental.Stored(), [], 3, CancellationToken.None));
        await RunJobAsync(jobs => jobs.RetryAsync(SyncKind.Incremental.Stored(), [], delays.Count, CancellationToken.None));

        var retry = Assert.Single(ScheduledJobs());
        Assert.Equal(4, retry.Job.Args[2]);
        Assert.InRange(retry.EnqueueAt - DateTime.UtcNow, TimeSpan.FromSeconds(delays[3] - 30), TimeSpan.FromSeconds(delays[3] + 1));
    }

    [Fact]
    public async Task Reclassification_never_runs_beside_a_sync_and_is_retried_when_one_holds_the_lock()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        await using (var otherSync = await SyncLock.TryAcquireAsync(Database.ConnectionString, CancellationToken.None))
        {
            await Assert.ThrowsAsync<SyncAlreadyRunningException>(() => Host.SendAsync(new ReclassifyStudies.Command()));
            await RunJobAsync(jobs => jobs.ReclassifyAsync(CancellationToken.None));
        }

        var retry = Assert.Single(ScheduledJobs());
        Assert.Equal(nameof(SyncJobs.ReclassifyAsync), retry.Job.Method.Name);
        var result = await Host.SendAsync(new ReclassifyStudies.Command());
        Assert.Equal(ExpectedCatalogue().Count, result.Studies);
    }

    private async Task RunJobAsync(Func<SyncJobs, Task> job)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        await job(scope.ServiceProvider.GetRequiredService<SyncJobs>());
    }

    /// <summary>Opens or closes the test database to new sessions; closing it also ends every open one and waits until they are gone.</summary>
    private void SetConnectionsAllowed(bool allowed)
    {
        using var server = new NpgsqlConnection(TestDatabase.ServerConnectionString);
        server.Open();
        using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{Database.Name}\" ALLOW_CONNECTIONS {allowed}", server))
        {
            alter.ExecuteNonQuery();
        }

        if (allowed)
        {
            return;
        }

        using var terminate = new NpgsqlCommand($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{Database.Name}'", server);
        terminate.ExecuteNonQuery();
        using var remaining = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{Database.Name}'", server);
        for (var attempt = 0; attempt < 100 && (long)remaining.ExecuteScalar()! > 0; attempt++)
        {
            Thread.Sleep(50);
        }
    }

    private List<ScheduledJobDto> ScheduledJobs() =>
        Host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 50).Select(pair => pair.Value).ToList();
}
