using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Health;

public sealed class DatabaseHealthCheck(TrialFinderDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("The database answers.")
            : HealthCheckResult.Unhealthy("The database cannot be reached.");
}
