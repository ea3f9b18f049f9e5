using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Health;

/// <summary>
/// The "registry-sync" entry of /readyz: Degraded, never Unhealthy, when the last successful registry sync is
/// older than Health:MaxSyncAgeHours (or none has run yet). A registry outage leaves the catalogue a little
/// old but the site can still serve it, so it must not take the site out of its load balancer; monitors
/// see the entry and the <see cref="RegistryHealthMetrics"/> gauges instead.
/// </summary>
public sealed class SyncFreshnessHealthCheck(TrialFinderDbContext db, IOptions<HealthOptions> options, TimeProvider clock, RegistryHealthMetrics metrics)
    : IHealthCheck
{
    public const string Name = "registry-sync";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var maxAgeHours = options.Value.MaxSyncAgeHours;
        var last = await db.SyncRuns
            .Where(r => r.Outcome == SyncOutcome.Succeeded && r.Kind != SyncKind.Snapshot)
            .MaxAsync(r => r.FinishedAt, cancellationToken);
        var age = last is null ? (TimeSpan?)null : clock.GetUtcNow() - last.Value;
        var stale = maxAgeHours > 0 && (age is null || age > TimeSpan.FromHours(maxAgeHours));
        metrics.Observe(age, stale);

        if (maxAgeHours <= 0)
        {
            return HealthCheckResult.Healthy("Sync freshness is not checked (Health:MaxSyncAgeHours is 0).");
        }

        if (age is null)
        {
            return HealthCheckResult.Degraded("No registry sync has succeeded yet; the site shows the shipped snapshot.");
        }

        return stale
            ? HealthCheckResult.Degraded($"Last successful sync {age.Value.TotalHours:0.0} h ago, older than {maxAgeHours} h.")
            : HealthCheckResult.Healthy($"Last successful sync {age.Value.TotalHours:0.0} h ago.");
    }
}
