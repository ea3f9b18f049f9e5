using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrialFinder.Data;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh, migrated PostgreSQL database on the throwaway cluster that infra/test.sh starts
/// (TF_TEST_DATABASE); dropped afterwards. Real PostgreSQL, never a stand-in.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string ServerVariable = "TF_TEST_DATABASE";

    public string ConnectionString { get; private set; } = "";
    public string Name { get; } = "tf_" + Guid.NewGuid().ToString("N")[..16];

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable)
        ?? throw new InvalidOperationException(
            $"{ServerVariable} is not set. Run the tests with infra/test.sh, which starts a throwaway PostgreSQL cluster and sets it.");

    public async Task InitializeAsync()
    {
        await using (var server = new NpgsqlConnection(ServerConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }

    public TrialFinderDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<TrialFinderDbContext>()
            .UseNpgsql(ConnectionString)
            .UseSnakeCaseNamingConvention()
            .Options);

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
