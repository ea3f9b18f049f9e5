using Microsoft.Extensions.Options;
using Npgsql;
using TrialFinder.Data;
using TrialFinder.Data.Search;

namespace TrialFinder.Web.Features.Catalog;

/// <summary>
/// Holds one unpooled connection that listens on <see cref="CatalogVersionQuery.ChangeChannel"/> and tells
/// <see cref="CurrentCatalogCache"/> of every notice. A database that does not announce changes yet (the migration has
/// not run) is not listened to. A lost connection is noticed when it closes, or by the next ping (every 10 s, answered
/// within 5 s); the cache then reads through until a new connection listens (retried after 1 s, then up to 30 s).
/// Nothing here stops the site: without a listener every request reads the version, as with the setting off.
/// </summary>
public sealed class CatalogChangeListener(
    CurrentCatalogCache cache, IConfiguration configuration, IOptions<CatalogOptions> options, ILogger<CatalogChangeListener> logger)
    : BackgroundService
{
    /// <summary>The listening connection's name in pg_stat_activity.</summary>
    public const string ApplicationName = "TrialFinder catalogue listener";

    private static readonly TimeSpan Ping = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ListenForChanges)
        {
            return;
        }

        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => retry = FirstRetry, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Not listening for catalogue changes; every request reads the catalogue's version until it listens again, in {Retry} s.",
                    retry.TotalSeconds);
            }

            try
            {
                await Task.Delay(retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    private async Task ListenAsync(Action listening, CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetTrialFinderConnectionString())
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            Multiplexing = false,
            CommandTimeout = 5,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, _) => cache.Changed();
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {CatalogVersionQuery.ChangeChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        await using (var announces = new NpgsqlCommand(CatalogVersionQuery.AnnouncesChangesQuery, connection))
        {
            if (await announces.ExecuteScalarAsync(stoppingToken) is not true)
            {
                throw new InvalidOperationException("the database does not announce catalogue changes yet (run the worker's migrate verb)");
            }
        }

        cache.Listening(true);
        listening();
        try
        {
            while (true)
            {
                if (!await connection.WaitAsync(Ping, stoppingToken))
                {
                    await using var ping = new NpgsqlCommand("SELECT 1", connection);
                    await ping.ExecuteScalarAsync(stoppingToken);
                }
            }
        }
        finally
        {
            cache.Listening(false);
        }
    }
}
