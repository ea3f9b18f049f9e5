using System.Diagnostics.Metrics;

namespace TrialFinder.Web.Features.Health;

/// <summary>
/// Gauges of the registry's health as the site last saw it (each /readyz probe refreshes them), for
/// dashboards and alerts: <c>trialfinder.registry.sync.age</c> (hours since the last successful sync) and
/// <c>trialfinder.registry.degraded</c> (1 while the catalogue is older than Health:MaxSyncAgeHours).
/// </summary>
public sealed class RegistryHealthMetrics
{
    public const string MeterName = "TrialFinder.Web";

    private double? _ageHours;
    private int _degraded;

    public RegistryHealthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("trialfinder.registry.sync.age", ObserveAge, unit: "h",
            description: "Hours since the last successful registry sync.");
        meter.CreateObservableGauge("trialfinder.registry.degraded", () => Volatile.Read(ref _degraded),
            description: "1 while the last successful registry sync is older than Health:MaxSyncAgeHours, else 0.");
    }

    public void Observe(TimeSpan? age, bool degraded)
    {
        _ageHours = age?.TotalHours;
        Volatile.Write(ref _degraded, degraded ? 1 : 0);
    }

    private IEnumerable<Measurement<double>> ObserveAge() => _ageHours is { } hours ? [new Measurement<double>(hours)] : [];
}
