using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// Only the holder of the sync lock writes a run: a worker whose lock connection dropped, or whose run another
/// worker took over, fails its next page instead of writing beside the new holder.
/// </summary>
public sealed class FencingTests : SyncTestBase
{
    private readonly TestDatabase _cleanDatabase = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _cleanDatabase.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await _cleanDatabase.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_worker_whose_lock_connection_dropped_writes_no_further_page_and_the_second_worker_finishes_the_run()
    {
        var pagesAtDrop = -1;
        using var dropped = new ManualResetEventSlim();
        Replay.AfterStudiesPage = page =>
        {
            if (page == 3)
            {
                DropLockConnections();
                pagesAtDrop = PagesCommitted();
                dropped.Set();
            }
        };

        var first = await Host.SyncAsync(RunSync.Command.Full());
        // The worker may notice the lost lock while committing an earlier page and stop before the replay has
        // answered the page it was fetching ahead, whose handler is the one that dropped the lock.
        Assert.True(dropped.Wait(TimeSpan.FromSeconds(30)), "the lock was dropped");

        Assert.Equal(SyncOutcome.Failed, first.Outcome);
        Assert.Contains("lock was lost", first.Message);
        // A page whose transaction had checked the lock just before it was dropped may still commit (the lease, not the
        // lock, fences a worker that was taken over: see the next test); nothing after that one.
        Assert.InRange(PagesWritten(), pagesAtDrop, pagesAtDrop + 1);
        await using (var db = Database.CreateContext())
        {
            // It did not even record its own failure: the run is left for whoever holds the lock next.
            Assert.Equal(SyncOutcome.Running, (await db.SyncRuns.SingleAsync()).Outcome);
        }

        Replay.AfterStudiesPage = null;
        using var secondWorker = SyncHost.Create(Database, Replay);
        var second = await secondWorker.SyncAsync(RunSync.Command.Full());

        Assert.Equal((first.RunId, SyncOutcome.Succeeded), (second.RunId, second.Outcome));
        await AssertSameAsCleanRunAsync();
    }

    [Fact]
    public async Task A_worker_whose_run_was_taken_over_fails_its_next_page_and_never_overwrites_the_new_holders_run()
    {
        var stolenLease = Guid.NewGuid();
        var pagesAtTakeOver = -1;
        Replay.AfterStudiesPage = page =>
        {
            if (page == 2)
            {
                // One statement, so the count is the one at the take-over: a page commit in flight holds the row until
                // it ends, and any later one finds the lease changed.
                pagesAtTakeOver = Scalar($"UPDATE sync_runs SET lease = '{stolenLease}', message = 'taken over' RETURNING pages");
            }
        };

        var first = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Failed, first.Outcome);
        Assert.Contains("taken over by another worker", first.Message);
        await using var db = Database.CreateContext();
        var run = await db.SyncRuns.AsNoTracking().SingleAsync();
        Assert.Equal((stolenLease, "taken over", SyncOutcome.Running), (run.Lease, run.Message, run.Outcome));
        Assert.Equal(pagesAtTakeOver, run.Pages);
    }

    [Fact]
    public async Task The_admin_status_probe_reads_pg_locks_and_never_takes_the_lock()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        Assert.False(await SyncLock.IsHeldAsync(connection, CancellationToken.None));

        await using (var held = await SyncLock.TryAcquireAsync(Database.ConnectionString, CancellationToken.None))
        {
            Assert.NotNull(held);
            Assert.True(await SyncLock.IsHeldAsync(connection, CancellationToken.None));
            Assert.Null(await SyncLock.TryAcquireAsync(Database.ConnectionString, CancellationToken.None));
        }

        // Probing while a worker tries to start: with a probe that took the lock, some starts would be refused.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var probes = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                await SyncLock.IsHeldAsync(connection, stop.Token);
            }
        });
        var refused = 0;
        for (var i = 0; i < 150; i++)
        {
            await using var attempt = await SyncLock.TryAcquireAsync(Database.ConnectionString, stop.Token);
            refused += attempt is null ? 1 : 0;
        }

        await probes;
        Assert.Equal(0, refused);
    }

    private int PagesWritten()
    {
        using var db = Database.CreateContext();
        return db.SyncRuns.AsNoTracking().Select(r => r.Pages).SingleOrDefault();
    }

    /// <summary>Ends the lock's database session and waits until the server has let go of it (termination is asynchronous).</summary>
    private void DropLockConnections()
    {
        const string LockSessions = "FROM pg_stat_activity WHERE application_name = 'TrialFinder sync lock' AND datname = current_database()";
        Execute($"SELECT pg_terminate_backend(pid) {LockSessions}");
        using var connection = new NpgsqlConnection(Database.ConnectionString);
        connection.Open();
        using var remaining = new NpgsqlCommand($"SELECT count(*) {LockSessions}", connection);
        for (var attempt = 0; attempt < 100 && (long)remaining.ExecuteScalar()! > 0; attempt++)
        {
            Thread.Sleep(50);
        }
    }

    /// <summary>The run's pages once any page commit in flight has ended (it holds the run's row until then).</summary>
    private int PagesCommitted() => Scalar("SELECT pages FROM sync_runs FOR UPDATE");

    private int Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(Database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Database.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private async Task AssertSameAsCleanRunAsync()
    {
        using var cleanHost = SyncHost.Create(_cleanDatabase, Replay);
        Assert.True((await cleanHost.SyncAsync(RunSync.Command.Full())).Succeeded);
        CatalogState.AssertSame(await CatalogState.ReadAsync(_cleanDatabase), await CatalogState.ReadAsync(Database));
    }
}
