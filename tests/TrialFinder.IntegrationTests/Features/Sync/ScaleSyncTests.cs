using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using Xunit.Abstractions;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>The sync over a generated catalogue of thousands of studies served by the replay.</summary>
public sealed class ScaleSyncTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Studies = 2_000;

    private readonly TestDatabase _database = new();
    private RegistryReplay _replay = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(Studies, seed: 2));
    }

    public async Task DisposeAsync()
    {
        await _replay.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_full_sync_of_two_thousand_generated_studies_stores_exactly_the_served_catalogue()
    {
        var served = SyncOptions.DefaultQueries.SelectMany(q => _replay.Matching(q)).ToHashSet(StringComparer.Ordinal);
        var servedSites = served.Sum(id => _replay.Get(id)["protocolSection"]!["contactsLocationsModule"]?["locations"]?.AsArray().Count ?? 0);
        using var host = SyncHost.Create(_database, _replay, pageSize: 200, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);
        var clock = Stopwatch.StartNew();

        var summary = await host.SyncAsync(RunSync.Command.Full());

        output.WriteLine($"Full sync of {served.Count} generated studies ({servedSites} sites): {clock.Elapsed.TotalSeconds:0.0} s, {summary.Pages} pages, {summary.Seen} seen");
        Assert.Equal(SyncOutcome.Succeeded, summary.Outcome);
        Assert.Equal((Studies, 0, 0), (served.Count, summary.Failed, summary.Delisted));
        Assert.Equal(served.Count, summary.Inserted);
        await using var db = _database.CreateContext();
        var stored = await db.Studies.AsNoTracking()
            .Select(s => new { s.NctId, s.BriefTitle, s.IsListed, s.Diseases, Sites = s.Sites.Count })
            .ToListAsync();
        Assert.Equal(served.Order(StringComparer.Ordinal), stored.Select(s => s.NctId).Order(StringComparer.Ordinal));
        Assert.Equal(servedSites, stored.Sum(s => s.Sites));
        Assert.All(stored, s => Assert.True(s.IsListed && s.BriefTitle.EndsWith(ScaleCatalog.TitleMarker, StringComparison.Ordinal), s.NctId));
        Assert.All(stored, s => Assert.NotEmpty(s.Diseases));
        Assert.Empty(_replay.SpecViolations);
    }
}
