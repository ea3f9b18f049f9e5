using Microsoft.Playwright;
using TrialFinder.Testing;

namespace TrialFinder.BrowserTests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser).</summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Generous, for a slow 2-core CI machine.</summary>
    public const float Timeout = 30_000;

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        Assertions.SetDefaultExpectTimeout(Timeout);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A fresh browser profile (cookies, storage) on the site, with map tiles blocked: they cannot load here.</summary>
    public async Task<IBrowserContext> NewContextAsync(RunningSite site, BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = site.BaseUrl;
        options.Locale ??= "en-GB";
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(Timeout);
        context.SetDefaultNavigationTimeout(Timeout);
        await context.RouteAsync("**/tile.openstreetmap.org/**", route => route.AbortAsync());
        return context;
    }

    /// <summary>Where screenshots are kept as test artefacts: TestResults/screenshots under the repository root.</summary>
    public static string ScreenshotPath(string fileName)
    {
        var folder = Path.Combine(TestPaths.TestResults, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
