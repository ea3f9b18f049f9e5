using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFinder.Data;
using TrialFinder.Infrastructure.Email;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Infrastructure.Registry;
using TrialFinder.Infrastructure.Settings;
using TrialFinder.Infrastructure.Site;
using TrialFinder.Infrastructure.Telemetry;

namespace TrialFinder.Infrastructure;

public static class InfrastructureServiceCollectionExtensions
{
    /// <summary>
    /// What both hosts use: the database, the registry client, e-mail, the site's public address, the sync
    /// and digest settings and whether a sync is busy. Every setting here is checked when either host starts.
    /// (The host adds Mediator and Hangfire itself.)
    /// </summary>
    public static IServiceCollection AddTrialFinderInfrastructure(this IServiceCollection services, IConfiguration configuration)
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
        services.AddStartupSettings<EmailOptions>(EmailOptions.Section);
        services.AddStartupSettings<SiteOptions>(SiteOptions.Section);
        services.AddStartupSettings<NotificationsOptions>(NotificationsOptions.Section);
        // A host may register its own sender first (the browser tests keep e-mails in memory).
        services.TryAddSingleton<IEmailSender, EmailSender>();
        services.TryAddScoped<SyncActivity>();
        return services;
    }
}
