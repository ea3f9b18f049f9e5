using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using TrialFinder.BrowserTests.Infrastructure;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Catalog;
using TrialFinder.Testing;
using TrialFinder.Workers;
using TrialFinder.Workers.Accounts;
using static Microsoft.Playwright.Assertions;

namespace TrialFinder.BrowserTests.Features;

/// <summary>Issue 6: an admin starts a full resync from the console and watches it run to the end.</summary>
public sealed class AdminSyncTests : IAsyncLifetime
{
    private const string Email = "admin@example.org";
    private const string Password = "an admin passphrase nobody guesses";

    /// <summary>A run takes minutes at worst on a slow machine: Hangfire's queue is polled every 15 s.</summary>
    private const float RunTimeout = 120_000;

    private readonly TestDatabase _database = new();
    private RegistryReplay? _replay;
    private IHost? _worker;
    private RunningSite? _site;
    private Chromium? _chromium;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(RegistryRecords.Corpus());
        // As after infra/run.sh: the shipped snapshot is loaded, no registry sync has run yet.
        using (var loader = SyncHost.Create(_database, _replay))
        {
            await loader.SendAsync(new ImportSnapshot.Command(TestPaths.CorpusStudies));
        }

        string[] configuration =
        [
            $"--ConnectionStrings:TrialFinder={_database.ConnectionString}",
            "--Logging:LogLevel:Default=Warning",
            $"--Registry:BaseUrl={_replay.BaseUrl}",
            "--Registry:RequestsPerMinute=6000",
            "--Registry:PageSize=5",
        ];
        _worker = WorkerHost.CreateBuilder(configuration, withJobServer: true).Build();
        await _worker.StartAsync();
        await using (var scope = _worker.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CreateAdmin.Command(Email, Password));
            Assert.True(created.Created);
        }

        _site = await RunningSite.StartAsync(_database, _replay, ["--Registry:PageSize=5"]);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_site is not null)
        {
            await _site.DisposeAsync();
        }

        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }

        if (_replay is not null)
        {
            await _replay.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_admin_starts_a_full_resync_and_watches_the_progress_bar_until_the_run_succeeds()
    {
        // Slow registry pages keep the run going long enough to watch.
        _replay!.PageDelay = TimeSpan.FromMilliseconds(400);
        await using var context = await _chromium!.NewContextAsync(_site!);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await page.GetByLabel("Password (at least 12 characters)").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Admin console");
        var progress = page.Locator("#sync-progress");
        await Expect(progress.GetByText("No sync is running.")).ToBeVisibleAsync();
        var runs = page.Locator("section[aria-labelledby=runs-heading] tbody tr");
        await Expect(runs.Filter(new() { HasText = "full" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start full resync" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Full sync enqueued as job" })).ToBeVisibleAsync();
        var bar = page.Locator("#sync-progress progress");
        await Expect(bar).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        await Expect(progress).ToContainTextAsync("Full sync #", new() { IgnoreCase = true });

        // The bar moves without reloading: remember its first value while the run is shown, wait for a larger one.
        await page.WaitForFunctionAsync(
            """
            () => {
                const bar = document.querySelector('#sync-progress progress');
                if (!bar || bar.closest('[hidden]')) return false;
                const value = Number(bar.value);
                if (window.__firstProgress === undefined) { window.__firstProgress = value; return false; }
                return value > window.__firstProgress;
            }
            """,
            null,
            new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = RunTimeout });

        // When the run ends the page reloads itself and shows the finished run.
        await Expect(progress.GetByText("No sync is running.")).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        await Expect(bar).ToBeHiddenAsync();
        var newest = runs.First;
        await Expect(newest.Locator("td").Nth(1)).ToHaveTextAsync("full");
        await Expect(newest.Locator("td").Nth(2)).ToHaveTextAsync("succeeded");
        await Expect(page.Locator("section[aria-labelledby=audit-heading] tbody tr").First).ToContainTextAsync(Email);
    }
}
