using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Data;

namespace TrialFinder.Workers.Health;

/// <summary>Where the <c>serve</c> verb answers health probes (a container's HEALTHCHECK, Kubernetes probes).</summary>
public sealed class WorkerHealthOptions : IValidatableObject
{
    public const string Section = "Worker";

    /// <summary>An http address such as <c>http://0.0.0.0:8081</c>; empty (the default) serves no probes.</summary>
    public string HealthUrl { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HealthUrl.Length > 0
            && !(Uri.TryCreate(HealthUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/"))
        {
            yield return new ValidationResult(
                "use an http address with a port and no path, e.g. http://0.0.0.0:8081, or nothing",
                [nameof(HealthUrl)]);
        }
    }
}

/// <summary>
/// The worker's probes on <c>Worker:HealthUrl</c>: <c>/healthz</c> answers 200 while the process runs (liveness),
/// <c>/readyz</c> 200 when the database answers, else 503 (readiness). A small Kestrel server beside the Hangfire one.
/// </summary>
internal sealed class WorkerHealthEndpoint(IOptions<WorkerHealthOptions> options, IServiceScopeFactory scopes, ILogger<WorkerHealthEndpoint> logger)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var url = options.Value.HealthUrl;
        if (url.Length == 0)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        _app = builder.Build();
        _app.MapGet("/healthz", () => Results.Text("Healthy"));
        _app.MapGet("/readyz", async (CancellationToken requestAborted) =>
            await DatabaseAnswersAsync(requestAborted)
                ? Results.Text("Healthy")
                : Results.Text("Unhealthy", statusCode: StatusCodes.Status503ServiceUnavailable));
        await _app.StartAsync(cancellationToken);
        logger.LogInformation("Health probes on {Url} (/healthz, /readyz)", url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<bool> DatabaseAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<TrialFinderDbContext>().Database.CanConnectAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning("Readiness: the database did not answer ({Error})", exception.Message);
            return false;
        }
    }
}
