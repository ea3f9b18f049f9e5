using System.Data.Common;
using Npgsql;

namespace TrialFinder.Data.SyncRuns;

/// <summary>
/// A PostgreSQL session-level advisory lock held for the whole of a sync, so that no two syncs
/// (or snapshot imports, or re-classifications) run at once, whichever process or machine starts
/// them. The lock lives on its own connection, kept alive by TCP keepalives; every page a holder
/// writes checks, inside the page's transaction, that this connection still holds it
/// (<see cref="EnsureHeldAsync"/>), so a worker whose lock connection dropped fails its next page
/// instead of writing beside the worker that took the lock over.
/// </summary>
public sealed class SyncLock : IAsyncDisposable
{
    /// <summary>"TrialFin" as a bigint; PostgreSQL shows it in pg_locks as classid (high half) and objid (low half).</summary>
    private const long LockKey = 0x5472_6961_6C46_696E;

    private const string HeldByAnyoneSql =
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 " +
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
        "AND classid = ((@key >> 32) & x'FFFFFFFF'::bigint)::oid AND objid = (@key & x'FFFFFFFF'::bigint)::oid" +
        "{0})";

    private readonly NpgsqlConnection _connection;

    private SyncLock(NpgsqlConnection connection, int backendProcessId)
    {
        _connection = connection;
        BackendProcessId = backendProcessId;
    }

    /// <summary>The PostgreSQL backend (pid) of the connection holding the lock.</summary>
    public int BackendProcessId { get; }

    public static async Task<SyncLock?> TryAcquireAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // A lock connection that silently died must be noticed by the server, which then frees the lock.
            TcpKeepAlive = true,
            KeepAlive = 30,
            Pooling = false,
            ApplicationName = "TrialFinder sync lock",
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LockKey);
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            return new SyncLock(connection, connection.ProcessID);
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>
    /// Whether some session holds the sync lock, read from pg_locks: status probes must never take the
    /// lock themselves, or a scheduled sync that fires at that moment would find it taken.
    /// </summary>
    public static async Task<bool> IsHeldAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, HeldByAnyoneSql, ""), null, cancellationToken);

    /// <summary>
    /// Throws <see cref="SyncLockLostException"/> unless this lock's connection still holds the lock. Run it
    /// inside a write's transaction, on that transaction's connection.
    /// </summary>
    public async Task EnsureHeldAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, HeldByAnyoneSql, " AND pid = @pid");
        if (!await ScalarAsync(connection, sql, BackendProcessId, cancellationToken))
        {
            throw new SyncLockLostException();
        }
    }

    private static async Task<bool> ScalarAsync(DbConnection connection, string sql, int? pid, CancellationToken cancellationToken)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new NpgsqlParameter("key", LockKey));
        if (pid is { } id)
        {
            command.Parameters.Add(new NpgsqlParameter("pid", id));
        }

        return await command.ExecuteScalarAsync(cancellationToken) is true;
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
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // The connection is already gone, and the lock with it.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}

public sealed class SyncAlreadyRunningException()
    : InvalidOperationException("Another sync is already running; this one was not started.");

/// <summary>This process no longer holds the sync lock or the run's lease: it must stop writing at once.</summary>
public sealed class SyncLockLostException(string? message = null)
    : InvalidOperationException(message ?? "The sync lock was lost (its database connection dropped); this worker stopped writing.");
