using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Health;

/// <summary>Ready only while the catalogue is fresh: the last successful registry sync is recent enough.</summary>
public sealed class SyncFreshnessHealthCheck(TrialFinderDbContext db, IOptions<HealthOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var maxAgeHours = options.Value.MaxSyncAgeHours;
        if (maxAgeHours <= 0)
        {
            return HealthCheckResult.Healthy("Sync freshness is not checked (Health:MaxSyncAgeHours is 0).");
        }

        var last = await db.SyncRuns
            .Where(r => r.Outcome == SyncOutcomes.Succeeded && r.Kind != SyncKinds.Snapshot)
            .MaxAsync(r => r.FinishedAt, cancellationToken);
        if (last is null)
        {
            return HealthCheckResult.Unhealthy("No registry sync has succeeded yet; the site shows the shipped snapshot.");
        }

        var age = clock.GetUtcNow() - last.Value;
        return age <= TimeSpan.FromHours(maxAgeHours)
            ? HealthCheckResult.Healthy($"Last successful sync {age.TotalHours:0.0} h ago.")
            : HealthCheckResult.Unhealthy($"Last successful sync {age.TotalHours:0.0} h ago, older than {maxAgeHours} h.");
    }
}
