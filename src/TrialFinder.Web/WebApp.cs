using System.Threading.RateLimiting;
using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using TrialFinder.Data.Accounts;
using TrialFinder.Web.Features.Accounts;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TrialFinder.Data;
using TrialFinder.Sync;
using TrialFinder.Sync.Settings;
using TrialFinder.Sync.Syncing;
using TrialFinder.Web.Features.Health;
using TrialFinder.Web.Features.Places;
using TrialFinder.Web.Localization;

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

        services.AddTrialFinderSync(builder.Configuration);
        services.AddTrialFinderHangfire(builder.Configuration);
        services.AddMediator(options =>
        {
            options.Namespace = "TrialFinder.Web.Mediator";
            options.ServiceLifetime = ServiceLifetime.Scoped;
        });

        services.AddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        services.AddLocalization();
        services.AddControllersWithViews(options => options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SiteText)));
        services.AddStartupSettings<HealthOptions>(HealthOptions.Section);
        AddAccounts(services);
        services.Configure<RazorViewEngineOptions>(options =>
        {
            options.ViewLocationFormats.Clear();
            options.ViewLocationFormats.Add("/Features/{1}/{0}.cshtml");
            options.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = ".TrialFinder.Antiforgery";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddHealthChecks()
            .AddCheck<Features.Health.DatabaseHealthCheck>("database")
            .AddCheck<Features.Health.SyncFreshnessHealthCheck>("sync-freshness");
        services.AddScoped<Features.Admin.SyncActivity>();
        services.AddMemoryCache();

        var app = builder.Build();
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
        app.UseStaticFiles();
        app.UseRequestLocalization(SiteCultures.Options());
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new() { ResponseWriter = Features.Health.HealthReportWriter.WriteAsync });
        app.MapOpenApi();
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
    private static void AddAccounts(IServiceCollection services)
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
            // Secure whenever the site is served over HTTPS (as in production behind TLS).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/account/login";
            options.AccessDeniedPath = "/account/denied";
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin));

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(AccountsController.RateLimitPolicy, context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = context.RequestServices.GetRequiredService<IOptions<AccountsOptions>>().Value.AttemptsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    }));
        });
    }

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
