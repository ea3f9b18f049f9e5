using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrialFinder.Data;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database on the throwaway cluster that infra/test.sh starts (TF_TEST_DATABASE),
/// copied from a template that is migrated (and given its reference data) once per test run;
/// dropped afterwards. Real PostgreSQL, never a stand-in.
/// </summary>
/// <param name="start">How the database begins; the worker's migrate verb is tested on a new one.</param>
public sealed class TestDatabase(TestDatabase.Start start = TestDatabase.Start.FromTemplate) : IAsyncLifetime
{
    public const string ServerVariable = "TF_TEST_DATABASE";

    public enum Start
    {
        /// <summary>A copy of the migrated template with its reference data.</summary>
        FromTemplate,

        /// <summary>Created, with nothing in it.</summary>
        Empty,

        /// <summary>Named but not created.</summary>
        Missing,
    }

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _templateName;

    public string ConnectionString { get; private set; } = "";
    public string Name { get; } = "tf_" + Guid.NewGuid().ToString("N")[..16];

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable)
        ?? throw new InvalidOperationException(
            $"{ServerVariable} is not set. Run the tests with infra/test.sh, which starts a throwaway PostgreSQL cluster and sets it.");

    public async Task InitializeAsync()
    {
        switch (start)
        {
            case Start.FromTemplate:
                var template = await EnsureTemplateAsync();
                await ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\" TEMPLATE \"{template}\"");
                break;
            case Start.Empty:
                await ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\"");
                break;
        }

        ConnectionString = ConnectionStringFor(Name);
    }

    public TrialFinderDbContext CreateContext() => CreateContext(ConnectionString);

    /// <summary>A new database that starts as an exact copy of <paramref name="source"/>, whose connections are closed first.</summary>
    public static async Task<TestDatabase> CopyOfAsync(TestDatabase source)
    {
        await using (var connection = new NpgsqlConnection(source.ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        var copy = new TestDatabase(Start.Missing);
        await copy.InitializeAsync();
        await ExecuteOnServerAsync($"CREATE DATABASE \"{copy.Name}\" TEMPLATE \"{source.Name}\"");
        return copy;
    }

    public async Task DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task<string> EnsureTemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_templateName is not null)
            {
                return _templateName;
            }

            var name = $"tf_template_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..8]}";
            await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\"");
            var connectionString = ConnectionStringFor(name);
            await using (var db = CreateContext(connectionString))
            {
                await db.Database.MigrateAsync();
            }

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                TrialFinder.Infrastructure.Jobs.HangfireServiceCollectionExtensions.InstallSchema(connection);
            }

            await ReferenceData.LoadAsync(connectionString);

            // A template must have no open connections when it is copied.
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").GetAwaiter().GetResult();
            _templateName = name;
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>A context over any database (for example one on a test's own cluster).</summary>
    public static TrialFinderDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<TrialFinderDbContext>()
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            .Options);

    private static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var server = new NpgsqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await using var command = new NpgsqlCommand(sql, server);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Reference data every test database starts with (loaded once into the template).</summary>
public static class ReferenceData
{
    /// <summary>A real sample of GeoNames' postal-code files (no package registry carries them), imported with the gazetteer.</summary>
    public static string PostalCodeSample => Path.Combine(
        TestPaths.RepositoryRoot, "tests", "TrialFinder.IntegrationTests", "Features", "Places", "GeoNamesPostalSample", "sample.txt");

    /// <summary>The offline gazetteer (places), from the folder infra/test.sh fetches with tf_gazetteer_fetch, and <see cref="PostalCodeSample"/>.</summary>
    public static async Task LoadAsync(string connectionString)
    {
        const string GazetteerVariable = "TF_TEST_GAZETTEER";
        var folder = Environment.GetEnvironmentVariable(GazetteerVariable);
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new InvalidOperationException(
                $"{GazetteerVariable} is not set. Run the tests with infra/test.sh, which fetches the gazetteer and sets it, or by hand: "
                + $"source infra/gazetteer.sh && tf_gazetteer_fetch /tmp/gazetteer && export {GazetteerVariable}=/tmp/gazetteer");
        }

        await using var db = new TrialFinderDbContext(new DbContextOptionsBuilder<TrialFinderDbContext>()
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            .Options);
        var handler = new TrialFinder.Sync.Places.ImportPlaces.Handler(
            db, Microsoft.Extensions.Logging.Abstractions.NullLogger<TrialFinder.Sync.Places.ImportPlaces.Handler>.Instance);
        await handler.Handle(new TrialFinder.Sync.Places.ImportPlaces.Command(folder, PostalCodes: PostalCodeSample), CancellationToken.None);
    }
}
