using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;
using TrialFinder.Infrastructure.Telemetry;
using TrialFinder.Testing;
using TrialFinder.Web.Features.Health;

namespace TrialFinder.IntegrationTests.Features.Telemetry;

/// <summary>
/// The product's own instruments record what happened (read with a <see cref="MeterListener"/> scoped to one host's
/// meter factory, so other tests running at the same time do not count), the OTLP exporter sends traces and metrics
/// when an endpoint is set and nothing is collected when none is, and a worker logs JSON lines in Production.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Syncs_record_pages_studies_unreadable_records_delistings_run_durations_registry_latency_and_retries()
    {
        var records = ScaleCatalog.Generate(120, seed: 21).ToList();
        await using var replay = await RegistryReplay.StartAsync(records);
        using var host = SyncHost.Create(_database, replay, pageSize: 25, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);
        using var measurements = new Measurements(host.Services.GetRequiredService<IMeterFactory>(), SyncMetrics.MeterName);

        var summaries = new List<SyncRunSummary> { await host.SyncAsync(RunSync.Command.Full()) };
        // One study leaves the registry (delisted at its second miss), one record loses its status module (unreadable),
        // and the registry answers one page with 503 (retried).
        var gone = records[7].NctId;
        var broken = replay.Get(records[11].NctId);
        broken["protocolSection"]!.AsObject().Remove("statusModule");
        replay.Put(broken);
        replay.Remove(gone);
        replay.FailStudiesRequest(1, new RegistryReplay.Fault.ServiceUnavailable());
        summaries.Add(await host.SyncAsync(RunSync.Command.Full()));
        summaries.Add(await host.SyncAsync(RunSync.Command.Full()));
        Assert.All(summaries, s => Assert.Equal(SyncOutcome.Succeeded, s.Outcome));
        Assert.Equal(1, summaries.Sum(s => s.Delisted));

        Assert.Equal(summaries.Sum(s => s.Pages), measurements.Sum("trialfinder.sync.pages"));
        await using (var db = _database.CreateContext())
        {
            // Records received, a study that several queries match once per query.
            var received = (await db.SyncRuns.AsNoTracking().ToListAsync()).Sum(r => r.QueryReceived.Sum());
            Assert.Equal(received, measurements.Sum("trialfinder.sync.studies"));
        }

        Assert.Equal(summaries.Sum(s => s.Failed), measurements.Sum("trialfinder.sync.unreadable_records"));
        Assert.Equal(2, measurements.Sum("trialfinder.sync.unreadable_records"));
        Assert.Equal(1, measurements.Sum("trialfinder.sync.delistings"));
        Assert.Equal(3, measurements.Sum("trialfinder.sync.runs", ("sync.outcome", SyncOutcome.Succeeded.Stored())));
        Assert.Equal(3, measurements.Count("trialfinder.sync.run.duration", ("sync.kind", SyncKind.Full.Stored())));
        Assert.All(measurements.Values("trialfinder.sync.run.duration"), seconds => Assert.InRange(seconds, 0, 600));
        Assert.Equal(1, measurements.Sum("trialfinder.registry.retries", ("retry.reason", "503")));
        Assert.Equal(1, measurements.Count("trialfinder.registry.request.duration", ("http.response.status_code", "503")));
        Assert.Equal(summaries.Sum(s => s.Pages), measurements.Count("trialfinder.registry.request.duration", ("http.response.status_code", "200")));
    }

    [Fact]
    public async Task Search_latency_is_recorded_by_query_kind()
    {
        await using var web = new WebTestHost(_database);
        using var measurements = new Measurements(web.Services.GetRequiredService<IMeterFactory>(), RegistryHealthMetrics.MeterName);
        using var client = web.CreateClient();

        foreach (var query in new[] { "q=neuroblastoma", "near=Lyon&radiusKm=200", "near=Paris&q=lutetium", "disease=net", "age=old" })
        {
            var response = await client.GetAsync($"/api/trials?{query}");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode}");
        }

        foreach (var kind in new[] { "text", "place", "place+text", "filters", "invalid" })
        {
            Assert.Equal(1, measurements.Count("trialfinder.search.duration", ("search.kind", kind)));
        }

        Assert.All(measurements.Values("trialfinder.search.duration"), seconds => Assert.InRange(seconds, 0, 60));
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_the_site_exports_its_traces_and_metrics_and_without_one_it_collects_nothing()
    {
        await using (var quiet = new WebTestHost(_database))
        {
            using var client = quiet.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/trials?q=neuroblastoma")).StatusCode);
            Assert.Null(quiet.Services.GetService<MeterProvider>());
        }

        await using var collector = await OtlpCollector.StartAsync();
        await using var web = new WebTestHost(_database).WithWebHostBuilder(builder => builder
            .UseSetting(TelemetrySetup.OtlpEndpointSetting, collector.Url)
            .UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .UseSetting("OTEL_METRIC_EXPORT_INTERVAL", "500")
            .UseSetting("OTEL_BSP_SCHEDULE_DELAY", "200"));
        using (var client = web.CreateClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/trials?q=neuroblastoma")).StatusCode);
        }

        Assert.NotNull(web.Services.GetService<MeterProvider>());
        await collector.WaitForAsync("/v1/metrics", "trialfinder.search.duration");
        await collector.WaitForAsync("/v1/metrics", "http.server.request.duration");
        await collector.WaitForAsync("/v1/traces", "trialfinder-web");
        await collector.WaitForAsync("/v1/traces", "/api/trials");
        await collector.WaitForAsync("/v1/traces", "postgresql");
    }

    [Fact]
    public async Task A_worker_in_Production_writes_its_log_as_JSON_lines()
    {
        await using var worker = WorkerProcess.Start(
        [
            "serve", $"--ConnectionStrings:TrialFinder={_database.ConnectionString}", "--Sync:IncrementalCron=0 0 1 1 *",
            "--Sync:FullCron=0 0 1 1 *", "--Notifications:DigestCron=0 0 1 1 *",
        ]);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!worker.StandardError.Contains("Scheduled incremental sync", StringComparison.Ordinal))
        {
            Assert.False(worker.HasExited || DateTime.UtcNow > deadline, $"The worker never said it scheduled its jobs:\n{worker}");
            await Task.Delay(100);
        }

        var line = worker.StandardError.Split('\n').First(l => l.Contains("Scheduled incremental sync", StringComparison.Ordinal));
        using var entry = JsonDocument.Parse(line);
        Assert.Equal("Information", entry.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("TrialFinder.Workers.RecurringSyncSchedule", entry.RootElement.GetProperty("Category").GetString());
        Assert.StartsWith("Scheduled incremental sync '0 0 1 1 *'", entry.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Every measurement of one meter created by one host's meter factory, by instrument.</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _recorded = new();

        public Measurements(IMeterFactory factory, string meterName)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        public double Sum(string instrument, params (string Key, string Value)[] where) => Matching(instrument, where).Sum(m => m.Value);

        public int Count(string instrument, params (string Key, string Value)[] where) => Matching(instrument, where).Count();

        public IEnumerable<double> Values(string instrument) => Matching(instrument, []).Select(m => m.Value);

        public void Dispose() => _listener.Dispose();

        private IEnumerable<(string Instrument, double Value, Dictionary<string, object?> Tags)> Matching(string instrument, (string Key, string Value)[] where) =>
            _recorded.Where(m => m.Instrument == instrument && where.All(w => Equals(m.Tags.GetValueOrDefault(w.Key), w.Value)));

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _recorded.Enqueue((instrument.Name, value, copy));
        }
    }
}
