using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Catalog;
using TrialFinder.Testing;

namespace TrialFinder.BrowserTests.Infrastructure;

/// <summary>
/// The site over a database holding the gazetteer and the shipped snapshot of real studies, as a family
/// finds it after <c>infra/run.sh</c>; one Chromium shared by the read-only tests of a class.
/// </summary>
public sealed class SearchSiteFixture : IAsyncLifetime
{
    private RegistryReplay? _replay;
    private RunningSite? _site;
    private Chromium? _chromium;

    public TestDatabase Database { get; } = new();
    public RunningSite Site => _site ?? throw new InvalidOperationException("The site is not started.");
    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("Chromium is not started.");

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        // An empty registry: the site never reaches the real one from a test.
        _replay = await RegistryReplay.StartAsync([]);
        using (var host = SyncHost.Create(Database, _replay))
        {
            await host.SendAsync(new ImportSnapshot.Command(TestPaths.CorpusStudies));
        }

        _site = await RunningSite.StartAsync(Database, _replay);
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

        if (_replay is not null)
        {
            await _replay.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
