using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

public sealed class IncrementalSyncTests : SyncTestBase
{
    [Fact]
    public async Task Incremental_sync_asks_for_recent_updates_and_updates_exactly_the_changed_studies_with_their_history()
    {
        var full = await Host.SyncAsync(RunSync.Command.Full());
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Replay.Update("NCT03363373", today, study =>
            Protocol(study)["statusModule"]!["overallStatus"] = "ACTIVE_NOT_RECRUITING");
        Replay.Update("NCT04711135", today, study =>
        {
            Protocol(study)["eligibilityModule"]!["maximumAge"] = "21 Years";
            var locations = Protocol(study)["contactsLocationsModule"]!["locations"]!.AsArray();
            locations[0]!["status"] = "COMPLETED";
            locations.Add(new JsonObject
            {
                ["facility"] = "Gustave Roussy", ["status"] = "RECRUITING", ["city"] = "Villejuif", ["country"] = "France",
                ["geoPoint"] = new JsonObject { ["lat"] = 48.7939, ["lon"] = 2.3592 },
            });
        });
        var unchangedBefore = await CatalogState.ReadAsync(Database);

        var summary = await Host.SyncAsync(RunSync.Command.Incremental());

        Assert.Equal(SyncOutcome.Succeeded, summary.Outcome);
        Assert.Equal(SyncKind.Incremental, summary.Kind);
        Assert.Equal(2, summary.Updated);
        Assert.Equal(0, summary.Inserted);
        var since = today.AddDays(-3).ToString("yyyy-MM-dd");
        Assert.Contains(Replay.Requests, r => Uri.UnescapeDataString(r.PathAndQuery).Contains($"filter.advanced=AREA[LastUpdatePostDate]RANGE[{since},MAX]"));
        Assert.Empty(Replay.SpecViolations);

        await using var db = Database.CreateContext();
        var changes = await db.StudyChanges.OrderBy(c => c.Id).ToListAsync();
        var status = Assert.Single(changes, c => c.NctId == "NCT03363373");
        Assert.Equal((StudyChangeKinds.OverallStatus, "RECRUITING", "ACTIVE_NOT_RECRUITING"), (status.Kind, status.OldValue, status.NewValue));
        var kinds = changes.Where(c => c.NctId == "NCT04711135").Select(c => c.Kind).Order().ToList();
        Assert.Equal([StudyChangeKinds.EligibleAges, StudyChangeKinds.SiteAdded, StudyChangeKinds.SiteStatus], kinds);
        Assert.All(changes, c => Assert.Equal(summary.RunId, c.SyncRunId));

        var after = await CatalogState.ReadAsync(Database);
        var changedLines = after.Studies.Except(unchangedBefore.Studies).Select(line => line[..11]).ToList();
        Assert.Equal(["NCT03363373", "NCT04711135"], changedLines.Order());
        Assert.NotEqual(full.RunId, summary.RunId);
    }

    [Fact]
    public async Task The_first_sync_after_a_snapshot_import_is_a_full_reconciliation_and_the_next_one_is_incremental()
    {
        await Host.SendAsync(new TrialFinder.Sync.Catalog.ImportSnapshot.Command(TestPaths.CorpusStudies));

        var first = await Host.SyncAsync(RunSync.Command.Incremental());

        Assert.Equal((SyncKind.Full, SyncOutcome.Succeeded), (first.Kind, first.Outcome));
        Assert.DoesNotContain(Replay.Requests, r => r.PathAndQuery.Contains("filter.advanced"));
        await using (var db = Database.CreateContext())
        {
            var listed = await db.Studies.Where(s => s.IsListed).Select(s => s.NctId).ToListAsync();
            Assert.Superset(ExpectedCatalogue().ToHashSet(), listed.ToHashSet());
        }

        var second = await Host.SyncAsync(RunSync.Command.Incremental());

        Assert.Equal(SyncKind.Incremental, second.Kind);
        Assert.Contains(Replay.Requests, r => Uri.UnescapeDataString(r.PathAndQuery).Contains("AREA[LastUpdatePostDate]RANGE["));
    }

    [Fact]
    public async Task Incremental_sync_with_nothing_stored_runs_a_full_reconciliation()
    {
        var summary = await Host.SyncAsync(RunSync.Command.Incremental());

        Assert.Equal(SyncKind.Full, summary.Kind);
        Assert.Equal(ExpectedCatalogue().Count, summary.Inserted);
        Assert.DoesNotContain(Replay.Requests, r => r.PathAndQuery.Contains("filter.advanced"));
    }

    [Fact]
    public async Task Refresh_by_id_updates_the_named_study_and_reports_an_unknown_id()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        Replay.Update("NCT03363373", DateOnly.FromDateTime(DateTime.UtcNow), study =>
            Protocol(study)["statusModule"]!["overallStatus"] = "COMPLETED");

        var summary = await Host.SyncAsync(RunSync.Command.Refresh(["NCT03363373", "NCT09999999"]));

        Assert.Equal(SyncOutcome.Succeeded, summary.Outcome);
        Assert.Equal((1, 1), (summary.Updated, summary.Failed));
        Assert.Contains(Replay.Requests, r => r.PathAndQuery == "/api/v2/studies/NCT03363373");
        await using var db = Database.CreateContext();
        Assert.Equal("COMPLETED", (await db.Studies.SingleAsync(s => s.NctId == "NCT03363373")).OverallStatus);
        Assert.Contains("NCT09999999", (await db.SyncErrors.SingleAsync(e => e.SyncRunId == summary.RunId)).Message);
    }

    [Fact]
    public async Task Refresh_rejects_a_malformed_id_before_asking_the_registry()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Host.SyncAsync(RunSync.Command.Refresh(["NCT123"])));
        Assert.Empty(Replay.Requests);
    }
}
