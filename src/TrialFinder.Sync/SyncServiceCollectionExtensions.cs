using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFinder.Core.Classification;
using TrialFinder.Data;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Notifications;
using TrialFinder.Sync.Registry;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>Everything a host needs to run or enqueue syncs (the host adds Mediator and Hangfire itself).</summary>
    public static IServiceCollection AddTrialFinderSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTrialFinderData(configuration);
        services.AddRegistryClient();
        services.AddOptions<SyncOptions>()
            .BindConfiguration(SyncOptions.Section)
            .PostConfigure(options =>
            {
                if (options.Queries.Count == 0)
                {
                    options.Queries.AddRange(SyncOptions.DefaultQueries);
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(StudyClassifier.Default);
        services.AddScoped<CatalogPageWriter>();
        services.AddScoped<SyncJobs>();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // A host may register its own sender first (the browser tests keep e-mails in memory).
        services.TryAddSingleton<IEmailSender, EmailSender>();
        return services;
    }
}
