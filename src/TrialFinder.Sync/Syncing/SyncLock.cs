using Npgsql;

namespace TrialFinder.Sync.Syncing;

/// <summary>
/// A PostgreSQL session-level advisory lock held for the whole of a sync, so that no two syncs
/// (or snapshot imports) run at once, whichever process or machine starts them.
/// </summary>
public sealed class SyncLock : IAsyncDisposable
{
    private const long LockKey = 0x5472_6961_6C46_696E; // "TrialFin"

    private readonly NpgsqlConnection _connection;

    private SyncLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<SyncLock?> TryAcquireAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LockKey);
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            return new SyncLock(connection);
        }

        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the session releases the lock even if the unlock below cannot run.
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
            command.Parameters.AddWithValue("key", LockKey);
            await command.ExecuteScalarAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}

public sealed class SyncAlreadyRunningException()
    : InvalidOperationException("Another sync is already running; this one was not started.");
