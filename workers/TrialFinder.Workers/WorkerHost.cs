using Hangfire;
using Microsoft.AspNetCore.Identity;
using TrialFinder.Data;
using TrialFinder.Data.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Sync;
using TrialFinder.Sync.Catalog;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Infrastructure.Settings;
using TrialFinder.Sync.Notifications;
using TrialFinder.Sync.Syncing;
using TrialFinder.Infrastructure.Telemetry;
using TrialFinder.Workers.Health;

namespace TrialFinder.Workers;

/// <summary>The composition of the worker process, shared by its command-line verbs and the tests.</summary>
public static class WorkerHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args, bool withJobServer)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Progress and logs go to stderr so that stdout carries only a command's result.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddTrialFinderTelemetry("trialfinder-worker", isService: withJobServer);

        builder.Services.AddTrialFinderSync(builder.Configuration);
        builder.Services.AddMediator(options =>
        {
            options.Namespace = "TrialFinder.Workers.Mediator";
            options.ServiceLifetime = ServiceLifetime.Scoped;
        });
        builder.Services.AddTrialFinderHangfire(builder.Configuration);
        builder.Services.AddIdentityCore<UserAccount>(AccountRules.Apply)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<TrialFinderDbContext>();
        builder.Services.AddStartupSettings<HangfireServerOptions>(HangfireServerOptions.Section);
        builder.Services.AddStartupSettings<WorkerHealthOptions>(WorkerHealthOptions.Section);
        if (withJobServer)
        {
            builder.Services.AddHangfireServer((services, options) =>
            {
                options.ServerName = $"trialfinder-worker:{Environment.MachineName}:{Environment.ProcessId}";
                options.WorkerCount = Math.Max(2, Environment.ProcessorCount);
                options.SchedulePollingInterval = TimeSpan.FromSeconds(
                    services.GetRequiredService<IOptions<HangfireServerOptions>>().Value.SchedulePollingIntervalSeconds);
            });
            builder.Services.AddHostedService<RecurringSyncSchedule>();
            builder.Services.AddHostedService<RereadOnStart>();
            builder.Services.AddHostedService<WorkerHealthEndpoint>();
        }

        return builder;
    }
}

/// <summary>Registers (or updates) the recurring incremental and full syncs from configuration at start.</summary>
internal sealed class RecurringSyncSchedule(
    IRecurringJobManager recurringJobs, IOptions<SyncOptions> options, IOptions<NotificationsOptions> notifications, ILogger<RecurringSyncSchedule> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var sync = options.Value;
        recurringJobs.AddOrUpdate<ISyncJobs>(SyncJobs.IncrementalJobId, jobs => jobs.RunIncrementalAsync(CancellationToken.None), sync.IncrementalCron);
        recurringJobs.AddOrUpdate<ISyncJobs>(SyncJobs.FullJobId, jobs => jobs.RunFullAsync(CancellationToken.None), sync.FullCron);
        var digestCron = notifications.Value.DigestCron;
        recurringJobs.AddOrUpdate<DailyDigestJob>(DailyDigestJob.JobId, job => job.SendAsync(CancellationToken.None), digestCron);
        logger.LogInformation("Scheduled incremental sync '{Incremental}', full sync '{Full}' and daily digest '{Digest}'",
            sync.IncrementalCron, sync.FullCron, digestCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// At start, enqueues the re-read of studies read with an older version (an upgrade changed the classifier, the criteria
/// extractor or their data files), once for all workers. A database that cannot be reached yet never stops the worker
/// from starting: the next worker start asks again.
/// </summary>
internal sealed class RereadOnStart(IServiceScopeFactory scopes, ILogger<RereadOnStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<global::Mediator.IMediator>().Send(new EnqueueStaleReread.Command(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Could not check whether stored studies wait for a re-read; the next worker start checks again");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
