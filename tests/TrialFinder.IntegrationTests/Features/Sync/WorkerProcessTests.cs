using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data.Accounts;
using TrialFinder.Data.Bookmarks;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using Xunit.Abstractions;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// The worker as a real separate process (the built TrialFinder.Workers) syncing a generated catalogue of thousands
/// of studies from the registry replay: killed with SIGKILL and restarted, or cut off from its lock while a second
/// worker starts, it leaves exactly what one clean run leaves.
/// </summary>
public sealed class WorkerProcessTests(SyncedScaleCatalogue v1, ITestOutputHelper output) : IClassFixture<SyncedScaleCatalogue>, IAsyncLifetime
{
    private const int Kills = 10;
    private const string SeedVariable = "TF_SIGKILL_SEED";

    private static readonly TimeSpan WorkerTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Statuses = ["RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED", "SUSPENDED", "TERMINATED", "NOT_YET_RECRUITING"];

    private readonly List<TestDatabase> _databases = [];
    private RegistryReplay _replay = null!;

    public async Task InitializeAsync() => _replay = await RegistryReplay.StartAsync(v1.Records.Take(SyncedScaleCatalogue.Studies));

    public async Task DisposeAsync()
    {
        await _replay.DisposeAsync();
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_worker_killed_with_SIGKILL_at_ten_random_points_of_a_full_sync_and_restarted_each_time_ends_like_one_clean_run()
    {
        // Two databases in the same state: catalogue v1 synced, a few changes already seen, one clinician's bookmarks.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = Version2Plan();
        var database = await CopyOfAsync(v1.Database);
        var firstFullRun = v1.Run.RunId;
        var earlier = plan.Changed.Take(3).Concat(plan.Unchanged.Take(2)).ToList();
        var statuses = new Random(SyncedScaleCatalogue.Seed);
        foreach (var id in earlier)
        {
            _replay.Update(id, ScaleCatalog.LastDate, study => ChangeStatus(Protocol(study), statuses));
        }

        using (var host = InProcessHost(database))
        {
            Assert.True((await host.SyncAsync(RunSync.Command.Refresh(earlier))).Succeeded);
        }

        await BookmarkAsync(database, [.. plan.Changed.Take(12), .. plan.Gone.Take(2), .. plan.Unchanged.Take(6)]);
        var clean = await CopyOfAsync(database);
        output.WriteLine($"{clock.Elapsed} v1 copied, changes seen, bookmarked");
        PublishVersion2(plan);

        // Database B: one clean full sync of v2.
        SyncRunSummary cleanRun;
        using (var host = InProcessHost(clean))
        {
            cleanRun = await host.SyncAsync(RunSync.Command.Full());
        }

        Assert.Equal(SyncOutcome.Succeeded, cleanRun.Outcome);
        output.WriteLine($"{clock.Elapsed} clean v2 run done");

        // Database A: the worker process, killed at seeded random points after a page was served (plus a random
        // delay, so that some kills land inside a page's transaction), restarted each time, then left to finish.
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var positions = Enumerable.Range(1, cleanRun.Pages - 1).OrderBy(_ => random.Next()).Take(Kills).Order().ToList();
        var delays = positions.Select(_ => random.Next(0, 400)).ToList();
        output.WriteLine($"SIGKILL seed {seed} (set {SeedVariable} to replay it): the run has {cleanRun.Pages} pages of {SyncedScaleCatalogue.PageSize}; " +
                         $"kills after pages {string.Join(", ", positions.Zip(delays, (p, d) => $"{p} (+{d} ms)"))}");
        Assert.Equal(Kills, positions.Count);
        foreach (var (position, delay) in positions.Zip(delays))
        {
            var committed = await PagesOfRunAfterAsync(database, firstFullRun);
            await KillAfterPageAsync(database, Math.Max(1, position - committed), TimeSpan.FromMilliseconds(delay));
            output.WriteLine($"{clock.Elapsed} killed after page {position} (+{delay} ms): the run had {committed} pages before, {await PagesOfRunAfterAsync(database, firstFullRun)} after");
        }

        await using (var finisher = StartWorker(database, "sync", "--full"))
        {
            Assert.True(await finisher.WaitForExitAsync(WorkerTimeout) == 0, finisher.ToString());
            Assert.Matches($"full sync #\\d+ {SyncOutcome.Succeeded.Stored()}", finisher.StandardOutput);
        }

        output.WriteLine($"{clock.Elapsed} finished");
        var expected = await StoredCatalogue.ReadAsync(clean.ConnectionString);
        var actual = await StoredCatalogue.ReadAsync(database.ConnectionString);
        output.WriteLine($"clean run: {expected}; killed and restarted: {actual}");
        StoredCatalogue.AssertSame(expected, actual);
        output.WriteLine($"{clock.Elapsed} compared");

        await using (var db = database.CreateContext())
        {
            // One run, resumed after each kill, with the counters of a run that was never interrupted.
            var run = await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Kind == SyncKind.Full && r.Id > firstFullRun);
            Assert.Equal(
                (SyncOutcome.Succeeded, cleanRun.Pages, cleanRun.Seen, cleanRun.Inserted, cleanRun.Updated, cleanRun.Unchanged, cleanRun.Delisted, cleanRun.Failed),
                (run.Outcome, run.Pages, run.Seen, run.Inserted, run.Updated, run.Unchanged, run.Delisted, run.Failed));
            Assert.Empty(await db.SyncRunSightings.ToListAsync());
        }

        // The comparison is not vacuous: v2 brought news to the bookmarks, new studies, and first misses.
        Assert.Equal((SyncedScaleCatalogue.NewInVersion2, 0), (cleanRun.Inserted, cleanRun.Delisted));
        Assert.True(cleanRun.Updated >= plan.Changed.Count, $"{cleanRun.Updated} updated");
        // Bookmarks of the 12 changed studies have news; those of studies changed only before they were bookmarked, or
        // missed once, have none.
        Assert.Equal(12, expected.BookmarkBadges.Count(b => !b.Contains(": 0 new", StringComparison.Ordinal)));
        Assert.Equal(plan.Gone.Count, expected.Studies.Count(s => s.Contains("misses=1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_worker_whose_lock_connection_dropped_exits_without_writing_and_a_second_worker_process_resumes_the_run_alone()
    {
        var database = await NewDatabaseAsync();
        _replay.PageDelay = TimeSpan.FromSeconds(1);
        await using var first = StartWorker(database, "sync", "--full");
        await WaitUntilAsync(async () => await PagesOfRunAfterAsync(database, 0) >= 3, first, "the first worker to write three pages");

        // Drop the lock while the first worker waits for its next page with every page it received written (no page
        // transaction open): the slow registry makes it write each page before it waits for the one it asked for.
        var requests = _replay.StudiesRequests;
        await WaitUntilAsync(async () => _replay.StudiesRequests > requests && await PagesOfRunAfterAsync(database, 0) >= _replay.StudiesRequests - 1,
            first, "the first worker to write every page it received and wait for the next");
        await DropLockConnectionAsync(database);
        var atDrop = await RunAsync(database);
        _replay.PageDelay = TimeSpan.Zero;
        await using var second = StartWorker(database, "sync", "--full");

        var observations = new List<(int Pages, Guid Lease)>();
        var bothEnded = Task.WhenAll(first.Exited, second.Exited);
        while (!bothEnded.IsCompleted)
        {
            var now = await RunAsync(database);
            observations.Add((now.Pages, now.Lease));
            await Task.WhenAny(bothEnded, Task.Delay(20));
        }

        var firstExit = await first.WaitForExitAsync(WorkerTimeout);
        var secondExit = await second.WaitForExitAsync(WorkerTimeout);
        Assert.True(firstExit != 0, first.ToString());
        Assert.Contains("lock was lost", first.StandardOutput + first.StandardError);
        Assert.True(secondExit == 0, second.ToString());
        Assert.Contains($"Resuming full sync run {atDrop.Id} after page {atDrop.Pages} ", second.StandardError);
        Assert.Matches($"full sync #{atDrop.Id} {SyncOutcome.Succeeded.Stored()}", second.StandardOutput);
        output.WriteLine($"lock dropped at page {atDrop.Pages}; {observations.Count} observations of the run while both workers ran");

        // Every page after the drop was written under the second worker's lease.
        var final = await RunAsync(database);
        Assert.NotEqual(atDrop.Lease, final.Lease);
        Assert.All(observations.Where(o => o.Pages > atDrop.Pages), o => Assert.NotEqual(atDrop.Lease, o.Lease));
        Assert.All(observations.Where(o => o.Lease == atDrop.Lease), o => Assert.Equal(atDrop.Pages, o.Pages));

        // The clean run: the fixture's in-process full sync of the same catalogue into a new database.
        StoredCatalogue.AssertSame(await StoredCatalogue.ReadAsync(v1.Database.ConnectionString), await StoredCatalogue.ReadAsync(database.ConnectionString));
        await using var db = database.CreateContext();
        var run = await db.SyncRuns.AsNoTracking().SingleAsync();
        Assert.Equal(
            (SyncOutcome.Succeeded, v1.Run.Pages, v1.Run.Seen, v1.Run.Inserted),
            (run.Outcome, run.Pages, run.Seen, run.Inserted));
    }

    /// <summary>
    /// Starts <c>sync --full</c> and SIGKILLs it <paramref name="delay"/> after the replay served its n-th page. The
    /// replay holds back any later page until the process is dead, so the kill lands within that window.
    /// </summary>
    private async Task KillAfterPageAsync(TestDatabase database, int nthPage, TimeSpan delay)
    {
        var target = _replay.StudiesRequests + nthPage;
        var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dead = new ManualResetEventSlim();
        _replay.AfterStudiesPage = number =>
        {
            if (number == target)
            {
                served.TrySetResult();
            }
            else if (number > target)
            {
                dead.Wait(TimeSpan.FromSeconds(30));
            }
        };
        try
        {
            await using var worker = StartWorker(database, "sync", "--full");
            var first = await Task.WhenAny(served.Task, worker.Exited, Task.Delay(WorkerTimeout));
            Assert.True(first == served.Task, $"The worker ended or stalled before its page {nthPage} was served:\n{worker}");
            await Task.Delay(delay);
            worker.Kill();
            await worker.Exited;
        }
        finally
        {
            dead.Set();
            _replay.AfterStudiesPage = null;
        }

        // The server ends a killed client's sessions, and with them its lock, as soon as it notices the closed sockets.
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        for (var attempt = 0; await SyncLock.IsHeldAsync(connection, CancellationToken.None); attempt++)
        {
            Assert.True(attempt < 300, "The killed worker's sync lock was never released.");
            await Task.Delay(100);
        }
    }

    private WorkerProcess StartWorker(TestDatabase database, params string[] verb) =>
        WorkerProcess.Start([.. verb, .. WorkerProcess.Settings(database.ConnectionString, _replay, SyncedScaleCatalogue.PageSize)]);

    private SyncHost InProcessHost(TestDatabase database) =>
        SyncHost.Create(database, _replay, pageSize: SyncedScaleCatalogue.PageSize, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);

    private async Task<TestDatabase> NewDatabaseAsync()
    {
        var database = new TestDatabase();
        _databases.Add(database);
        await database.InitializeAsync();
        return database;
    }

    private async Task<TestDatabase> CopyOfAsync(TestDatabase source)
    {
        var copy = await TestDatabase.CopyOfAsync(source);
        _databases.Add(copy);
        return copy;
    }

    private sealed record Plan(IReadOnlyList<string> Changed, IReadOnlyList<string> Gone, IReadOnlyList<string> Unchanged);

    /// <summary>Which studies version 2 of the registry changes (150) and drops (10); the same every run.</summary>
    private static Plan Version2Plan()
    {
        var random = new Random(SyncedScaleCatalogue.Seed);
        var ids = Enumerable.Range(0, SyncedScaleCatalogue.Studies).Select(ScaleCatalog.NctIdAt).OrderBy(_ => random.Next()).ToList();
        return new Plan(ids[..150], ids[150..160], ids[160..]);
    }

    /// <summary>
    /// Version 2: statuses changed, sites opened and closed, site statuses changed, new age limits (each marked
    /// updated today), 30 new studies, 10 studies gone.
    /// </summary>
    private void PublishVersion2(Plan plan)
    {
        var random = new Random(SyncedScaleCatalogue.Seed + 1);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < plan.Changed.Count; i++)
        {
            var variant = i % 5;
            _replay.Update(plan.Changed[i], today, study =>
            {
                var protocol = Protocol(study);
                if (variant is 0 or 4)
                {
                    ChangeStatus(protocol, random);
                }

                if (variant is 1 or 4)
                {
                    var locations = Locations(protocol);
                    if (locations.Count > 0)
                    {
                        locations.RemoveAt(random.Next(locations.Count));
                    }

                    locations.Add(new JsonObject
                    {
                        ["facility"] = "Site opened in version 2", ["status"] = "RECRUITING", ["city"] = "Lyon", ["country"] = "France",
                        ["geoPoint"] = new JsonObject { ["lat"] = 45.7485, ["lon"] = 4.8467 },
                    });
                }

                if (variant is 2)
                {
                    var locations = Locations(protocol);
                    foreach (var site in locations.Take(2).Select(l => l!.AsObject()))
                    {
                        site["status"] = (string?)site["status"] == "RECRUITING" ? "COMPLETED" : "RECRUITING";
                    }
                }

                if (variant is 3)
                {
                    if (protocol["eligibilityModule"] is not JsonObject eligibility)
                    {
                        protocol["eligibilityModule"] = eligibility = new JsonObject();
                    }

                    eligibility["minimumAge"] = $"{random.Next(1, 12)} Months";
                    eligibility["maximumAge"] = $"{random.Next(19, 40)} Years";
                }
            });
        }

        foreach (var record in v1.Records.Skip(SyncedScaleCatalogue.Studies))
        {
            _replay.Put(record);
        }

        foreach (var id in plan.Gone)
        {
            _replay.Remove(id);
        }
    }

    private static void ChangeStatus(JsonObject protocol, Random random)
    {
        var status = protocol["statusModule"]!.AsObject();
        var current = (string?)status["overallStatus"];
        var others = Statuses.Where(s => s != current).ToList();
        status["overallStatus"] = others[random.Next(others.Count)];
    }

    private static JsonArray Locations(JsonObject protocol)
    {
        if (protocol["contactsLocationsModule"] is not JsonObject module)
        {
            protocol["contactsLocationsModule"] = module = new JsonObject();
        }

        if (module["locations"] is not JsonArray locations)
        {
            module["locations"] = locations = [];
        }

        return locations;
    }

    private static JsonObject Protocol(JsonObject study) => study["protocolSection"]!.AsObject();

    /// <summary>A clinician's bookmarks, inserted as the site does it: news are the changes after the newest one existing now.</summary>
    private static async Task BookmarkAsync(TestDatabase database, IReadOnlyList<string> nctIds)
    {
        await using var db = database.CreateContext();
        var newestChange = await db.StudyChanges.MaxAsync(c => (long?)c.Id) ?? 0;
        Assert.True(newestChange > 0, "some changes exist before the bookmarks, and must not count as news");
        var now = DateTimeOffset.UtcNow;
        var user = new UserAccount { UserName = "dr.okafor@example.org", Email = "dr.okafor@example.org", EmailConfirmed = true, CreatedAt = now };
        db.Users.Add(user);
        db.Bookmarks.AddRange(nctIds.Select(id => new Bookmark
        {
            UserId = user.Id, NctId = id, CreatedAt = now, SeenAt = now, BookmarkedAtChangeId = newestChange, SeenUpToChangeId = newestChange,
        }));
        await db.SaveChangesAsync();
    }

    private static async Task<int> PagesOfRunAfterAsync(TestDatabase database, long runId)
    {
        await using var db = database.CreateContext();
        return await db.SyncRuns.Where(r => r.Kind == SyncKind.Full && r.Id > runId).Select(r => r.Pages).FirstOrDefaultAsync();
    }

    private static async Task<SyncRun> RunAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.SyncRuns.AsNoTracking().SingleAsync();
    }

    /// <summary>Ends the lock's database session and waits until the server has let go of it (termination is asynchronous).</summary>
    private static async Task DropLockConnectionAsync(TestDatabase database)
    {
        const string LockSessions = "FROM pg_stat_activity WHERE application_name = 'TrialFinder sync lock' AND datname = current_database()";
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var terminate = new NpgsqlCommand($"SELECT count(pg_terminate_backend(pid)) {LockSessions}", connection))
        {
            Assert.Equal(1L, await terminate.ExecuteScalarAsync());
        }

        await using var remaining = new NpgsqlCommand($"SELECT count(*) {LockSessions}", connection);
        for (var attempt = 0; (long)(await remaining.ExecuteScalarAsync())! > 0; attempt++)
        {
            Assert.True(attempt < 200, "The lock's session was still there 10 s after it was terminated.");
            await Task.Delay(50);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, WorkerProcess worker, string what)
    {
        using var deadline = new CancellationTokenSource(WorkerTimeout);
        while (!await condition())
        {
            Assert.False(worker.HasExited, $"The worker ended while waiting for {what}:\n{worker}");
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting for {what}:\n{worker}");
            await Task.Delay(10);
        }
    }
}

/// <summary>
/// Catalogue v1 of <see cref="WorkerProcessTests"/>: 2,000 generated studies (and the 30 that version 2 adds), synced
/// once in process into a database the tests copy or compare with.
/// </summary>
public sealed class SyncedScaleCatalogue : IAsyncLifetime
{
    public const int Studies = 2_000;
    public const int NewInVersion2 = 30;
    public const int PageSize = 100;
    public const int Seed = 9;

    public IReadOnlyList<StudyRecord> Records { get; private set; } = [];
    public TestDatabase Database { get; } = new();
    public SyncRunSummary Run { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Records = [.. ScaleCatalog.Generate(Studies + NewInVersion2, Seed)];
        await Database.InitializeAsync();
        await using var replay = await RegistryReplay.StartAsync(Records.Take(Studies));
        using var host = SyncHost.Create(Database, replay, pageSize: PageSize, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);
        Run = await host.SyncAsync(RunSync.Command.Full());
        Assert.True(Run.Succeeded, Run.ToString());
    }

    public Task DisposeAsync() => Database.DisposeAsync();
}
