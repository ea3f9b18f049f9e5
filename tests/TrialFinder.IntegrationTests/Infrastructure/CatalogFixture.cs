using System.Text.Json.Nodes;
using TrialFinder.Sync.Catalog;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// One database loaded with every real record (the corpus and the shared recordings) and the web
/// site over it, shared by the read-only tests of a class.
/// </summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public WebTestHost Web { get; private set; } = null!;
    public IReadOnlyList<JsonObject> Records { get; } = RegistryRecords.All();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await using (var replay = await RegistryReplay.StartAsync([]))
        {
            using var host = SyncHost.Create(Database, replay);
            await host.SendAsync(new ImportSnapshot.Command(TestPaths.CorpusStudies));
            await host.SendAsync(new ImportSnapshot.Command(TestPaths.SharedRealRecords));
        }

        Web = new WebTestHost(Database);
    }

    public async Task DisposeAsync()
    {
        await Web.DisposeAsync();
        await Database.DisposeAsync();
    }
}
