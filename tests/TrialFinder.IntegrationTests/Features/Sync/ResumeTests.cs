using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

public sealed class ResumeTests : SyncTestBase
{
    private readonly TestDatabase _cleanDatabase = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _cleanDatabase.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await _cleanDatabase.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_run_stopped_between_pages_resumes_where_it_stopped_and_ends_identical_to_a_clean_run()
    {
        using var stop = new CancellationTokenSource();
        // The walk asks for the next page while it writes the current one, so the registry serves page 4 while page 2
        // is written at the latest.
        Replay.AfterStudiesPage = page =>
        {
            if (page == 4)
            {
                stop.Cancel();
            }
        };

        var interrupted = await Host.SyncAsync(RunSync.Command.Full(), stop.Token);

        Assert.Equal(SyncOutcome.Cancelled, interrupted.Outcome);
        Assert.InRange(interrupted.Pages, 1, 3);
        Replay.AfterStudiesPage = null;
        var requestsBeforeResume = Replay.StudiesRequests;

        var resumed = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(interrupted.RunId, resumed.RunId);
        Assert.Equal(SyncOutcome.Succeeded, resumed.Outcome);
        Assert.Contains("pageToken=", Replay.Requests.Skip(requestsBeforeResume).First().PathAndQuery);

        using var cleanHost = SyncHost.Create(_cleanDatabase, Replay);
        var clean = await cleanHost.SyncAsync(RunSync.Command.Full());

        CatalogState.AssertSame(await CatalogState.ReadAsync(_cleanDatabase), await CatalogState.ReadAsync(Database));
        Assert.Equal((clean.Seen, clean.Inserted, clean.Pages), (resumed.Seen, resumed.Inserted, resumed.Pages));
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.SyncRuns.CountAsync());
    }
}
