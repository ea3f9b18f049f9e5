using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;

namespace TrialFinder.BrowserTests.Infrastructure;

/// <summary>The real web site, started in this process on a real port of 127.0.0.1 so that a browser can open it.</summary>
public sealed class RunningSite : IAsyncDisposable
{
    private RunningSite(WebApplication app, string baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }

    /// <summary>The bound address, without a trailing slash (e.g. http://127.0.0.1:41234).</summary>
    public string BaseUrl { get; }

    public IServiceProvider Services => App.Services;

    public string Url(string pathAndQuery) => BaseUrl + pathAndQuery;

    public static async Task<RunningSite> StartAsync(
        TestDatabase database, RegistryReplay replay, IEnumerable<string>? extraArgs = null, Action<WebApplicationBuilder>? configure = null)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Production",
            // Controllers and compiled views are found from the application's assembly, not the test runner's.
            $"--applicationName={typeof(TrialFinder.Web.WebApp).Assembly.GetName().Name}",
            $"--ConnectionStrings:TrialFinder={database.ConnectionString}",
            "--Logging:LogLevel:Default=Warning",
            $"--Registry:BaseUrl={replay.BaseUrl}",
            // A browser test makes many requests a minute from one address.
            .. WebTestHost.RateLimitSettings.Select(setting => $"--{setting}={WebTestHost.Unlimited}"),
            .. extraArgs ?? [],
        ];
        var app = TrialFinder.Web.WebApp.Build(args, configure, Path.Combine(TestPaths.RepositoryRoot, "src", "TrialFinder.Web"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? app.Urls.First();
        return new RunningSite(app, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
