using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of a test's own (infra/pg.sh), for a test that restarts the server: the shared test cluster
/// is never restarted. Its database "trialfinder" is migrated as the worker's migrate verb does it. Stopped and
/// deleted when disposed.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private PrivateCluster(string dataDirectory, int port)
    {
        _dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Database=trialfinder;Username=trialfinder;Password=trialfinder;Include Error Detail=true";

    public static async Task<PrivateCluster> StartAsync()
    {
        var cluster = new PrivateCluster(Path.Combine(Path.GetTempPath(), "tf-cluster-" + Guid.NewGuid().ToString("N")[..12]), FreePort());
        try
        {
            await cluster.PgShAsync($"TF_PG_FSYNC=off tf_pg_start {Quote(cluster._dataDirectory)} {cluster.Port}");
            await using (var db = TestDatabase.CreateContext(cluster.ConnectionString))
            {
                await db.Database.MigrateAsync();
            }

            await using var connection = new NpgsqlConnection(cluster.ConnectionString);
            await connection.OpenAsync();
            TrialFinder.Infrastructure.Jobs.HangfireServiceCollectionExtensions.InstallSchema(connection);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>pg_ctl restart -m fast</c> as the cluster's owner: every session is terminated, then the server comes back.</summary>
    public Task RestartAsync() => PgShAsync($"tf_pg_restart {Quote(_dataDirectory)}");

    public async ValueTask DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await PgShAsync($"tf_pg_ensure_installed && tf_pg_stop {Quote(_dataDirectory)}; " +
                        $"rm -rf \"$(readlink -f {Quote(_dataDirectory)})\" {Quote(_dataDirectory)}");
    }

    private async Task PgShAsync(string script)
    {
        var pgSh = Path.Combine(TestPaths.RepositoryRoot, "infra", "pg.sh");
        var run = await ProgramRun.CommandAsync(TestPaths.RepositoryRoot, "bash", ["-c", $"source {Quote(pgSh)} && {script}"], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, $"bash -c '{script}' failed (cluster on port {Port}):\n{run}");
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
