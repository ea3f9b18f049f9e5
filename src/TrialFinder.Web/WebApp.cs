using Microsoft.AspNetCore.Mvc.Razor;
using TrialFinder.Data;
using TrialFinder.Sync;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.Web;

/// <summary>The composition of the web site: MVC pages in feature folders, the JSON API, Hangfire client.</summary>
public static class WebApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var services = builder.Services;

        services.AddTrialFinderSync(builder.Configuration);
        services.AddTrialFinderHangfire(builder.Configuration);
        services.AddMediator(options =>
        {
            options.Namespace = "TrialFinder.Web.Mediator";
            options.ServiceLifetime = ServiceLifetime.Scoped;
        });
        services.AddControllersWithViews();
        services.Configure<RazorViewEngineOptions>(options =>
        {
            options.ViewLocationFormats.Clear();
            options.ViewLocationFormats.Add("/Features/{1}/{0}.cshtml");
            options.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
        });
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck<Features.Health.DatabaseHealthCheck>("database");

        var app = builder.Build();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }

        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRouting();
        app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        app.MapHealthChecks("/readyz");
        app.MapControllers();
        return app;
    }
}
