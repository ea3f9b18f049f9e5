using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TrialFinder.Web.Features.Accounts;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Web.Features.Security;

/// <summary>Requests per minute and client address for each family of anonymous routes (section <c>RateLimits</c>).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Search, trial and therapy pages, account pages, the language switch.</summary>
    [Range(1, 1_000_000, ErrorMessage = Allowed.WholeNumber)]
    public int PagesPerMinute { get; set; } = 120;

    /// <summary>/api/trials and the OpenAPI document.</summary>
    [Range(1, 1_000_000, ErrorMessage = Allowed.WholeNumber)]
    public int ApiPerMinute { get; set; } = 60;

    /// <summary>/api/places: the "near" box asks as the user types.</summary>
    [Range(1, 1_000_000, ErrorMessage = Allowed.WholeNumber)]
    public int PlacesPerMinute { get; set; } = 240;

    [Range(1, 1_000_000, ErrorMessage = Allowed.WholeNumber)]
    public int FeedsPerMinute { get; set; } = 30;

    [Range(1, 1_000_000, ErrorMessage = Allowed.WholeNumber)]
    public int UnsubscribePerMinute { get; set; } = 20;
}

/// <summary>
/// The rate limits of the anonymous route families, each a fixed window per client address (the real
/// client's, see <see cref="ClientAddress"/>). A refused request gets 429 with Retry-After: a problem+json
/// body on the API, the friendly error page (EN/FR) elsewhere.
/// </summary>
public static class RateLimits
{
    public const string Pages = "pages";
    public const string Api = "api";
    public const string Places = "places";
    public const string Feeds = "feeds";
    public const string Unsubscribe = "unsubscribe";
    public const string Accounts = "accounts";

    public static IServiceCollection AddSiteRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStartupSettings<RateLimitOptions>(RateLimitOptions.Section);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = OnRejectedAsync;
            AddPolicy(options, Pages, services => Limits(services).PagesPerMinute);
            AddPolicy(options, Api, services => Limits(services).ApiPerMinute);
            AddPolicy(options, Places, services => Limits(services).PlacesPerMinute);
            AddPolicy(options, Feeds, services => Limits(services).FeedsPerMinute);
            AddPolicy(options, Unsubscribe, services => Limits(services).UnsubscribePerMinute);
            // Sign-in, registration and password-reset posts, under their historical key Accounts:AttemptsPerMinute.
            AddPolicy(options, Accounts, services => services.GetRequiredService<IOptions<AccountsOptions>>().Value.AttemptsPerMinute);
        });
        return services;
    }

    private static RateLimitOptions Limits(IServiceProvider services) => services.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static void AddPolicy(RateLimiterOptions options, string name, Func<IServiceProvider, int> perMinute) =>
        options.AddPolicy(name, context =>
        {
            var limit = perMinute(context.RequestServices);
            return RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        });

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests.",
                    Detail = $"This client has used its budget of requests for now; try again in {seconds} s.",
                },
            });
        }

        // Pages: the status code pages show the friendly error page in the visitor's language.
    }
}
