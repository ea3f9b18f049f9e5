using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TrialFinder.Web.Features.Health;

/// <summary>
/// Readiness as JSON for monitors: the overall status and each entry's status, nothing more (reasons and
/// exceptions go to the log, never to whoever asks).
/// </summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        }));
    }
}
