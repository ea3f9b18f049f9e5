using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TrialFinder.Web.Features.Health;

/// <summary>Readiness as JSON: overall status and each check's status and reason, for monitors and people.</summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
