using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;
using TrialFinder.Infrastructure.Settings;
using TrialFinder.Infrastructure.Telemetry;

namespace TrialFinder.Infrastructure.Registry;

public static class RegistryServiceCollectionExtensions
{
    public const string UserAgent = "TrialFinder/1.0 (clinical trial finder for neuroblastoma and neuroendocrine tumours)";

    /// <summary>
    /// The registry client: Refit over an HttpClient whose pipeline retries 429, 5xx and timeouts
    /// with jittered exponential backoff (honouring Retry-After), breaks the circuit when the registry
    /// keeps failing, paces every attempt through a client-side rate limiter and times out each attempt.
    /// </summary>
    public static IServiceCollection AddRegistryClient(this IServiceCollection services)
    {
        services.AddStartupSettings<RegistryOptions>(RegistryOptions.Section);

        var registry = services.AddRefitGeneratedClient<IClinicalTrialsApi>();
        registry.ConfigureHttpClient((provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<RegistryOptions>>().Value;
                client.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/'));
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            });
        registry.AddResilienceHandler("registry", (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<RegistryOptions>>().Value;
                var attemptTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
                var metrics = context.ServiceProvider.GetRequiredService<SyncMetrics>();

                builder
                    .AddTimeout(attemptTimeout * (options.MaxRetries + 2) + TimeSpan.FromMinutes(2))
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                        MaxDelay = TimeSpan.FromMinutes(2),
                        ShouldRetryAfterHeader = true,
                        OnRetry = arguments =>
                        {
                            metrics.RegistryRetry(arguments.Outcome.Result is { } response
                                ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
                                : arguments.Outcome.Exception?.GetType().Name ?? "unknown");
                            return ValueTask.CompletedTask;
                        },
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 8,
                        SamplingDuration = TimeSpan.FromMinutes(2),
                        BreakDuration = TimeSpan.FromSeconds(options.CircuitBreakSeconds),
                    })
                    .AddRateLimiter(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = 1,
                        TokensPerPeriod = 1,
                        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / options.RequestsPerMinute,
                        QueueLimit = int.MaxValue,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                        AutoReplenishment = true,
                    }))
                    .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = attemptTimeout });
            });
        // Inside the resilience pipeline: one measurement per attempt.
        registry.AddHttpMessageHandler(provider => new RegistryLatencyHandler(provider.GetRequiredService<SyncMetrics>()));

        return services;
    }
}
