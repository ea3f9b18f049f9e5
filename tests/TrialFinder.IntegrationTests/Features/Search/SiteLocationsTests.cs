using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Syncing;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>
/// The points where sites are, which a place search reads nearest first: whatever writes the sites (a first sync, a
/// study whose sites moved, a direct write), each point holds exactly its sites' number, and a point whose last site
/// went is gone, so a search never reads a stale point or misses a new one.
/// </summary>
public sealed class SiteLocationsTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private RegistryReplay _replay = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(300, seed: 5));
    }

    public async Task DisposeAsync()
    {
        await _replay.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Each_point_counts_the_sites_at_it_through_syncs_and_direct_writes()
    {
        using var host = SyncHost.Create(_database, _replay, pageSize: 100, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);
        Assert.Equal(SyncOutcome.Succeeded, (await host.SyncAsync(RunSync.Command.Full())).Outcome);
        var afterFirstSync = await PointsAsync();
        Assert.True(afterFirstSync.Count > 100, $"{afterFirstSync.Count} points");
        await AssertPointsMatchSitesAsync();

        // A registry update moves every site of one study to a point no other site uses, and drops another study's sites.
        var (moved, emptied) = await TwoStudiesWithSitesAsync();
        var newPoint = (Latitude: -33.918861, Longitude: 18.4233);
        _replay.Update(moved, new DateOnly(2026, 11, 26), study =>
        {
            foreach (var location in study["protocolSection"]!["contactsLocationsModule"]!["locations"]!.AsArray())
            {
                location!["geoPoint"] = new JsonObject { ["lat"] = newPoint.Latitude, ["lon"] = newPoint.Longitude };
            }
        });
        _replay.Update(emptied, new DateOnly(2026, 11, 26), study => study["protocolSection"]!["contactsLocationsModule"]!.AsObject().Remove("locations"));
        Assert.Equal(SyncOutcome.Succeeded, (await host.SyncAsync(RunSync.Command.Full())).Outcome);

        var afterChange = await PointsAsync();
        Assert.Equal(_replay.Get(moved)["protocolSection"]!["contactsLocationsModule"]!["locations"]!.AsArray().Count, afterChange[newPoint]);
        await AssertPointsMatchSitesAsync();

        // Direct writes: a site moved in place, a study's sites deleted, and every site truncated by the owner.
        await ExecuteAsync($"UPDATE sites SET latitude = 1.5, longitude = 2.5 WHERE id = (SELECT min(id) FROM sites WHERE nct_id = '{moved}')");
        Assert.Equal((1, afterChange[newPoint] - 1), ((await PointsAsync())[(1.5, 2.5)], (await PointsAsync())[newPoint]));
        await AssertPointsMatchSitesAsync();
        await ExecuteAsync($"DELETE FROM sites WHERE nct_id = '{moved}'");
        Assert.DoesNotContain(newPoint, (await PointsAsync()).Keys);
        Assert.DoesNotContain((1.5, 2.5), (await PointsAsync()).Keys);
        await AssertPointsMatchSitesAsync();
        await ExecuteAsync("TRUNCATE sites");
        Assert.Empty(await PointsAsync());
    }

    private async Task<Dictionary<(double Latitude, double Longitude), int>> PointsAsync()
    {
        await using var db = _database.CreateContext();
        return await db.SiteLocations.AsNoTracking().ToDictionaryAsync(l => (l.Latitude, l.Longitude), l => l.Sites);
    }

    private async Task AssertPointsMatchSitesAsync()
    {
        await using var db = _database.CreateContext();
        var counted = await db.Sites.AsNoTracking()
            .Where(s => s.Latitude != null && s.Longitude != null)
            .GroupBy(s => new { s.Latitude, s.Longitude })
            .Select(g => new { g.Key.Latitude, g.Key.Longitude, Sites = g.Count() })
            .ToListAsync();
        var points = await PointsAsync();
        Assert.Equal(
            counted.Select(c => (c.Latitude!.Value, c.Longitude!.Value, c.Sites)).Order(),
            points.Select(p => (p.Key.Latitude, p.Key.Longitude, p.Value)).Order());
    }

    private async Task<(string Moved, string Emptied)> TwoStudiesWithSitesAsync()
    {
        await using var db = _database.CreateContext();
        var ids = await db.Studies.AsNoTracking().Where(s => s.Sites.Count(site => site.Latitude != null) >= 2)
            .OrderBy(s => s.NctId).Select(s => s.NctId).Take(2).ToListAsync();
        return (ids[0], ids[1]);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
