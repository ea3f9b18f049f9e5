using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Testing;
using Microsoft.Extensions.Options;
using TrialFinder.Infrastructure.Email;
using TrialFinder.Infrastructure.Site;
using TrialFinder.Sync.Notifications;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// The web site and a worker sharing one test database, the worker syncing from the registry replay
/// of real records: tests change a record in the replay, sync, and look at what users are shown.
/// </summary>
public sealed class SyncedSite : IAsyncDisposable
{
    private SyncedSite(TestDatabase database, RegistryReplay replay, SyncHost worker, TestSite site)
    {
        Database = database;
        Replay = replay;
        Worker = worker;
        Site = site;
    }

    public TestDatabase Database { get; }
    public RegistryReplay Replay { get; }
    public SyncHost Worker { get; }
    public TestSite Site { get; }

    /// <summary>Starts everything and runs a first full sync of the served records (all real records, minus some).</summary>
    public static async Task<SyncedSite> StartAsync(params string[] withheld)
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        var replay = await RegistryReplay.StartAsync(RegistryRecords.All().Where(r => !withheld.Contains(RegistryRecords.NctId(r))));
        var worker = SyncHost.Create(database, replay);
        var site = new SyncedSite(database, replay, worker, new TestSite(database));
        await site.SyncAsync(RunSync.Command.Full());
        return site;
    }

    public async Task SyncAsync(RunSync.Command command)
    {
        var summary = await Worker.SyncAsync(command);
        Assert.Equal(Core.SyncRuns.SyncOutcome.Succeeded, summary.Outcome);
    }

    /// <summary>Publishes a withheld record in the registry as updated today, as a newly registered study would appear.</summary>
    public void Publish(string nctId)
    {
        Replay.Put(RegistryRecords.All().Single(r => RegistryRecords.NctId(r) == nctId));
        Replay.Update(nctId, Today, _ => { });
    }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static JsonObject Protocol(JsonObject study) => study["protocolSection"]!.AsObject();

    /// <summary>
    /// Runs the daily digest in the worker, as Hangfire does, with the site's public address and the site's
    /// mailbox, so that a test reads the digest beside the site's other e-mails and follows its links.
    /// </summary>
    public async Task RunDigestAsync()
    {
        await using var scope = Worker.Services.CreateAsyncScope();
        var handler = ActivatorUtilities.CreateInstance<DailyDigest.Handler>(scope.ServiceProvider,
            Site.Web.Services.GetRequiredService<IEmailSender>(), Site.Web.Services.GetRequiredService<IOptions<SiteOptions>>());
        await handler.Handle(new DailyDigest.Command(), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Site.DisposeAsync();
        Worker.Dispose();
        await Replay.DisposeAsync();
        await Database.DisposeAsync();
    }
}
