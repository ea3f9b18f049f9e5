using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrialFinder.Testing;
using TrialFinder.Workers;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>A worker process as the product composes it, pointed at a test database and the registry replay.</summary>
public sealed class SyncHost : IDisposable
{
    /// <summary>The product's default queries plus one that also selects several of the shared real records.</summary>
    public static readonly IReadOnlyList<string> TestQueries =
    [
        .. SyncOptions.DefaultQueries,
        "Axial Spondyloarthritis OR Breast Cancer OR Atopic Dermatitis OR Alcohol Use Disorder",
    ];

    private readonly IHost _host;

    private SyncHost(IHost host) => _host = host;

    public static SyncHost Create(TestDatabase database, RegistryReplay replay, int pageSize = 7, int timeoutSeconds = 2, IReadOnlyList<string>? queries = null)
    {
        var args = new List<string>
        {
            $"--ConnectionStrings:TrialFinder={database.ConnectionString}",
            $"--Registry:BaseUrl={replay.BaseUrl}",
            "--Registry:RequestsPerMinute=6000",
            $"--Registry:PageSize={pageSize}",
            $"--Registry:TimeoutSeconds={timeoutSeconds}",
            "--Registry:RetryBaseDelayMilliseconds=50",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange((queries ?? TestQueries).Select((q, i) => $"--Sync:Queries:{i}={q}"));
        return new SyncHost(WorkerHost.CreateBuilder([.. args], withJobServer: false).Build());
    }

    public IServiceProvider Services => _host.Services;

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, cancellationToken);
    }

    public Task<SyncRunSummary> SyncAsync(RunSync.Command command, CancellationToken cancellationToken = default) =>
        SendAsync(command, cancellationToken);

    public void Dispose() => _host.Dispose();
}
