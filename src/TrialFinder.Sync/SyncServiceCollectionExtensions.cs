using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Eligibility;
using TrialFinder.Infrastructure;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Syncing;
using TrialFinder.Infrastructure.Telemetry;

namespace TrialFinder.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>Everything a host needs to run syncs and their jobs (the host adds Mediator and Hangfire itself).</summary>
    public static IServiceCollection AddTrialFinderSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTrialFinderInfrastructure(configuration);
        services.AddSingleton(_ => StudyClassifier.Default);
        services.AddSingleton(_ => CriteriaExtractor.Default);
        // The page writer takes them lazily: building them costs a one-shot verb 0.09 s, and a sync that finds nothing
        // changed never reads a record.
        services.AddSingleton(provider => new Lazy<StudyClassifier>(provider.GetRequiredService<StudyClassifier>));
        services.AddSingleton(provider => new Lazy<CriteriaExtractor>(provider.GetRequiredService<CriteriaExtractor>));
        services.AddScoped<CatalogPageWriter>();
        services.AddScoped<SyncJobs>();
        services.AddScoped<ISyncJobs>(provider => provider.GetRequiredService<SyncJobs>());
        return services;
    }
}
