using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TrialFinder.Data;

public static class DataServiceCollectionExtensions
{
    public const string ConnectionStringName = "TrialFinder";

    public static IServiceCollection AddTrialFinderData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Set it in appsettings.json or as ConnectionStrings__{ConnectionStringName}.");
        }

        services.AddDbContextPool<TrialFinderDbContext>(options => options
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention());
        return services;
    }

    public static string GetTrialFinderConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set.");
}
