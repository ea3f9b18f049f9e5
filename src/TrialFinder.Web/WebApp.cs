using System.Security.Cryptography.X509Certificates;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using TrialFinder.Data.Accounts;
using TrialFinder.Web.Features.Accounts;
using Microsoft.Extensions.Localization;
using TrialFinder.Data;
using TrialFinder.Infrastructure;
using TrialFinder.Infrastructure.Localization;
using TrialFinder.Infrastructure.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TrialFinder.Web.Features.Health;
using TrialFinder.Web.Features.Places;
using TrialFinder.Web.Features.Security;
using TrialFinder.Web.Localization;
using TrialFinder.Infrastructure.Email;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Infrastructure.Settings;
using TrialFinder.Infrastructure.Site;

namespace TrialFinder.Web;

/// <summary>The composition of the web site: MVC pages in feature folders, the JSON API, Hangfire client.</summary>
public static class WebApp
{
    /// <param name="contentRoot">Where wwwroot lives when the site is started from another folder (browser tests).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot });
        configure?.Invoke(builder);
        var services = builder.Services;
        var secureCookies = SecureCookies(builder);

        services.AddTrialFinderInfrastructure(builder.Configuration);
        // Patient facts (pt-… query parameters) never reach a log line, whatever the category or level.
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new Features.PreScreen.PatientFactsRedactingLoggerFactory(
            new LoggerFactory(
                provider.GetServices<ILoggerProvider>(),
                provider.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                provider.GetService<IOptions<LoggerFactoryOptions>>(),
                provider.GetService<IExternalScopeProvider>()))));
        services.AddTrialFinderHangfire(builder.Configuration);
        services.AddMediator(options =>
        {
            options.Namespace = "TrialFinder.Web.Mediator";
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors =
            [
                typeof(Pipeline.UnitOfWorkBehavior<,>), typeof(Features.Admin.AuditBehavior<,>), typeof(Pipeline.ValidationBehavior<,>),
                typeof(Features.Search.SearchLatency),
            ];
        });
        builder.AddTrialFinderTelemetry("trialfinder-web", isService: true, Features.Health.RegistryHealthMetrics.MeterName)?
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation());

        services.AddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        services.AddLocalization();
        services.AddControllersWithViews(options =>
            {
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                // No form uses jQuery's "a[b]" field names, and that provider throws (a 500) on a field named "a[b".
                foreach (var jQuery in options.ValueProviderFactories.OfType<Microsoft.AspNetCore.Mvc.ModelBinding.JQueryFormValueProviderFactory>().ToList())
                {
                    options.ValueProviderFactories.Remove(jQuery);
                }
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SiteText)));
        services.AddStartupSettings<HealthOptions>(HealthOptions.Section);
        services.AddStartupSettings<Features.Search.SearchOptions>(Features.Search.SearchOptions.Section);
        services.AddSingleton<Features.Search.SearchResultCache>();
        services.AddStartupSettings<Features.Catalog.CatalogOptions>(Features.Catalog.CatalogOptions.Section);
        services.AddSingleton<Features.Catalog.CurrentCatalogCache>();
        services.AddHostedService<Features.Catalog.CatalogChangeListener>();
        AddAccounts(services, secureCookies);
        AddSecurity(services, builder.Configuration, secureCookies);
        services.Configure<RazorViewEngineOptions>(options =>
        {
            options.ViewLocationFormats.Clear();
            options.ViewLocationFormats.Add("/Features/{1}/{0}.cshtml");
            options.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = ".TrialFinder.Antiforgery";
            options.Cookie.SecurePolicy = secureCookies;
        });
        services.AddProblemDetails();
        services.AddOpenApi(options => options.AddOperationTransformer<Features.Search.SearchFilterOpenApi>());
        services.AddHealthChecks()
            .AddCheck<Features.Health.DatabaseHealthCheck>("database")
            .AddCheck<Features.Health.SyncFreshnessHealthCheck>(Features.Health.SyncFreshnessHealthCheck.Name,
                failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded);
        services.AddSingleton<Features.Health.RegistryHealthMetrics>();
        services.AddMemoryCache();

        var app = builder.Build();
        app.Use(Features.PreScreen.PatientFactsRedaction.RedactTraceAsync);
        // First the real client and scheme (from a known proxy only), then the Host check.
        app.UseForwardedHeaders();
        AllowedHosts.UseAllowedHosts(app, "/healthz", "/readyz");
        if (secureCookies == CookieSecurePolicy.Always)
        {
            app.UseHttpsOnly("/healthz", "/readyz");
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            // Only our own scripts, styles and fonts; map tiles are the one outside resource.
            headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; script-src 'self'; style-src 'self'; " +
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseNulCharacterCheck();
        app.UseStaticFiles();
        app.UseRequestLocalization(SiteCultures.Options());
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new() { ResponseWriter = Features.Health.HealthReportWriter.WriteAsync });
        app.MapOpenApi().RequireRateLimiting(RateLimits.Api);
        app.MapPlacesApi();
        app.MapControllers();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
            {
                // Access is decided by the endpoint's authorization below, not by Hangfire's local-only default.
                Authorization = [],
                AppPath = "/admin",
                DashboardTitle = "TrialFinder jobs",
            })
            .RequireAuthorization(Roles.Admin);
        return app;
    }

    /// <summary>ASP.NET Core Identity in the product's database: cookies, lockout, confirmed e-mail, roles.</summary>
    private static void AddAccounts(IServiceCollection services, CookieSecurePolicy secureCookies)
    {
        services.AddStartupSettings<AccountsOptions>(AccountsOptions.Section);
        services.AddIdentity<UserAccount, IdentityRole>(AccountRules.Apply)
            .AddEntityFrameworkStores<TrialFinderDbContext>()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = ".TrialFinder.Session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = secureCookies;
            options.LoginPath = "/account/login";
            options.AccessDeniedPath = "/account/denied";
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin));
        services.AddSingleton<AccountThrottle>();
        services.AddSingleton<DummyPassword>();
        services.AddSingleton<MailQueue>();
        services.AddSingleton<IMailQueue>(provider => provider.GetRequiredService<MailQueue>());
        services.AddHostedService<MailQueueSender>();
    }

    /// <summary>Forwarded headers from known proxies, the Host check, HSTS, the rate limits.</summary>
    private static void AddSecurity(IServiceCollection services, IConfiguration configuration, CookieSecurePolicy secureCookies)
    {
        services.AddSingleton(provider => new AllowedHosts(configuration, provider.GetRequiredService<IOptions<SiteOptions>>().Value));
        // The framework's own host filter would also refuse the health probes; AllowedHosts above decides instead.
        services.PostConfigure<HostFilteringOptions>(options => options.AllowedHosts = ["*"]);
        services.Configure<ForwardedHeadersOptions>(options => ProxyHeaders.Configure(options, configuration));
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        services.Configure<CookieTempDataProviderOptions>(options => options.Cookie.SecurePolicy = secureCookies);
        services.AddSiteRateLimits(configuration);
        AddDataProtection(services, configuration);
    }

    /// <summary>
    /// Keys in PostgreSQL, so every web instance reads the others' cookies and tokens and a restart logs nobody
    /// out; encrypted with a certificate when DataProtection:CertificatePath (a PKCS#12 file) is set.
    /// </summary>
    private static void AddDataProtection(IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("TrialFinder")
            .PersistKeysToDbContext<TrialFinderDbContext>();
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, configuration["DataProtection:CertificatePassword"]);
            }
            catch (Exception exception) when (exception is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"DataProtection:CertificatePath: cannot read the certificate '{certificatePath}' (PKCS#12, with DataProtection:CertificatePassword): {exception.Message}",
                    exception);
            }

            dataProtection.ProtectKeysWithCertificate(certificate);
        }
    }

    /// <summary>
    /// Cookies are always Secure when the public address is https (outside Development; plain http requests are
    /// then redirected, see <see cref="HttpsOnly"/>); otherwise Secure on https requests, which includes requests
    /// a known proxy forwards from https.
    /// </summary>
    private static CookieSecurePolicy SecureCookies(WebApplicationBuilder builder) =>
        !builder.Environment.IsDevelopment()
        && builder.Configuration[$"{SiteOptions.Section}:{nameof(SiteOptions.BaseUrl)}"]?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;

    /// <summary>API callers get a status code, people get the sign-in or denied page.</summary>
    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
