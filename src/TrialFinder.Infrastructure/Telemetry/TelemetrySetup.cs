using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace TrialFinder.Infrastructure.Telemetry;

/// <summary>
/// Logs, traces and metrics of a host (the site or a worker). A service (the site, the worker's <c>serve</c>) logs JSON
/// lines to the console in Production, a one-shot command plain lines for whoever runs it, unless
/// <c>Logging:Console:FormatterName</c> says otherwise. Traces and metrics (HttpClient, Npgsql, the runtime and the
/// product's meters) are collected and exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (with the exporter's other standard variables: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
/// <c>OTEL_METRIC_EXPORT_INTERVAL</c>, ...); without it nothing is collected.
/// </summary>
public static class TelemetrySetup
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ConsoleFormatterSetting = "Logging:Console:FormatterName";

    /// <returns>The OpenTelemetry builder for the host to add its own instrumentation, or null when nothing is exported.</returns>
    public static IOpenTelemetryBuilder? AddTrialFinderTelemetry(
        this IHostApplicationBuilder builder, string serviceName, bool isService, params string[] meters)
    {
        var configuredFormatter = builder.Configuration[ConsoleFormatterSetting];
        var jsonLines = isService && builder.Environment.IsProduction();
        // Registered after the host's own console set-up, so that the setting (or Production) decides.
        builder.Services.Configure<ConsoleLoggerOptions>(options =>
        {
            if (!string.IsNullOrWhiteSpace(configuredFormatter))
            {
                options.FormatterName = configuredFormatter;
            }
            else if (jsonLines)
            {
                options.FormatterName = ConsoleFormatterNames.Json;
            }
        });

        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            return null;
        }

        return builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithTracing(tracing => tracing
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter([SyncMetrics.MeterName, .. meters])
                .AddNpgsqlInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .UseOtlpExporter();
    }
}
