using TrialFinder.Sync.Catalog;
using TrialFinder.Data;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Data.Search;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

public sealed class FullSyncTests : SyncTestBase
{
    [Fact]
    public async Task Kinds_outcomes_and_sources_are_stored_as_the_same_words_as_before_they_were_enums()
    {
        await Host.SyncAsync(RunSync.Command.Full());

        await using var db = Database.CreateContext();
        var run = await db.Database.SqlQueryRaw<string>("SELECT kind || '/' || outcome AS \"Value\" FROM sync_runs").SingleAsync();
        var sources = await db.Database.SqlQueryRaw<string>("SELECT DISTINCT source AS \"Value\" FROM studies").ToListAsync();
        Assert.Equal("full/succeeded", run);
        Assert.Equal(["registry"], sources);
        Assert.Equal(1, await db.SyncRuns.CountAsync(r => r.Kind == SyncKind.Full && r.Outcome == SyncOutcome.Succeeded));
    }

    [Fact]
    public async Task Full_sync_stores_exactly_the_studies_served_and_a_second_run_changes_nothing()
    {
        var expected = ExpectedCatalogue();
        Assert.Contains("NCT02513394", expected); // the 1.5 MB record with 437 sites

        var first = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Succeeded, first.Outcome);
        Assert.Equal(expected.Count, first.Inserted);
        Assert.Equal(expected.Count, first.Seen);
        Assert.Equal(0, first.Failed);
        await using (var db = Database.CreateContext())
        {
            var stored = await db.Studies.Select(s => s.NctId).ToListAsync();
            Assert.Equal(expected.Order(), stored.Order());
            var big = await db.Studies.Include(s => s.Sites).SingleAsync(s => s.NctId == "NCT02513394");
            Assert.Equal(437, big.Sites.Count);
            Assert.Equal("ACTIVE_NOT_RECRUITING", big.OverallStatus);
            var run = await db.SyncRuns.SingleAsync();
            Assert.True(run.Pages > SyncHost.TestQueries.Count, "pages of several queries were fetched");
            Assert.True(run.ExpectedStudies >= expected.Count, "countTotal of every query is recorded");
        }

        Assert.Empty(Replay.SpecViolations);
        Assert.All(Replay.Requests, r => Assert.StartsWith("TrialFinder/", r.UserAgent));
        Assert.All(Replay.Requests, r => Assert.Contains("pageSize=7", r.PathAndQuery));

        var second = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Succeeded, second.Outcome);
        Assert.Equal((0, 0, expected.Count, 0), (second.Inserted, second.Updated, second.Unchanged, second.Delisted));
        await using (var db = Database.CreateContext())
        {
            Assert.Equal(0, await db.StudyChanges.CountAsync());
        }
    }

    [Fact]
    public async Task A_query_listed_twice_writes_and_counts_each_of_its_studies_once()
    {
        var query = TrialFinder.Infrastructure.Jobs.SyncOptions.DefaultQueries[0];
        var served = Replay.Matching(query).ToHashSet(StringComparer.Ordinal);
        Assert.True(served.Count > 7, "the query spans several pages");
        using var host = SyncHost.Create(Database, Replay, queries: [query, query]);

        var run = await host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Succeeded, run.Outcome);
        Assert.Equal((served.Count, served.Count, 0, 0), (run.Seen, run.Inserted, run.Updated, run.Failed));
        await using var db = Database.CreateContext();
        Assert.Equal(served.Order(), (await db.Studies.Select(s => s.NctId).ToListAsync()).Order());
        Assert.Equal(0, await db.StudyChanges.CountAsync());
        var stored = await db.SyncRuns.SingleAsync();
        Assert.Equal([served.Count, served.Count], stored.QueryReceived);
    }

    [Fact]
    public async Task A_page_sorted_out_before_the_previous_page_was_committed_does_not_write_again_the_studies_that_page_wrote()
    {
        // How the sync overlaps pages: the next page is sorted out and mapped while the previous one commits.
        var records = Replay.Matching(TrialFinder.Infrastructure.Jobs.SyncOptions.DefaultQueries[0]).Take(10)
            .Select(id => JsonSerializer.SerializeToElement(Replay.Get(id))).ToList();
        await using var scope = Host.Services.CreateAsyncScope();
        var writer = scope.ServiceProvider.GetRequiredService<CatalogPageWriter>();
        var db = scope.ServiceProvider.GetRequiredService<TrialFinderDbContext>();
        var now = DateTimeOffset.UtcNow;
        var run = new SyncRun { Kind = SyncKind.Full, StartedAt = now, LastProgressAt = now, Lease = Guid.NewGuid(), Queries = ["q"], QueryTotals = [-1], QueryReceived = [0] };
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        await using var syncLock = await SyncLock.TryAcquireAsync(Database.ConnectionString, CancellationToken.None);
        var origin = new PageOrigin(StudySource.Registry, "q");

        var first = await writer.SortOutAsync(run, records[..6], CancellationToken.None);
        var second = await writer.SortOutAsync(run, records[3..], CancellationToken.None);
        await writer.CommitAsync(syncLock!, run, writer.Map(first, origin), _ => { }, CancellationToken.None);
        await writer.CommitAsync(syncLock!, run, writer.Map(second, origin), _ => { }, CancellationToken.None);

        Assert.Equal((10, 10, 0, 0, 2), (run.Seen, run.Inserted, run.Updated, run.Unchanged, run.Pages));
        await using var check = Database.CreateContext();
        Assert.Equal(10, await check.Studies.CountAsync());
        Assert.Equal(0, await check.StudyChanges.CountAsync());
    }

    [Fact]
    public async Task A_full_sync_that_finds_nothing_new_keeps_the_catalogue_version_so_cached_answers_stay_and_a_change_moves_it()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        var afterFirst = await CatalogVersionAsync();

        var second = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal((0, 0, 0), (second.Inserted, second.Updated, second.Delisted));
        Assert.Equal(afterFirst, await CatalogVersionAsync());

        Replay.Put(RegistryRecords.SharedVersion("NCT02552212.derived-2024-01-03.json"));
        var third = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(1, third.Updated);
        Assert.True(await CatalogVersionAsync() > afterFirst, "a changed study moves the catalogue version");
    }

    private async Task<long> CatalogVersionAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version;
    }

    [Fact]
    public async Task A_change_only_in_the_derived_section_updates_the_stored_copy_but_records_no_history()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        Replay.Put(RegistryRecords.SharedVersion("NCT02552212.derived-2024-01-03.json"));

        var summary = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(1, summary.Updated);
        await using var db = Database.CreateContext();
        Assert.Empty(await db.StudyChanges.Where(c => c.NctId == "NCT02552212").ToListAsync());
        var stored = await db.Studies.SingleAsync(s => s.NctId == "NCT02552212");
        Assert.Contains("2024-01-03", stored.RawJson);
    }

    [Fact]
    public async Task Studies_no_longer_served_are_delisted_not_deleted_and_come_back_when_listed_again()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        var removed = Replay.Get("NCT03363373");
        Replay.Remove("NCT03363373");
        Assert.Equal(0, (await Host.SyncAsync(RunSync.Command.Full())).Delisted); // a first miss only counts

        var summary = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(1, summary.Delisted);
        await using (var db = Database.CreateContext())
        {
            var study = await db.Studies.SingleAsync(s => s.NctId == "NCT03363373");
            Assert.False(study.IsListed);
            Assert.NotNull(study.DelistedAt);
            Assert.Single(await db.StudyChanges.Where(c => c.NctId == "NCT03363373" && c.Kind == StudyChangeKinds.Listing).ToListAsync());
        }

        Replay.Put(removed);
        await Host.SyncAsync(RunSync.Command.Full());
        await using (var db = Database.CreateContext())
        {
            Assert.True((await db.Studies.SingleAsync(s => s.NctId == "NCT03363373")).IsListed);
        }
    }

    [Fact]
    public async Task A_malformed_record_is_counted_and_reported_and_never_overwrites_the_good_stored_copy()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        await using var before = Database.CreateContext();
        var good = await before.Studies.AsNoTracking().SingleAsync(s => s.NctId == "NCT04903899");
        Replay.Update("NCT04903899", DateOnly.FromDateTime(DateTime.UtcNow), study =>
        {
            Protocol(study)["eligibilityModule"]!["minimumAge"] = "about ten years";
            Protocol(study)["identificationModule"]!["briefTitle"] = "A title that must not be stored";
        });

        var summary = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Succeeded, summary.Outcome);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(0, summary.Delisted);
        await using var db = Database.CreateContext();
        var stored = await db.Studies.AsNoTracking().SingleAsync(s => s.NctId == "NCT04903899");
        Assert.Equal(good.ContentHash, stored.ContentHash);
        Assert.Equal(good.BriefTitle, stored.BriefTitle);
        Assert.Equal(good.MinimumAgeYears, stored.MinimumAgeYears);
        Assert.True(stored.IsListed);
        var error = await db.SyncErrors.SingleAsync(e => e.SyncRunId == summary.RunId);
        Assert.Equal("NCT04903899", error.NctId);
        Assert.Contains("about ten years", error.Message);
    }

    [Fact]
    public async Task A_malformed_page_fails_the_run_with_a_clear_recorded_error_and_leaves_stored_data_intact()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        var before = await CatalogState.ReadAsync(Database);
        Replay.FailStudiesRequest(2, new RegistryReplay.Fault.MalformedJson());

        var summary = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Failed, summary.Outcome);
        Assert.Contains("Page 2", summary.Message);
        CatalogState.AssertSame(before, await CatalogState.ReadAsync(Database));
        await using var db = Database.CreateContext();
        var error = await db.SyncErrors.SingleAsync(e => e.SyncRunId == summary.RunId);
        Assert.Equal(2, error.Page);
        Assert.NotNull(error.Query);
    }

    [Fact]
    public async Task Rate_limits_server_errors_and_timeouts_are_retried_honouring_Retry_After_and_the_run_succeeds()
    {
        Replay.FailStudiesRequest(1, new RegistryReplay.Fault.TooManyRequests(RetryAfterSeconds: 1));
        Replay.FailStudiesRequest(2, new RegistryReplay.Fault.ServiceUnavailable());
        Replay.FailStudiesRequest(3, new RegistryReplay.Fault.ServiceUnavailable());
        Replay.FailStudiesRequest(4, new RegistryReplay.Fault.Slow(TimeSpan.FromSeconds(6)));

        var summary = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Succeeded, summary.Outcome);
        Assert.Equal(ExpectedCatalogue().Count, summary.Inserted);
        var requests = Replay.Requests.Where(r => r.PathAndQuery.StartsWith("/api/v2/studies?", StringComparison.Ordinal)).ToList();
        Assert.Equal(summary.Pages + 4, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(950),
            $"the retry after a 429 with Retry-After: 1 waited only {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
        Assert.Equal(requests[0].PathAndQuery, requests[4].PathAndQuery);
    }

    [Fact]
    public async Task Two_worker_hosts_against_one_database_never_run_a_sync_at_the_same_time()
    {
        Replay.PageDelay = TimeSpan.FromMilliseconds(150);
        using var secondWorker = SyncHost.Create(Database, Replay);

        var first = Host.SyncAsync(RunSync.Command.Full());
        var second = secondWorker.SyncAsync(RunSync.Command.Full());
        var outcomes = await Task.WhenAll(Capture(first), Capture(second));

        Assert.Single(outcomes, o => o is SyncRunSummary { Outcome: SyncOutcome.Succeeded });
        Assert.Single(outcomes, o => o is SyncAlreadyRunningException);
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.SyncRuns.CountAsync());
    }

    private static async Task<object> Capture(Task<SyncRunSummary> sync)
    {
        try
        {
            return await sync;
        }
        catch (SyncAlreadyRunningException exception)
        {
            return exception;
        }
    }
}
