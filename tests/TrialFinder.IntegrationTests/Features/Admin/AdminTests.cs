using System.Net;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data.Accounts;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Admin;

public sealed class AdminTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private WebTestHost _web = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _web = new WebTestHost(_database);
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _database.DisposeAsync();
    }

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/admin" },
        { "GET", "/admin/progress" },
        { "GET", "/hangfire" },
        { "GET", "/hangfire/jobs/enqueued" },
        { "POST", "/admin/sync/incremental" },
        { "POST", "/admin/sync/full" },
        { "POST", "/admin/sync/refresh" },
        { "POST", "/admin/sync/cancel" },
        { "POST", "/admin/reclassify" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Anonymous_visitors_are_sent_to_sign_in_on_every_admin_route(string method, string path)
    {
        var session = WebSession.Anonymous(_web);

        var response = await session.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest,
            $"{method} {path} answered {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.Contains("/account/login", response.Headers.Location!.ToString());
        }

        Assert.Equal(0, await EnqueuedSyncJobsAsync());
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Clinicians_are_denied_every_admin_route(string method, string path)
    {
        var clinician = await WebSession.SignedInAsync(_web, "clinician@example.org");

        var response = method == "GET"
            ? await clinician.Client.GetAsync(path)
            : await clinician.PostFormAsync("/", path, []);

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden || response.Headers.Location?.ToString().Contains("/account/denied", StringComparison.Ordinal) == true,
            $"{method} {path} answered {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Equal(0, await EnqueuedSyncJobsAsync());
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task An_admin_sees_the_console_and_the_hangfire_dashboard()
    {
        var admin = await WebSession.SignedInAsync(_web, "admin@example.org", Roles.Admin);

        var console = await admin.Client.GetAsync("/admin");
        var dashboard = await admin.Client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Contains("Start full resync", await console.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("TrialFinder jobs", await dashboard.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_console_shows_how_many_studies_wait_for_a_re_read_and_when_the_last_re_read_ran()
    {
        var admin = await WebSession.SignedInAsync(_web, "admin@example.org", Roles.Admin);
        Assert.Contains("No re-read has run yet.", await admin.Client.GetStringAsync("/admin"));

        await using (var db = _database.CreateContext())
        {
            db.Studies.AddRange(new[] { null, "r0-0123456789abcdef", StudyReading.CurrentVersion }.Select((version, i) => new Study
            {
                NctId = $"NCT0000000{i + 1}", BriefTitle = $"Study {i + 1}", OverallStatus = "RECRUITING", RawJson = "{}", ContentHash = $"hash{i}",
                ReadingVersion = version,
            }));
            db.Rereads.Add(new Reread
            {
                ReadingVersion = "r0-0123456789abcdef", OnlyStale = true, Studies = 40, Changed = 3,
                StartedAt = new DateTimeOffset(2026, 11, 20, 8, 15, 0, TimeSpan.Zero), FinishedAt = new DateTimeOffset(2026, 11, 20, 8, 16, 0, TimeSpan.Zero),
            });
            await db.SaveChangesAsync();
        }

        var page = System.Net.WebUtility.HtmlDecode(await admin.Client.GetStringAsync("/admin"));

        Assert.Contains($"2 studies wait for a re-read with reading version {StudyReading.CurrentVersion}", page.Replace("<code>", "").Replace("</code>", ""));
        Assert.Contains("started 2026-11-20 08:15 UTC", page);
        Assert.Contains("finished 2026-11-20 08:16 UTC", page);
        Assert.Contains("40 studies re-read, 3 with changed tags", page);
    }

    [Fact]
    public async Task Each_action_enqueues_exactly_one_job_is_audited_and_a_second_start_is_refused()
    {
        var admin = await WebSession.SignedInAsync(_web, "admin@example.org", Roles.Admin);

        var first = await admin.PostFormAsync("/admin", "/admin/sync/full", []);
        var second = await admin.PostFormAsync("/admin", "/admin/sync/incremental", []);
        var reclassify = await admin.PostFormAsync("/admin", "/admin/reclassify", []);

        Assert.All([first, second, reclassify], r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(1, await EnqueuedSyncJobsAsync());
        await using var db = _database.CreateContext();
        var audit = await db.AuditEntries.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["Full", "Incremental", "Reclassify"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("admin@example.org", a.UserEmail));
        Assert.Contains("enqueued as job", audit[0].Result);
        Assert.Contains("already running or queued", audit[1].Result);
        Assert.Contains("enqueued as job", audit[2].Result);
        var page = await admin.Client.GetStringAsync("/admin");
        Assert.Contains("already running or queued", page);
    }

    [Fact]
    public async Task Starting_a_sync_while_one_holds_the_lock_is_refused()
    {
        var admin = await WebSession.SignedInAsync(_web, "admin@example.org", Roles.Admin);
        await using var running = await SyncLock.TryAcquireAsync(_database.ConnectionString, CancellationToken.None);

        await admin.PostFormAsync("/admin", "/admin/sync/incremental", []);

        Assert.Equal(0, await EnqueuedSyncJobsAsync());
        await using var db = _database.CreateContext();
        Assert.Contains("already running", (await db.AuditEntries.SingleAsync()).Result);
    }

    [Theory]
    [InlineData("NCT123")]
    [InlineData("NCT03363373 12345678")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("")]
    public async Task Refresh_by_id_rejects_malformed_ids_without_enqueuing(string ids)
    {
        var admin = await WebSession.SignedInAsync(_web, "admin@example.org", Roles.Admin);

        await admin.PostFormAsync("/admin", "/admin/sync/refresh", new() { ["nctIds"] = ids });

        Assert.Equal(0, await EnqueuedSyncJobsAsync());
        await using var db = _database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal("Refresh", entry.Action);
        Assert.True(entry.Result.Contains("Not NCT ids") || entry.Result.Contains("at least one"), entry.Result);
        var page = await admin.Client.GetStringAsync("/admin");
        Assert.DoesNotContain("<script>alert(1)</script>", page);
    }

    [Fact]
    public async Task Refresh_by_id_with_valid_ids_enqueues_one_job()
    {
        var admin = await WebSession.SignedInAsync(_web, "admin@example.org", Roles.Admin);

        await admin.PostFormAsync("/admin", "/admin/sync/refresh", new() { ["nctIds"] = "nct03363373, NCT04711135\nNCT03363373" });

        Assert.Equal(1, await EnqueuedSyncJobsAsync());
        await using var db = _database.CreateContext();
        Assert.Contains("enqueued", (await db.AuditEntries.SingleAsync()).Result);
    }

    [Fact]
    public async Task Cancel_stops_a_running_sync_at_a_page_boundary_and_the_resumed_run_completes_like_a_clean_one()
    {
        await using var replay = await RegistryReplay.StartAsync(RegistryRecords.Corpus());
        replay.PageDelay = TimeSpan.FromMilliseconds(1000);
        using var worker = SyncHost.Create(_database, replay);
        var admin = await WebSession.SignedInAsync(_web, "admin@example.org", Roles.Admin);
        var token = await admin.AntiforgeryTokenAsync("/admin");

        var run = worker.SyncAsync(RunSync.Command.Full());
        await WaitUntilAsync(async () => (await admin.Client.GetStringAsync("/admin/progress")).Contains("\"running\":true"));
        await admin.Client.PostAsync("/admin/sync/cancel", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        var cancelled = await run;

        Assert.Equal(SyncOutcome.Cancelled, cancelled.Outcome);
        Assert.True(cancelled.Pages >= 1);
        replay.PageDelay = TimeSpan.Zero;
        var resumed = await worker.SyncAsync(RunSync.Command.Full());
        Assert.Equal((cancelled.RunId, SyncOutcome.Succeeded), (resumed.RunId, resumed.Outcome));

        await using var clean = new TestDatabase();
        await clean.InitializeAsync();
        using var cleanWorker = SyncHost.Create(clean, replay);
        await cleanWorker.SyncAsync(RunSync.Command.Full());
        CatalogState.AssertSame(await CatalogState.ReadAsync(clean), await CatalogState.ReadAsync(_database));
        await using var db = _database.CreateContext();
        Assert.Contains("Cancel requested", (await db.AuditEntries.SingleAsync()).Result);
    }

    [Fact]
    public async Task Progress_reports_pages_and_studies_of_a_running_sync()
    {
        await using var replay = await RegistryReplay.StartAsync(RegistryRecords.Corpus());
        replay.PageDelay = TimeSpan.FromMilliseconds(300);
        using var worker = SyncHost.Create(_database, replay);
        var admin = await WebSession.SignedInAsync(_web, "admin@example.org", Roles.Admin);

        var run = worker.SyncAsync(RunSync.Command.Full());
        string progress = "";
        await WaitUntilAsync(async () => (progress = await admin.Client.GetStringAsync("/admin/progress")).Contains("\"pages\":2"));
        await run;

        Assert.Contains("\"running\":true", progress);
        Assert.Contains("\"kind\":\"full\"", progress);
        Assert.Matches("\"expectedStudies\":\\d+", progress);
        Assert.Contains("\"running\":false", await admin.Client.GetStringAsync("/admin/progress"));
    }

    [Fact]
    public async Task Readiness_is_degraded_not_failed_without_a_recent_sync_and_healthy_with_one_liveness_always_answers()
    {
        var client = _web.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var never = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, never.StatusCode);
        Assert.Equal("""{"status":"Degraded","checks":{"database":"Healthy","registry-sync":"Degraded"}}""", await never.Content.ReadAsStringAsync());

        await using (var db = _database.CreateContext())
        {
            db.SyncRuns.Add(new SyncRun { Kind = SyncKind.Full, Outcome = SyncOutcome.Succeeded, StartedAt = DateTimeOffset.UtcNow.AddDays(-5), FinishedAt = DateTimeOffset.UtcNow.AddDays(-5) });
            await db.SaveChangesAsync();
        }

        var stale = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("\"registry-sync\":\"Degraded\"", await stale.Content.ReadAsStringAsync());

        await using (var db = _database.CreateContext())
        {
            db.SyncRuns.Add(new SyncRun { Kind = SyncKind.Incremental, Outcome = SyncOutcome.Succeeded, StartedAt = DateTimeOffset.UtcNow.AddHours(-1), FinishedAt = DateTimeOffset.UtcNow.AddHours(-1) });
            await db.SaveChangesAsync();
        }

        var fresh = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("""{"status":"Healthy","checks":{"database":"Healthy","registry-sync":"Healthy"}}""", await fresh.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_registry_outage_shows_in_the_registry_gauges()
    {
        var client = _web.CreateClient();
        var meters = _web.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        await client.GetAsync("/readyz");
        Assert.Equal(1.0, ReadGauge(meters, "trialfinder.registry.degraded"));
        Assert.Null(ReadGauge(meters, "trialfinder.registry.sync.age"));

        await using (var db = _database.CreateContext())
        {
            db.SyncRuns.Add(new SyncRun { Kind = SyncKind.Incremental, Outcome = SyncOutcome.Succeeded, StartedAt = DateTimeOffset.UtcNow.AddHours(-2), FinishedAt = DateTimeOffset.UtcNow.AddHours(-2) });
            await db.SaveChangesAsync();
        }

        await client.GetAsync("/readyz");
        Assert.Equal(0.0, ReadGauge(meters, "trialfinder.registry.degraded"));
        Assert.InRange(ReadGauge(meters, "trialfinder.registry.sync.age")!.Value, 1.9, 2.1);
    }

    /// <summary>The value an observable gauge of this site reports now (null when it reports none).</summary>
    private static double? ReadGauge(System.Diagnostics.Metrics.IMeterFactory meters, string name)
    {
        double? value = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, measurement, _, _) => value = measurement);
        listener.SetMeasurementEventCallback<int>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    [Fact]
    public async Task Readiness_fails_when_the_database_is_down()
    {
        await using var unreachable = new UnreachableDatabaseHost();

        var response = await unreachable.CreateClient().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // Status only: no exception text, no connection details.
        Assert.Equal("""{"status":"Unhealthy","checks":{"database":"Unhealthy","registry-sync":"Degraded"}}""", await response.Content.ReadAsStringAsync());
    }

    private async Task<int> EnqueuedSyncJobsAsync()
    {
        var storage = _web.Services.GetRequiredService<JobStorage>();
        var monitoring = storage.GetMonitoringApi();
        return monitoring.Queues().Sum(q => monitoring.EnqueuedJobs(q.Name, 0, 1000)
            .Count(j => j.Value.Job?.Type == typeof(ISyncJobs) && j.Value.Job.Method.Name != nameof(ISyncJobs.ReclassifyAsync)));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The condition was not met within 10 seconds.");
    }

    /// <summary>The site configured with a database that does not answer (a closed port).</summary>
    private sealed class UnreachableDatabaseHost : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<TrialFinder.Web.Localization.SiteText>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:TrialFinder", "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2");
            builder.UseSetting("Logging:LogLevel:Default", "None");
        }
    }
}
