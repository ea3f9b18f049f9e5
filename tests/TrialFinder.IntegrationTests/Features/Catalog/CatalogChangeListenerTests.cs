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
    public async Task After_the_listening_connection_is_lost_a_change_shows_and_the_site_listens_again()
    {
        using var client = _web.CreateClient();
        await ListeningAsync();
        var first = (await client.GetFromJsonAsync<JsonObject>(Search))!;
        var nctId = first["trials"]!.AsArray()[0]!["nctId"]!.GetValue<string>();
        var lostPid = await ListenerPidAsync();

        await using (var db = _catalog.Database.CreateContext())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_terminate_backend({lostPid})");
        }

        // The notice of this change goes to no one: the connection that listened is gone.
        var newTitle = first["trials"]!.AsArray()[0]!["title"]!.GetValue<string>() + " (amended)";
        await AmendTitleAsync(nctId, newTitle);
        var shown = await EventuallyAsync(async () => await TitleAsync(client, nctId) == newTitle);
        var listensAgain = await EventuallyAsync(async () => await ListenerPidAsync() is { } pid && pid != lostPid && Cache.IsListening);
        await client.GetStringAsync(Search);
        _versionReads.Reset();
        await client.GetStringAsync(Search);

        Assert.True(shown, $"the amended title of {nctId} did not show within {Patience.TotalSeconds} s of losing the listener");
        Assert.True(listensAgain, "the site did not listen again on a new connection");
        Assert.Equal(0, _versionReads.Count);
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
        await db.Database.ExecuteSqlAsync($"UPDATE studies SET last_synced_at = now() WHERE nct_id = {nctId}");
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

    private async Task AmendTitleAsync(string nctId, string newTitle)
    {
        await using var worker = _catalog.Database.CreateContext();
        await worker.Database.ExecuteSqlAsync($"UPDATE studies SET brief_title = {newTitle} WHERE nct_id = {nctId}");
    }

    private static async Task<string?> TitleAsync(HttpClient client, string nctId) =>
        (await client.GetFromJsonAsync<JsonObject>(Search))!["trials"]!.AsArray()
            .SingleOrDefault(t => t!["nctId"]!.GetValue<string>() == nctId)?["title"]?.GetValue<string>();

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
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
