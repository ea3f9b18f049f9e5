using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFinder.Core.Classification;
using TrialFinder.Data;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Notifications;
using TrialFinder.Sync.Registry;
using TrialFinder.Sync.Settings;
using TrialFinder.Sync.Syncing;
using TrialFinder.Sync.Telemetry;

namespace TrialFinder.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>Everything a host needs to run or enqueue syncs (the host adds Mediator and Hangfire itself).</summary>
    public static IServiceCollection AddTrialFinderSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTrialFinderData(configuration);
        services.AddRegistryClient();
        services.AddStartupSettings<SyncOptions>(SyncOptions.Section)
            .PostConfigure(options =>
            {
                if (options.Queries.Count == 0)
                {
                    options.Queries.AddRange(SyncOptions.DefaultQueries);
                }

                if (options.RetryDelaysSeconds.Count == 0)
                {
                    options.RetryDelaysSeconds.AddRange(SyncOptions.DefaultRetryDelaysSeconds);
                }
            })
            .Validate(options => options.RetryDelaysSeconds.All(s => s is >= 1 and <= 86_400),
                "Sync:RetryDelaysSeconds is not allowed: use waits from 1 to 86400 seconds.");
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<SyncMetrics>();
        services.AddSingleton(StudyClassifier.Default);
        services.AddScoped<CatalogPageWriter>();
        services.AddScoped<SyncJobs>();
        services.AddStartupSettings<EmailOptions>(EmailOptions.Section);
        services.AddStartupSettings<SiteOptions>(SiteOptions.Section);
        services.AddStartupSettings<NotificationsOptions>(NotificationsOptions.Section);
        // A host may register its own sender first (the browser tests keep e-mails in memory).
        services.TryAddSingleton<IEmailSender, EmailSender>();
        return services;
    }
}
