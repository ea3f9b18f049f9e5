using TrialFinder.Core.Studies;
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
    public async Task The_catalogue_version_moves_on_every_committed_write_to_studies_or_sites_and_on_nothing_else()
    {
        await using var db = _catalog.Database.CreateContext();
        var start = await db.ReadCatalogVersionAsync(CancellationToken.None);
        var nctId = await db.Studies.Select(s => s.NctId).OrderBy(id => id).FirstAsync();

        await db.Database.ExecuteSqlAsync($"UPDATE sync_runs SET message = 'read by a test'");
        Assert.Equal(start, await db.ReadCatalogVersionAsync(CancellationToken.None));

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE sites SET city = city WHERE nct_id = {nctId}");
            await transaction.RollbackAsync();
        }

        Assert.Equal(start, await db.ReadCatalogVersionAsync(CancellationToken.None));

        await db.Database.ExecuteSqlAsync($"UPDATE sites SET city = city WHERE nct_id = {nctId}");
        Assert.Equal(start + 1, await db.ReadCatalogVersionAsync(CancellationToken.None));
        await db.Database.ExecuteSqlAsync($"UPDATE studies SET takes_refractory = takes_refractory WHERE nct_id = {nctId}");
        Assert.Equal(start + 2, await db.ReadCatalogVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Recording_only_that_a_sync_saw_a_study_leaves_the_catalogue_version_and_every_other_column_moves_it()
    {
        await using var db = _catalog.Database.CreateContext();
        var start = await db.ReadCatalogVersionAsync(CancellationToken.None);

        await db.Database.ExecuteSqlAsync($"UPDATE studies SET last_synced_at = now(), last_seen_run_id = NULL, full_run_misses = 0");
        Assert.Equal(start, await db.ReadCatalogVersionAsync(CancellationToken.None));
        // Nor does stamping the version studies were read with (a re-read whose reading did not change).
        await db.Database.ExecuteSqlAsync($"UPDATE studies SET reading_version = 'r0-0123456789abcdef'");
        Assert.Equal(start, await db.ReadCatalogVersionAsync(CancellationToken.None));
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
        string[] bookkeeping = ["last_seen_run_id", "last_synced_at", "full_run_misses", "reading_version"];
        Assert.True(columns.Except(bookkeeping).Order().SequenceEqual(watched.Order()),
            "studies_catalog_version must watch every column of studies but the bookkeeping (the sync's, the reading version): a migration that adds a column "
            + $"calls SELECT refresh_studies_catalog_version_trigger(). Not watched: {string.Join(", ", columns.Except(bookkeeping).Except(watched))}");
    }
}
