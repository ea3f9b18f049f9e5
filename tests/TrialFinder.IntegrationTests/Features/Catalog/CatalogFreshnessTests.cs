using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data.Search;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Catalog;

/// <summary>The header line every page shows: when the catalogue was last brought up to date with the registry.</summary>
public sealed class CatalogFreshnessTests : IAsyncLifetime
{
    private SyncedSite _synced = null!;

    public async Task InitializeAsync() => _synced = await SyncedSite.StartAsync();

    public async Task DisposeAsync() => await _synced.DisposeAsync();

    [Fact]
    public async Task The_header_shows_when_the_last_sync_finished_even_one_that_found_nothing_new()
    {
        var visitor = _synced.Site.Visitor();
        var today = Day(DateTime.UtcNow);
        var afterFirstSync = await HeaderAsync(visitor);
        await using var db = _synced.Database.CreateContext();
        await db.Database.ExecuteSqlAsync(
            $"UPDATE sync_runs SET started_at = started_at - interval '3 days', finished_at = finished_at - interval '3 days', last_progress_at = last_progress_at - interval '3 days'");
        var afterRunsMovedBack = await HeaderAsync(visitor);
        var versionBefore = (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version;

        await _synced.SyncAsync(RunSync.Command.Incremental());
        var afterNothingNew = await HeaderAsync(visitor);

        Assert.Contains($"Updated from ClinicalTrials.gov on {today}", afterFirstSync);
        Assert.Contains($"Updated from ClinicalTrials.gov on {Day(DateTime.UtcNow.AddDays(-3))}", afterRunsMovedBack);
        Assert.Equal(versionBefore, (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version);
        Assert.Contains($"Updated from ClinicalTrials.gov on {today}", afterNothingNew);
    }

    private static string Day(DateTime utc) => utc.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static async Task<string> HeaderAsync(WebSession visitor)
    {
        var page = await visitor.DocumentAsync("/trials?q=neuroblastoma");
        return page.QuerySelector(".data-source")!.TextContent;
    }
}
