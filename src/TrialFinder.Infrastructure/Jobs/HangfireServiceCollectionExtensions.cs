using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Data;

namespace TrialFinder.Infrastructure.Jobs;

public static class HangfireServiceCollectionExtensions
{
    public const string Schema = "hangfire";
    public const string InvisibilityTimeoutSetting = "Hangfire:InvisibilityTimeoutSeconds";
    public const string QueuePollIntervalSetting = "Hangfire:QueuePollIntervalSeconds";

    /// <summary>
    /// Hangfire storage in the product's own PostgreSQL database, schema "hangfire". The schema is
    /// created by the worker's <c>migrate</c> verb (<see cref="InstallSchema"/>), so the site starts
    /// (and reports itself unready) even while the database is down.
    /// </summary>
    public static IServiceCollection AddTrialFinderHangfire(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetTrialFinderConnectionString();
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = false,
            // A sync can outlast any fixed invisibility timeout; without sliding, Hangfire would hand the
            // still-running job to a second worker (which the sync lock would then turn away).
            UseSlidingInvisibilityTimeout = true,
            // How long a job stays with a worker that stopped heartbeating (killed, its machine gone) before
            // another worker takes it; a sync job so taken resumes its run from the checkpoint.
            InvisibilityTimeout = TimeSpan.FromSeconds(configuration.GetValue(InvisibilityTimeoutSetting, 300)),
            QueuePollInterval = TimeSpan.FromSeconds(configuration.GetValue(QueuePollIntervalSetting, 15)),
        };

        // The host's own storage. Hangfire would otherwise give each host JobStorage.Current, one static for the
        // whole process, so where several hosts share a process (the tests do) a host could be handed another's.
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options));
        services.AddHangfire((provider, config) => config
            .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        return services;
    }

    public static void InstallSchema(Npgsql.NpgsqlConnection connection) =>
        PostgreSqlObjectsInstaller.Install(connection, Schema);

    /// <summary>
    /// Hangfire keeps one process-wide log provider. When several hosts share a process (the tests do)
    /// and the one whose logger factory it captured stops, logging must not break the others' jobs.
    /// </summary>
    private sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
    {
        private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

        public ILog GetLogger(string name)
        {
            try
            {
                return new TolerantLog(_inner.GetLogger(name));
            }
            catch (ObjectDisposedException)
            {
                return new TolerantLog(null);
            }
        }
    }

    private sealed class TolerantLog(ILog? inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
