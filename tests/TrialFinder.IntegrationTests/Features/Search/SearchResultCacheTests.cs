using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Web.Features.Search;
using Microsoft.Extensions.Options;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data.Search;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>
/// Answers to searches are kept per catalogue version: a search asked again after another process changed the
/// catalogue (a worker's sync commits from its own process) shows the change at once, on the API and the page.
/// </summary>
public sealed class SearchResultCacheTests : IAsyncLifetime
{
    private readonly CatalogFixture _catalog = new();

    public Task InitializeAsync() => _catalog.InitializeAsync();

    public Task DisposeAsync() => _catalog.DisposeAsync();

    [Fact]
    public async Task A_search_repeated_after_another_process_changed_a_study_shows_the_change()
    {
        using var client = _catalog.Web.CreateClient();
        const string Search = "/api/trials?q=neuroblastoma&status=RECRUITING&pageSize=5";
        var first = await client.GetFromJsonAsync<JsonObject>(Search);
        var again = await client.GetFromJsonAsync<JsonObject>(Search);
        Assert.Equal(first!.ToJsonString(), again!.ToJsonString());
        var trial = first["trials"]!.AsArray()[0]!;
        var nctId = trial["nctId"]!.GetValue<string>();
        var newTitle = trial["title"]!.GetValue<string>() + " (amended)";

        await using (var worker = _catalog.Database.CreateContext())
        {
            await worker.Database.ExecuteSqlAsync($"UPDATE studies SET brief_title = {newTitle} WHERE nct_id = {nctId}");
        }

        var afterChange = await client.GetFromJsonAsync<JsonObject>(Search);
        Assert.Equal(newTitle, afterChange!["trials"]!.AsArray().Single(t => t!["nctId"]!.GetValue<string>() == nctId)!["title"]!.GetValue<string>());
        var page = await client.GetStringAsync("/trials?q=neuroblastoma&status=RECRUITING&pageSize=5");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(newTitle), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_study_delisted_by_another_process_leaves_the_results_of_a_search_asked_before()
    {
        using var client = _catalog.Web.CreateClient();
        const string Search = "/api/trials?disease=neuroblastoma&pageSize=100";
        var before = (await client.GetFromJsonAsync<JsonObject>(Search))!;
        var nctId = before["trials"]!.AsArray()[0]!["nctId"]!.GetValue<string>();

        await using (var worker = _catalog.Database.CreateContext())
        {
            await worker.Database.ExecuteSqlAsync($"UPDATE studies SET is_listed = false, delisted_at = now() WHERE nct_id = {nctId}");
        }

        var after = (await client.GetFromJsonAsync<JsonObject>(Search))!;
        Assert.Equal(before["total"]!.GetValue<int>() - 1, after["total"]!.GetValue<int>());
        Assert.DoesNotContain(after["trials"]!.AsArray(), t => t!["nctId"]!.GetValue<string>() == nctId);
    }

    [Fact]
    public async Task A_sync_counts_as_writing_while_its_run_is_unfinished_and_committed_a_page_within_the_last_minute()
    {
        await using var db = _catalog.Database.CreateContext();
        Assert.False((await db.ReadCurrentCatalogAsync(CancellationToken.None)).SyncWriting, "the catalogue's own sync has finished");

        var now = DateTimeOffset.UtcNow;
        var writing = new SyncRun { Kind = SyncKind.Full, StartedAt = now.AddMinutes(-10), LastProgressAt = now.AddSeconds(-2) };
        var crashed = new SyncRun { Kind = SyncKind.Incremental, StartedAt = now.AddHours(-3), LastProgressAt = now.AddHours(-3) };
        db.SyncRuns.AddRange(writing, crashed);
        await db.SaveChangesAsync();
        var during = await db.ReadCurrentCatalogAsync(CancellationToken.None);

        writing.FinishedAt = now;
        writing.Outcome = SyncOutcome.Succeeded;
        await db.SaveChangesAsync();
        var after = await db.ReadCurrentCatalogAsync(CancellationToken.None);

        Assert.True(during.SyncWriting);
        Assert.False(after.SyncWriting, "a run whose worker stopped three hours ago is not writing");
        Assert.Equal(during.Version, after.Version);
    }

    [Fact]
    public async Task The_catalogue_version_moves_on_every_committed_write_to_studies_or_sites_and_on_nothing_else()
    {
        await using var db = _catalog.Database.CreateContext();
        var start = (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version;
        var nctId = await db.Studies.Select(s => s.NctId).OrderBy(id => id).FirstAsync();

        await db.Database.ExecuteSqlAsync($"UPDATE sync_runs SET message = 'read by a test'");
        Assert.Equal(start, (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE sites SET city = city WHERE nct_id = {nctId}");
            await transaction.RollbackAsync();
        }

        Assert.Equal(start, (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version);

        await db.Database.ExecuteSqlAsync($"UPDATE sites SET city = city WHERE nct_id = {nctId}");
        Assert.Equal(start + 1, (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version);
        await db.Database.ExecuteSqlAsync($"UPDATE studies SET takes_refractory = takes_refractory WHERE nct_id = {nctId}");
        Assert.Equal(start + 2, (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version);
    }

    [Fact]
    public async Task Recording_only_that_a_sync_saw_a_study_leaves_the_catalogue_version_and_every_other_column_moves_it()
    {
        await using var db = _catalog.Database.CreateContext();
        var start = (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version;

        await db.Database.ExecuteSqlAsync($"UPDATE study_sync_states SET last_synced_at = now(), last_seen_run_id = NULL, full_run_misses = 0");
        Assert.Equal(start, (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version);
        // Nor does stamping the version studies were read with (a re-read whose reading did not change).
        await db.Database.ExecuteSqlAsync($"UPDATE studies SET reading_version = 'r0-0123456789abcdef'");
        Assert.Equal(start, (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version);
        await db.Database.ExecuteSqlAsync($"UPDATE studies SET reading_version = {StudyReading.CurrentVersion}");

        // A column added to studies without refreshing the trigger would leave cached answers stale.
        var columns = await db.Database.SqlQueryRaw<string>("""
            SELECT attname AS "Value" FROM pg_attribute
            WHERE attrelid = 'studies'::regclass AND attnum > 0 AND NOT attisdropped
            """).ToListAsync();
        var watched = await db.Database.SqlQueryRaw<string>("""
            SELECT a.attname AS "Value" FROM pg_trigger t
            JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr::int2[])
            WHERE t.tgname = 'studies_catalog_version'
            """).ToListAsync();
        // The sync's own bookkeeping now lives in study_sync_states, which moves no version; its three old columns stay in
        // studies, unwritten, until a later release drops them.
        string[] bookkeeping = ["last_seen_run_id", "last_synced_at", "full_run_misses", "reading_version"];
        Assert.True(columns.Except(bookkeeping).Order().SequenceEqual(watched.Order()),
            "studies_catalog_version must watch every column of studies but the bookkeeping (the sync's old columns, the reading version): a migration that adds a column "
            + $"calls SELECT refresh_studies_catalog_version_trigger(). Not watched: {string.Join(", ", columns.Except(bookkeeping).Except(watched))}");
    }
}

/// <summary>How the site's answer cache shares one computation of a search between the requests that ask it at once.</summary>
public sealed class SearchResultCacheSharingTests
{
    private readonly SteppedClock _clock = new();
    private readonly SearchResultCache _cache;

    public SearchResultCacheSharingTests() => _cache = new SearchResultCache(Options.Create(new SearchOptions()), _clock);

    private static readonly Func<long, CurrentCatalog> Quiet = version => new CurrentCatalog(version, SyncWriting: false);
    private static readonly Func<long, CurrentCatalog> Syncing = version => new CurrentCatalog(version, SyncWriting: true);

    [Fact]
    public async Task Requests_asking_the_same_search_at_once_share_one_computation()
    {
        var computations = 0;
        var release = new TaskCompletionSource();
        Func<Task<SearchTrials.Result>> compute = async () =>
        {
            Interlocked.Increment(ref computations);
            await release.Task;
            return Answer(7);
        };

        var asking = Enumerable.Range(0, 10).Select(_ => _cache.GetOrComputeAsync(Quiet(1), "q=lutetium", compute, CancellationToken.None)).ToList();
        release.SetResult();
        var answers = await Task.WhenAll(asking);

        Assert.Equal(1, computations);
        Assert.All(answers, a => Assert.Equal(7, a.Total));
    }

    [Fact]
    public async Task While_the_answer_to_a_new_catalogue_version_is_computed_others_get_the_previous_answer_and_the_next_request_the_new_one()
    {
        await _cache.GetOrComputeAsync(Quiet(1), "near=Lyon", () => Task.FromResult(Answer(5)), CancellationToken.None);
        var release = new TaskCompletionSource();
        var computations = 0;
        Func<Task<SearchTrials.Result>> compute = async () =>
        {
            Interlocked.Increment(ref computations);
            await release.Task;
            return Answer(6);
        };

        var first = _cache.GetOrComputeAsync(Quiet(2), "near=Lyon", compute, CancellationToken.None);
        var meanwhile = await _cache.GetOrComputeAsync(Quiet(2), "near=Lyon", compute, CancellationToken.None);
        release.SetResult();

        Assert.Equal(5, meanwhile.Total);
        Assert.Equal(6, (await first).Total);
        Assert.Equal(6, (await _cache.GetOrComputeAsync(Quiet(2), "near=Lyon", compute, CancellationToken.None)).Total);
        Assert.Equal(1, computations);
        Assert.Equal(8, (await _cache.GetOrComputeAsync(Quiet(3), "near=Lyon", () => Task.FromResult(Answer(8)), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_request_waiting_on_a_computation_whose_own_request_went_away_computes_the_answer_itself()
    {
        using var gone = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var abandoned = _cache.GetOrComputeAsync(Quiet(1), "q=mibg", async () =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, gone.Token);
            return Answer(1);
        }, gone.Token);
        await started.Task;

        var waiting = _cache.GetOrComputeAsync(Quiet(1), "q=mibg", () => Task.FromResult(Answer(2)), CancellationToken.None);
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(2, (await waiting).Total);
    }

    [Fact]
    public async Task While_a_sync_writes_pages_an_answer_from_an_earlier_version_is_served_until_it_is_five_seconds_old()
    {
        await _cache.GetOrComputeAsync(Syncing(1), "near=Paris", () => Task.FromResult(Answer(5)), CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(4));
        var withinLifetime = await _cache.GetOrComputeAsync(Syncing(9), "near=Paris", () => Task.FromResult(Answer(6)), CancellationToken.None);
        var quietAfterChange = await _cache.GetOrComputeAsync(Quiet(10), "near=Paris", () => Task.FromResult(Answer(7)), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var pastLifetime = await _cache.GetOrComputeAsync(Syncing(20), "near=Paris", () => Task.FromResult(Answer(8)), CancellationToken.None);

        Assert.Equal(5, withinLifetime.Total);
        Assert.Equal(7, quietAfterChange.Total);
        Assert.Equal(8, pastLifetime.Total);
    }

    private sealed class SteppedClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private static SearchTrials.Result Answer(int total) =>
        new(SearchFilter.FromQueryString(""), new Dictionary<string, string[]>(), null, [], [], total, new StudySearchCriteria(), []);
}
