using Microsoft.Extensions.Options;
using Npgsql;
using TrialFinder.Data;
using TrialFinder.Data.Search;

namespace TrialFinder.Web.Features.Catalog;

/// <summary>
/// Holds one connection that listens on <see cref="CatalogVersionQuery.ChangeChannel"/> and tells
/// <see cref="CurrentCatalogCache"/> of every notice. A lost connection is noticed when it closes, or at the latest by
/// the next ping; the cache then reads through until a new connection listens (retried after 1 s, then up to 30 s).
/// </summary>
public sealed class CatalogChangeListener(
    CurrentCatalogCache cache, IConfiguration configuration, IOptions<CatalogOptions> options, ILogger<CatalogChangeListener> logger)
    : BackgroundService
{
    /// <summary>The listening connection's name in pg_stat_activity.</summary>
    public const string ApplicationName = "TrialFinder catalogue listener";

    private static readonly TimeSpan Ping = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ListenForChanges)
        {
            return;
        }

        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetTrialFinderConnectionString())
        {
            ApplicationName = ApplicationName,
            Pooling = false,
        }.ConnectionString;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, () => retry = FirstRetry, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Not listening for catalogue changes ({Reason}); every request reads the catalogue's version until it listens again, in {Retry} s.",
                    exception.Message, retry.TotalSeconds);
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

    private async Task ListenAsync(string connectionString, Action listening, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, _) => cache.Changed();
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {CatalogVersionQuery.ChangeChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
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
