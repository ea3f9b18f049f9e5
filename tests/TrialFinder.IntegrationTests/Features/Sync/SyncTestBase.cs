using System.Text.Json.Nodes;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>Each test gets its own migrated database and a registry replay serving the real records.</summary>
public abstract class SyncTestBase : IAsyncLifetime
{
    protected TestDatabase Database { get; } = new();
    protected RegistryReplay Replay { get; private set; } = null!;
    protected SyncHost Host { get; private set; } = null!;

    protected virtual IEnumerable<JsonObject> ServedRecords => RegistryRecords.All();

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Replay = await RegistryReplay.StartAsync(ServedRecords);
        Host = SyncHost.Create(Database, Replay);
    }

    public virtual async Task DisposeAsync()
    {
        Host.Dispose();
        await Replay.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Every study the configured queries select, each once: what a full sync must store.</summary>
    protected IReadOnlySet<string> ExpectedCatalogue() =>
        SyncHost.TestQueries.SelectMany(q => Replay.Matching(q)).ToHashSet(StringComparer.Ordinal);

    protected static JsonObject Protocol(JsonObject study) => study["protocolSection"]!.AsObject();
}
