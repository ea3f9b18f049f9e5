using System.Diagnostics;
using System.Globalization;

namespace TrialFinder.Infrastructure.Telemetry;

/// <summary>Times each attempt of a registry request for <see cref="SyncMetrics"/>.</summary>
public sealed class RegistryLatencyHandler(SyncMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.RegistryAttempt(Stopwatch.GetElapsedTime(started), ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            return response;
        }
        catch (Exception exception)
        {
            metrics.RegistryAttempt(Stopwatch.GetElapsedTime(started), exception.GetType().Name);
            throw;
        }
    }
}
