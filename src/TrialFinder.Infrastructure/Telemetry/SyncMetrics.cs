using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TrialFinder.Infrastructure.Telemetry;

/// <summary>
/// The sync's own instruments (meter <c>TrialFinder.Sync</c>, created through the host's <see cref="IMeterFactory"/>), exported over OTLP with the rest (see
/// <see cref="TelemetrySetup"/>): pages and studies written, unreadable records, delistings, runs and their duration
/// by kind and outcome, and each registry request's latency and retries.
/// </summary>
public sealed class SyncMetrics
{
    public const string MeterName = "TrialFinder.Sync";

    private readonly Counter<long> _pages;
    private readonly Counter<long> _studies;
    private readonly Counter<long> _unreadable;
    private readonly Counter<long> _delistings;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<double> _registryLatency;
    private readonly Counter<long> _registryRetries;

    public SyncMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _pages = meter.CreateCounter<long>("trialfinder.sync.pages", "{page}",
            "Registry pages (or refresh batches) written by sync runs.");
        _studies = meter.CreateCounter<long>("trialfinder.sync.studies", "{study}",
            "Study records received in written pages.");
        _unreadable = meter.CreateCounter<long>("trialfinder.sync.unreadable_records", "{record}",
            "Records that could not be read and kept the stored copy.");
        _delistings = meter.CreateCounter<long>("trialfinder.sync.delistings", "{study}",
            "Studies marked no longer listed by full runs.");
        _runs = meter.CreateCounter<long>("trialfinder.sync.runs", "{run}",
            "Sync runs that ended, by kind and outcome.");
        _runDuration = meter.CreateHistogram<double>("trialfinder.sync.run.duration", "s",
            "How long one sync run (or the resumed part of it) took in this process.");
        _registryLatency = meter.CreateHistogram<double>("trialfinder.registry.request.duration", "s",
            "Each attempt of a registry request, by response status (or the error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _registryRetries = meter.CreateCounter<long>("trialfinder.registry.retries", "{retry}",
            "Registry requests retried after a 429, a 5xx, a timeout or a dropped connection.");
    }

    public void PageWritten(string kind, int studies, int unreadable)
    {
        var tag = new KeyValuePair<string, object?>("sync.kind", kind);
        _pages.Add(1, tag);
        _studies.Add(studies, tag);
        if (unreadable > 0)
        {
            _unreadable.Add(unreadable, tag);
        }
    }

    public void RunEnded(string kind, string outcome, int delisted, TimeSpan duration)
    {
        var tags = new TagList { { "sync.kind", kind }, { "sync.outcome", outcome } };
        _runs.Add(1, tags);
        _runDuration.Record(duration.TotalSeconds, tags);
        if (delisted > 0)
        {
            _delistings.Add(delisted);
        }
    }

    public void RegistryAttempt(TimeSpan duration, string status) =>
        _registryLatency.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("http.response.status_code", status));

    public void RegistryRetry(string reason) =>
        _registryRetries.Add(1, new KeyValuePair<string, object?>("retry.reason", reason));
}
