using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TrialFinder.Data;
using TrialFinder.Data.Search;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Web.Features.Catalog;

namespace TrialFinder.IntegrationTests.Features.Catalog;

/// <summary>
/// The site as deployed keeps the catalogue's version in memory while it listens for the database's notice of each
/// change: a repeated search or page asks the database nothing for it, and a change committed by another process
/// (a worker's sync) still shows within moments, also after the listening connection was lost.
/// </summary>
public sealed class CatalogChangeListenerTests : IAsyncLifetime
{
    private const string Search = "/api/trials?q=neuroblastoma&status=RECRUITING&pageSize=5";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly CatalogFixture _catalog = new();
    private readonly VersionReads _versionReads = new();
    private WebApplicationFactory<TrialFinder.Web.Localization.SiteText> _web = null!;

    public async Task InitializeAsync()
    {
        await _catalog.InitializeAsync();
        _web = new WebTestHost(_catalog.Database) { ListenForChanges = true }.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureDbContext<TrialFinderDbContext>(options => options.AddInterceptors(_versionReads))));
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _catalog.DisposeAsync();
    }

    [Fact]
    public async Task While_listening_repeated_searches_and_pages_read_no_version_and_a_change_committed_elsewhere_shows_within_moments()
    {
        using var client = _web.CreateClient();
        await ListeningAsync();
        var first = (await client.GetFromJsonAsync<JsonObject>(Search))!;
        _versionReads.Reset();

        await client.GetStringAsync(Search);
        await client.GetStringAsync("/trials?q=neuroblastoma&status=RECRUITING&pageSize=5");
        await client.GetStringAsync("/");
        var readsWhileUnchanged = _versionReads.Count;

        var nctId = first["trials"]!.AsArray()[0]!["nctId"]!.GetValue<string>();
        var newTitle = first["trials"]!.AsArray()[0]!["title"]!.GetValue<string>() + " (amended)";
        await AmendTitleAsync(nctId, newTitle);
        var shown = await EventuallyAsync(async () => await TitleAsync(client, nctId) == newTitle);

        Assert.Equal(0, readsWhileUnchanged);
        Assert.True(shown, $"the amended title of {nctId} did not show within {Patience.TotalSeconds} s");
        Assert.True(_versionReads.Count > 0, "the notice of the change made the site read the version again");
    }

    [Fact]
    public async Task Without_its_listening_connection_the_site_reads_each_change_at_once_and_listens_again_once_the_database_announces_changes()
    {
        using var client = _web.CreateClient();
        await ListeningAsync();
        var first = (await client.GetFromJsonAsync<JsonObject>(Search))!;
        var nctId = first["trials"]!.AsArray()[0]!["nctId"]!.GetValue<string>();
        var lostPid = await ListenerPidAsync();

        // Hidden, the function makes the database look as if it did not announce changes (the migration not run yet):
        // the site must not listen again, so the change below is read while nothing is heard. Triggers call it by oid.
        await ExecuteAsync("ALTER FUNCTION announce_catalog_change() RENAME TO announce_catalog_change_hidden");
        await ExecuteAsync($"SELECT pg_terminate_backend({lostPid})");
        var stoppedListening = await EventuallyAsync(() => Task.FromResult(!Cache.IsListening));
        var newTitle = first["trials"]!.AsArray()[0]!["title"]!.GetValue<string>() + " (amended)";
        await AmendTitleAsync(nctId, newTitle);
        var shownAtOnce = await TitleAsync(client, nctId);
        // The first retry comes after 1 s and the next after 2 s more: both must find the database silent.
        var listenedWhileHidden = await EventuallyAsync(() => Task.FromResult(Cache.IsListening), TimeSpan.FromSeconds(3.5));

        await ExecuteAsync("ALTER FUNCTION announce_catalog_change_hidden() RENAME TO announce_catalog_change");
        var listensAgain = await EventuallyAsync(async () => await ListenerPidAsync() is { } pid && pid != lostPid && Cache.IsListening);
        await client.GetStringAsync(Search);
        _versionReads.Reset();
        await client.GetStringAsync(Search);

        Assert.True(stoppedListening, "the site did not notice that its listening connection was gone");
        Assert.Equal(newTitle, shownAtOnce);
        Assert.False(listenedWhileHidden, "the site listened to a database that does not announce changes");
        Assert.True(listensAgain, "the site did not listen again on a new connection");
        Assert.Equal(0, _versionReads.Count);
    }

    [Fact]
    public async Task While_listening_the_header_line_follows_the_sync_runs_another_process_records()
    {
        var visitor = WebSession.Anonymous(_web);
        await ListeningAsync();
        var before = await HeaderAsync(visitor);

        await ExecuteAsync("UPDATE sync_runs SET finished_at = finished_at - interval '3 days', snapshot_taken_on = DATE '2020-01-02'");
        var shown = await EventuallyAsync(async () => (await HeaderAsync(visitor)).Contains("2 January 2020", StringComparison.Ordinal));

        Assert.DoesNotContain("2 January 2020", before, StringComparison.Ordinal);
        Assert.True(shown, "the header line did not show the snapshot date recorded by another process");
    }

    [Fact]
    public async Task The_database_announces_each_committed_transaction_that_changes_the_catalogue_or_its_sync_runs_once_and_never_a_rollback()
    {
        await using var listener = new NpgsqlConnection(_catalog.Database.ConnectionString);
        var notices = 0;
        listener.Notification += (_, notice) => notices += notice.Channel == CatalogVersionQuery.ChangeChannel ? 1 : 0;
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {CatalogVersionQuery.ChangeChannel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await using var db = _catalog.Database.CreateContext();
        var nctId = await db.Studies.Select(s => s.NctId).OrderBy(id => id).FirstAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE sites SET city = city WHERE nct_id = {nctId}");
            await transaction.RollbackAsync();
        }

        var afterRollback = await NoticesWithinAsync(listener, () => notices);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE sites SET city = city WHERE nct_id = {nctId}");
            await db.Database.ExecuteSqlAsync($"UPDATE studies SET takes_refractory = takes_refractory WHERE nct_id = {nctId}");
            await transaction.CommitAsync();
        }

        var afterCatalogueChange = await NoticesWithinAsync(listener, () => notices);
        await db.Database.ExecuteSqlAsync($"UPDATE sync_runs SET message = 'read by a test'");
        var afterSyncRunChange = await NoticesWithinAsync(listener, () => notices);
        await db.Database.ExecuteSqlAsync($"UPDATE study_sync_states SET last_synced_at = now() WHERE nct_id = {nctId}");
        var afterBookkeeping = await NoticesWithinAsync(listener, () => notices);

        Assert.Equal(0, afterRollback);
        Assert.Equal(1, afterCatalogueChange);
        Assert.Equal(2, afterSyncRunChange);
        Assert.Equal(2, afterBookkeeping);
    }

    private CurrentCatalogCache Cache => _web.Services.GetRequiredService<CurrentCatalogCache>();

    private async Task ListeningAsync() =>
        Assert.True(await EventuallyAsync(() => Task.FromResult(Cache.IsListening)), "the site never listened for catalogue changes");

    private async Task<int?> ListenerPidAsync()
    {
        await using var connection = new NpgsqlConnection(_catalog.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", connection);
        command.Parameters.AddWithValue("name", CatalogChangeListener.ApplicationName);
        return await command.ExecuteScalarAsync() as int?;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_catalog.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> HeaderAsync(WebSession visitor) =>
        (await visitor.DocumentAsync("/")).QuerySelector(".data-source")!.TextContent;

    private async Task AmendTitleAsync(string nctId, string newTitle)
    {
        await using var worker = _catalog.Database.CreateContext();
        await worker.Database.ExecuteSqlAsync($"UPDATE studies SET brief_title = {newTitle} WHERE nct_id = {nctId}");
    }

    private static async Task<string?> TitleAsync(HttpClient client, string nctId) =>
        (await client.GetFromJsonAsync<JsonObject>(Search))!["trials"]!.AsArray()
            .SingleOrDefault(t => t!["nctId"]!.GetValue<string>() == nctId)?["title"]?.GetValue<string>();

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Patience);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>The notices counted once the connection has stayed quiet for half a second.</summary>
    private static async Task<int> NoticesWithinAsync(NpgsqlConnection listener, Func<int> notices)
    {
        while (await listener.WaitAsync(TimeSpan.FromMilliseconds(500)))
        {
        }

        return notices();
    }

    /// <summary>Counts the statements that read the catalogue's version.</summary>
    private sealed class VersionReads : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM catalog_version", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
