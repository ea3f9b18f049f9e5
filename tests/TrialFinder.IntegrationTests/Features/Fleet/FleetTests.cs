using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Notifications;
using TrialFinder.Sync.Syncing;
using TrialFinder.Testing;
using TrialFinder.Workers;
using Xunit.Abstractions;

namespace TrialFinder.IntegrationTests.Features.Fleet;

/// <summary>
/// Many workers, one catalogue: three built worker processes (Hangfire servers) and two built site processes on one
/// database, the registry replay serving a generated catalogue. Syncs, NCT refreshes, a re-classification and the
/// digest are started through both sites' admin routes and straight through Hangfire (as the recurring schedules do),
/// and the worker that runs a sync is SIGKILLed. Every job runs once, syncs never overlap, another worker resumes the
/// killed worker's run from its checkpoint once Hangfire's invisibility timeout lets it take the job, and both sites
/// answer alike and accept each other's sign-in cookie (data-protection keys in the database).
/// </summary>
public sealed partial class FleetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Studies = 600;
    private const int PageSize = 50;
    private const int Seed = 14;
    private const int InvisibilityTimeoutSeconds = 15;
    private const string Never = "0 0 1 1 *";
    private const string AdminEmail = "ops@example.org";

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly string[] Statuses = ["RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED", "SUSPENDED", "TERMINATED", "NOT_YET_RECRUITING"];

    private readonly TestDatabase _database = new();
    private readonly List<(WorkerProcess Process, int HealthPort)> _workers = [];
    private readonly List<(WorkerProcess Process, Uri Url)> _sites = [];
    private readonly List<string> _overlaps = [];
    private readonly CancellationTokenSource _stopWatching = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private RegistryReplay _replay = null!;
    private IHost _jobClient = null!;
    private Task _watcher = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(Studies, Seed));
        _jobClient = WorkerHost.CreateBuilder([$"--ConnectionStrings:TrialFinder={_database.ConnectionString}"], withJobServer: false).Build();
    }

    public async Task DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        await Task.WhenAny(_watcher);
        foreach (var process in _workers.Select(w => w.Process).Concat(_sites.Select(s => s.Process)))
        {
            await process.DisposeAsync();
        }

        _jobClient?.Dispose();
        await _replay.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Three_workers_and_two_sites_on_one_database_run_each_job_once_never_overlap_syncs_resume_a_killed_workers_sync_and_serve_alike()
    {
        // Five processes, started together.
        for (var i = 0; i < 3; i++)
        {
            StartWorker();
        }

        StartSite();
        StartSite();
        await Task.WhenAll(_sites.Select(s => WaitForOkAsync(s.Url, "/healthz", s.Process))
            .Concat(_workers.Select(w => WaitForOkAsync(new Uri($"http://127.0.0.1:{w.HealthPort}"), "/readyz", w.Process))));
        Log("3 workers and 2 sites answer their probes");
        _watcher = WatchForOverlappingSyncsAsync(_stopWatching.Token);

        // An admin signs in on site A; the same cookie is accepted by site B.
        var password = await CreateAdminAsync();
        var (siteA, siteB) = (_sites[0].Url, _sites[1].Url);
        var onA = Session(siteA, new CookieContainer());
        var signIn = await onA.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = AdminEmail, ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var anonymousOnB = Session(siteB, new CookieContainer());
        Assert.Equal(HttpStatusCode.Redirect, (await anonymousOnB.Client.GetAsync("/admin")).StatusCode);
        var cookiesB = new CookieContainer();
        cookiesB.Add(siteB, onA.Cookies!.GetCookies(siteA));
        var onB = Session(siteB, cookiesB);
        var adminOnB = await onB.Client.GetAsync("/admin");
        Assert.True(adminOnB.StatusCode == HttpStatusCode.OK, $"site B refused site A's sign-in cookie: {(int)adminOnB.StatusCode} {adminOnB.Headers.Location}");

        // Phase 1, through the admin routes: a full sync started on site A, then an NCT refresh started on site B.
        await AdminPostAsync(onA, "/admin/sync/full");
        await WaitForRunsAsync(SyncKind.Full, 1);
        var refreshed = new[] { ScaleCatalog.NctIdAt(3), ScaleCatalog.NctIdAt(77) };
        await AdminPostAsync(onB, "/admin/sync/refresh", new() { ["nctIds"] = string.Join(' ', refreshed) });
        await WaitForRunsAsync(SyncKind.Refresh, 1);
        Log("phase 1: full sync (site A) and refresh (site B) done");

        // Phase 2: a full sync started on site B, its worker SIGKILLed after a few pages; another worker resumes it.
        var changedBeforeKill = ChangeStatuses(Enumerable.Range(100, 10));
        _replay.PageDelay = TimeSpan.FromMilliseconds(250);
        await AdminPostAsync(onB, "/admin/sync/full");
        var killedRun = await WaitForAsync(async () => (await RunsAsync(SyncKind.Full)).ElementAtOrDefault(1) is { Pages: >= 3 } run ? run : null,
            "the second full sync to write three pages");
        var runner = await WaitForAsync(() => Task.FromResult<WorkerProcess?>(_workers.Select(w => w.Process).FirstOrDefault(w => w.StandardError.Contains(
            $"sync run {killedRun.Id}: page ", StringComparison.Ordinal))), "the worker running the sync to be known");
        runner.Kill();
        await runner.Exited;
        var killedAt = _clock.Elapsed;
        _replay.PageDelay = TimeSpan.Zero;
        Log($"phase 2: killed worker pid {runner.Id} running full sync #{killedRun.Id} after page {killedRun.Pages}");
        var resumed = await WaitForAsync(async () => (await RunAsync(killedRun.Id)) is { } run && run.Lease != killedRun.Lease ? run : null,
            "another worker to take the killed worker's run over");
        var resumedAfter = _clock.Elapsed - killedAt;
        var finished = await WaitForAsync(async () => (await RunAsync(killedRun.Id)) is { Outcome: SyncOutcome.Succeeded } run ? run : null,
            "the resumed run to succeed");
        Log($"phase 2: run #{killedRun.Id} taken over {resumedAfter.TotalSeconds:0.0} s after the kill, succeeded {(_clock.Elapsed - killedAt).TotalSeconds:0.0} s after it");
        Assert.True(resumedAfter < TimeSpan.FromSeconds(InvisibilityTimeoutSeconds + 20),
            $"the run was taken over {resumedAfter} after the kill; Hangfire:InvisibilityTimeoutSeconds is {InvisibilityTimeoutSeconds}");
        var resumer = _workers.Select(w => w.Process).Single(w => w != runner && w.StandardError.Contains(
            $"Resuming full sync run {killedRun.Id} after page ", StringComparison.Ordinal));
        Assert.Equal((Studies, changedBeforeKill.Count, 0), (finished.Seen, finished.Updated, finished.Inserted));

        // Phase 3: everything at once — two full syncs, two incremental, two refreshes and the digest through Hangfire
        // (as schedules and retries enqueue them), a re-classification through site A's admin route.
        var changedInBarrage = ChangeStatuses(Enumerable.Range(300, 20));
        var jobs = _jobClient.Services.GetRequiredService<IBackgroundJobClient>();
        var barrage = new List<string>
        {
            jobs.Enqueue<SyncJobs>(j => j.RunFullAsync(CancellationToken.None)),
            jobs.Enqueue<SyncJobs>(j => j.RunIncrementalAsync(CancellationToken.None)),
            jobs.Enqueue<SyncJobs>(j => j.RefreshAsync(new[] { ScaleCatalog.NctIdAt(300), ScaleCatalog.NctIdAt(5) }, CancellationToken.None)),
            jobs.Enqueue<DailyDigestJob>(j => j.SendAsync(CancellationToken.None)),
            jobs.Enqueue<SyncJobs>(j => j.RunFullAsync(CancellationToken.None)),
            jobs.Enqueue<SyncJobs>(j => j.RunIncrementalAsync(CancellationToken.None)),
            jobs.Enqueue<SyncJobs>(j => j.RefreshAsync(new[] { ScaleCatalog.NctIdAt(301) }, CancellationToken.None)),
        };
        await AdminPostAsync(onA, "/admin/reclassify");
        await WaitForAsync(async () => await UnfinishedJobsAsync() == 0 && (await RunsAsync(null)).All(r => r.Outcome != SyncOutcome.Running) ? "" : null,
            "every job to finish");
        Log($"phase 3: {barrage.Count} jobs enqueued at once and a re-classification, all finished");
        await _stopWatching.CancelAsync();
        await _watcher;

        // Every job ran once (the killed worker's job twice: on it, then on the worker that resumed it) and succeeded.
        var history = await JobHistoryAsync();
        Assert.All(history, job => Assert.True(job.State == "Succeeded", $"job {job.Id} ({job.Method}) ended {job.State}"));
        var killedJob = Assert.Single(history, job => job.ProcessedBy.Count > 1);
        Assert.Equal(new[] { runner.Id, resumer.Id }, killedJob.ProcessedBy);
        Assert.All(history.Where(job => job != killedJob), job => Assert.True(job.ProcessedBy.Count == 1,
            $"job {job.Id} ({job.Method}) was processed by {job.ProcessedBy.Count} workers"));
        Assert.All(barrage, id => Assert.Contains(history, job => job.Id == id));
        Assert.Contains(history, job => job.Method == "ReclassifyAsync");
        Assert.Contains(history, job => job.Method == "SendAsync");
        var workedOn = history.SelectMany(job => job.ProcessedBy).Distinct().Count();
        Log($"{history.Count} jobs in all (retries of busy syncs included), processed by {workedOn} worker processes");

        // Each sync started ran to success once, one after the other.
        var runs = await RunsAsync(null);
        Assert.All(runs, run => Assert.Equal(SyncOutcome.Succeeded, run.Outcome));
        Assert.Equal((4, 2, 3), (runs.Count(r => r.Kind == SyncKind.Full), runs.Count(r => r.Kind == SyncKind.Incremental), runs.Count(r => r.Kind == SyncKind.Refresh)));
        var ordered = runs.OrderBy(r => r.StartedAt).ToList();
        foreach (var (earlier, later) in ordered.Zip(ordered.Skip(1)))
        {
            Assert.True(earlier.FinishedAt <= later.StartedAt,
                $"sync #{earlier.Id} ({earlier.Kind}, {earlier.StartedAt:O} to {earlier.FinishedAt:O}) overlaps #{later.Id} ({later.Kind}, from {later.StartedAt:O})");
        }

        Assert.Empty(_overlaps);

        // Each change the registry published was recorded once, whichever of the syncs saw it first.
        await using (var db = _database.CreateContext())
        {
            var statusChanges = await db.StudyChanges.Where(c => c.Kind == StudyChangeKinds.OverallStatus)
                .GroupBy(c => c.NctId).Select(g => new { NctId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.NctId, g => g.Count);
            Assert.All(changedBeforeKill.Concat(changedInBarrage), id => Assert.Equal(1, statusChanges.GetValueOrDefault(id)));
            Assert.Equal(Studies, await db.Studies.CountAsync());
        }

        // Both sites serve the same catalogue.
        foreach (var query in new[]
                 {
                     "/api/trials?pageSize=100", "/api/trials?disease=neuroblastoma&status=SUSPENDED&pageSize=100",
                     "/api/trials?near=Lyon&radiusKm=500&sort=distance", $"/api/trials/{changedInBarrage[0]}",
                 })
        {
            var fromA = await anonymousOnB.Client.GetStringAsync(new Uri(siteA, query));
            var fromB = await anonymousOnB.Client.GetStringAsync(new Uri(siteB, query));
            Assert.Equal(fromA, fromB);
            Assert.Contains("NCT9", fromA, StringComparison.Ordinal);
        }

        Log("both sites answer alike");
    }

    private void StartWorker()
    {
        var port = FreePort();
        var process = WorkerProcess.Start(
        [
            "serve", .. WorkerProcess.Settings(_database.ConnectionString, _replay, PageSize),
            "--Hangfire:SchedulePollingIntervalSeconds=1", "--Hangfire:QueuePollIntervalSeconds=1",
            $"--Hangfire:InvisibilityTimeoutSeconds={InvisibilityTimeoutSeconds}",
            .. Enumerable.Range(0, 60).Select(i => $"--Sync:RetryDelaysSeconds:{i}=1"),
            $"--Sync:IncrementalCron={Never}", $"--Sync:FullCron={Never}", $"--Notifications:DigestCron={Never}",
            $"--Worker:HealthUrl=http://127.0.0.1:{port}",
            "--Logging:LogLevel:Hangfire=Warning",
        ]);
        _workers.Add((process, port));
    }

    private void StartSite()
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var process = WorkerProcess.StartSite(
        [
            $"--urls={url}", $"--ConnectionStrings:TrialFinder={_database.ConnectionString}",
            $"--Site:BaseUrl={(_sites.Count == 0 ? url : _sites[0].Url)}", "--Logging:Console:FormatterName=simple",
            "--Logging:LogLevel:Default=Warning", .. WebTestHost.RateLimitSettings.Select(s => $"--{s}={WebTestHost.Unlimited}"),
        ]);
        _sites.Add((process, url));
    }

    private static WebSession Session(Uri site, CookieContainer cookies) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = site }) { Cookies = cookies };

    private async Task<string> CreateAdminAsync()
    {
        var run = await ProgramRun.DotnetAsync(ProgramRun.WorkerOutputFolder,
            [Path.Combine(ProgramRun.WorkerOutputFolder, "TrialFinder.Workers.dll"), "create-admin", "--email", AdminEmail,
             $"--ConnectionStrings:TrialFinder={_database.ConnectionString}", "--Logging:LogLevel:Default=Warning"]);
        var password = GeneratedPassword().Match(run.StandardOutput);
        Assert.True(run.ExitCode == 0 && password.Success, run.ToString());
        return password.Groups[1].Value;
    }

    private static async Task AdminPostAsync(WebSession session, string action, Dictionary<string, string>? fields = null)
    {
        var response = await session.PostFormAsync("/admin", action, fields ?? []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await session.Client.GetStringAsync("/admin");
        Assert.Contains("enqueued as job", page, StringComparison.Ordinal);
    }

    /// <summary>Changes the overall status of the studies at these positions (posted today); returns their ids.</summary>
    private List<string> ChangeStatuses(IEnumerable<int> positions)
    {
        var ids = positions.Select(ScaleCatalog.NctIdAt).ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            _replay.Update(id, today, study =>
            {
                var status = study["protocolSection"]!["statusModule"]!.AsObject();
                var others = Statuses.Where(s => s != (string?)status["overallStatus"]).ToList();
                status["overallStatus"] = JsonValue.Create(others[i % others.Count]);
            });
        }

        return ids;
    }

    /// <summary>Waits for that many successful runs of the kind and for Hangfire to have finished every job (the admin routes refuse a sync while one is queued or processing).</summary>
    private async Task WaitForRunsAsync(SyncKind kind, int succeeded) =>
        await WaitForAsync(async () => (await RunsAsync(kind)).Count(r => r.Outcome == SyncOutcome.Succeeded) >= succeeded && await UnfinishedJobsAsync() == 0 ? "" : null,
            $"{succeeded} {kind.Stored()} sync(s) to succeed");

    private async Task<List<SyncRun>> RunsAsync(SyncKind? kind)
    {
        await using var db = _database.CreateContext();
        return await db.SyncRuns.AsNoTracking().Where(r => kind == null || r.Kind == kind).OrderBy(r => r.Id).ToListAsync();
    }

    private async Task<SyncRun?> RunAsync(long id)
    {
        await using var db = _database.CreateContext();
        return await db.SyncRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id);
    }

    private async Task<long> UnfinishedJobsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE statename IS NULL OR statename NOT IN ('Succeeded', 'Failed', 'Deleted')", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed record JobRecord(string Id, string Method, string State, List<int> ProcessedBy);

    /// <summary>Every Hangfire job: its method, final state and the worker processes (pids) that took it to Processing.</summary>
    private async Task<List<JobRecord>> JobHistoryAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT j.id::text, j.invocationdata::text, j.statename,
                   array(SELECT s.data::text FROM hangfire.state s WHERE s.jobid = j.id AND s.name = 'Processing' ORDER BY s.id)
            FROM hangfire.job j ORDER BY j.id
            """, connection);
        var jobs = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var method = (string?)JsonNode.Parse(reader.GetString(1))?["Method"] ?? "?";
            var servers = reader.GetFieldValue<string[]>(3)
                .Select(data => ServerPid().Match(data))
                .Select(match => match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1)
                .ToList();
            jobs.Add(new JobRecord(reader.GetString(0), method, reader.GetString(2), servers));
        }

        return jobs;
    }

    /// <summary>Samples the database every 20 ms: never more than one sync run in progress, never more than one lock holder.</summary>
    private async Task WatchForOverlappingSyncsAsync(CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM sync_runs WHERE outcome = 'running'),
                   (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'TrialFinder sync lock' AND datname = current_database()
                      AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted))
            """, connection);
        while (!stop.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                await reader.ReadAsync(CancellationToken.None);
                var (running, holders) = (reader.GetInt64(0), reader.GetInt64(1));
                if (running > 1 || holders > 1)
                {
                    _overlaps.Add($"{_clock.Elapsed}: {running} runs in progress, {holders} lock holders");
                }
            }

            await Task.WhenAny(Task.Delay(20, stop));
        }
    }

    private async Task WaitForOkAsync(Uri site, string path, WorkerProcess process)
    {
        using var http = new HttpClient { BaseAddress = site, Timeout = TimeSpan.FromSeconds(5) };
        await WaitForAsync(async () =>
        {
            Assert.False(process.HasExited, $"pid {process.Id} ended before answering {path}:\n{process}");
            try
            {
                return (await http.GetAsync(path)).StatusCode == HttpStatusCode.OK ? "" : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
            catch (TaskCanceledException)
            {
                return null;
            }
        }, $"{site}{path.TrimStart('/')} to answer 200");
    }

    private async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var deadline = _clock.Elapsed + Deadline;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (_clock.Elapsed > deadline)
            {
                Assert.Fail($"Timed out after {Deadline} waiting for {what}.\n" + string.Join("\n", _workers.Select(w =>
                    $"--- worker pid {w.Process.Id} (exited: {w.Process.HasExited}) stderr tail:\n{Tail(w.Process.StandardError)}")));
            }

            await Task.Delay(100);
        }
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(25));

    private void Log(string message) => output.WriteLine($"{_clock.Elapsed:mm\\:ss\\.f} {message}");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Generated password \(shown once, change it after signing in\): (\S+)")]
    private static partial Regex GeneratedPassword();

    [GeneratedRegex(@"trialfinder-worker:[^:""]*:(\d+)")]
    private static partial Regex ServerPid();
}
