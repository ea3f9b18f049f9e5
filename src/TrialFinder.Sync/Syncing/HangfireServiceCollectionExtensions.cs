using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Data;

namespace TrialFinder.Sync.Syncing;

public static class HangfireServiceCollectionExtensions
{
    public const string Schema = "hangfire";

    /// <summary>
    /// Hangfire storage in the product's own PostgreSQL database, schema "hangfire". The schema is
    /// created by the worker's <c>migrate</c> verb (<see cref="InstallSchema"/>), so the site starts
    /// (and reports itself unready) even while the database is down.
    /// </summary>
    public static IServiceCollection AddTrialFinderHangfire(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetTrialFinderConnectionString();
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions { SchemaName = Schema, PrepareSchemaIfNecessary = false }));
        return services;
    }

    public static void InstallSchema(Npgsql.NpgsqlConnection connection) =>
        PostgreSqlObjectsInstaller.Install(connection, Schema);
}
