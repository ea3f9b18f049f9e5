using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data.Accounts;
using TrialFinder.Data.Bookmarks;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// A study is delisted only on evidence: full runs that walked every query to the end and missed it twice in a
/// row. Whatever else happens between (interrupted runs, incremental syncs, refreshes), a study the registry
/// still serves stays listed.
/// </summary>
public sealed class DelistingTests : SyncTestBase
{
    [Fact]
    public async Task A_full_run_interrupted_then_resumed_after_an_incremental_and_a_refresh_delists_nothing_the_registry_serves()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);

        using (var stop = new CancellationTokenSource())
        {
            var pages = 0;
            Replay.AfterStudiesPage = _ =>
            {
                if (++pages == 3)
                {
                    stop.Cancel();
                }
            };
            var interrupted = await Host.SyncAsync(RunSync.Command.Full(), stop.Token);
            Assert.Equal(SyncOutcome.Cancelled, interrupted.Outcome);
            Replay.AfterStudiesPage = null;
        }

        // Studies the interrupted full run had already written (its first two pages) are seen again, in between,
        // by an incremental run and by a refresh; the resumed full run does not pass over them again.
        var early = Replay.Matching(SyncHost.TestQueries[0]).Take(14).ToList();
        foreach (var id in early.Take(7))
        {
            Replay.Update(id, DateOnly.FromDateTime(DateTime.UtcNow), _ => { });
        }

        var incremental = await Host.SyncAsync(RunSync.Command.Incremental());
        Assert.Equal((SyncKind.Incremental, SyncOutcome.Succeeded), (incremental.Kind, incremental.Outcome));
        Assert.True(incremental.Seen >= 7, $"the incremental run saw {incremental.Seen} studies");
        var refresh = await Host.SyncAsync(RunSync.Command.Refresh(early.Skip(7).ToList()));
        Assert.True(refresh.Succeeded);

        var resumed = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Succeeded, resumed.Outcome);
        Assert.Equal(0, resumed.Delisted);
        await using var db = Database.CreateContext();
        var run = await db.SyncRuns.SingleAsync(r => r.Id == resumed.RunId);
        Assert.Equal(0, run.DelistingsWithheld);
        Assert.Null(run.DelistingSkippedReason);
        Assert.Empty(await db.Studies.Where(s => !s.IsListed).Select(s => s.NctId).ToListAsync());
        Assert.Empty(await db.StudySyncStates.Where(s => s.FullRunMisses > 0).Select(s => s.NctId).ToListAsync());
        Assert.Empty(await db.SyncRunSightings.ToListAsync()); // finished runs leave no sightings behind
    }

    [Fact]
    public async Task A_study_that_left_the_registry_is_delisted_by_the_second_full_run_that_misses_it_and_keeps_its_bookmarks()
    {
        const string Leaving = "NCT03363373";
        await Host.SyncAsync(RunSync.Command.Full());
        await BookmarkAsync(Leaving);
        Replay.Remove(Leaving);

        var firstMiss = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(0, firstMiss.Delisted);
        await using (var db = Database.CreateContext())
        {
            var run = await db.SyncRuns.SingleAsync(r => r.Id == firstMiss.RunId);
            Assert.Equal(1, run.DelistingsWithheld);
            var study = await db.Studies.Include(s => s.SyncState).SingleAsync(s => s.NctId == Leaving);
            Assert.True(study.IsListed);
            Assert.Equal(1, study.SyncState!.FullRunMisses);
        }

        var secondMiss = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(1, secondMiss.Delisted);
        await using (var db = Database.CreateContext())
        {
            var study = await db.Studies.SingleAsync(s => s.NctId == Leaving);
            Assert.False(study.IsListed);
            Assert.NotNull(study.DelistedAt);
            Assert.Single(await db.StudyChanges.Where(c => c.NctId == Leaving && c.Kind == StudyChangeKinds.Listing).ToListAsync());
            Assert.Single(await db.Bookmarks.Where(b => b.NctId == Leaving).ToListAsync());
            Assert.Equal(ExpectedCatalogue().Count, await db.Studies.CountAsync(s => s.IsListed));
        }
    }

    [Fact]
    public async Task Studies_an_older_worker_wrote_without_a_sync_state_are_seen_counted_and_delisted_like_the_others()
    {
        // A worker of the release before study_sync_states, still running while the upgrade rolled out, stores studies
        // with no sync state row.
        const string Leaving = "NCT03363373";
        await Host.SyncAsync(RunSync.Command.Full());
        var staying = Replay.Matching(SyncHost.TestQueries[0]).First(id => id != Leaving);
        await using (var db = Database.CreateContext())
        {
            await db.StudySyncStates.Where(s => s.NctId == Leaving || s.NctId == staying).ExecuteDeleteAsync();
        }

        Replay.Remove(Leaving);

        var firstMiss = await Host.SyncAsync(RunSync.Command.Full());

        await using (var db = Database.CreateContext())
        {
            var states = await db.StudySyncStates.Where(s => s.NctId == Leaving || s.NctId == staying).ToDictionaryAsync(s => s.NctId);
            Assert.Equal(1, states[Leaving].FullRunMisses);
            Assert.Equal(((long?)firstMiss.RunId, 0), (states[staying].LastSeenRunId, states[staying].FullRunMisses));
        }

        var secondMiss = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(1, secondMiss.Delisted);
        await using (var db = Database.CreateContext())
        {
            Assert.False((await db.Studies.SingleAsync(s => s.NctId == Leaving)).IsListed);
            Assert.Equal(await db.Studies.CountAsync(), await db.StudySyncStates.CountAsync());
        }
    }

    [Fact]
    public async Task A_miss_followed_by_a_sighting_starts_the_count_again()
    {
        const string Flickering = "NCT03363373";
        await Host.SyncAsync(RunSync.Command.Full());
        var record = Replay.Get(Flickering);
        Replay.Remove(Flickering);
        await Host.SyncAsync(RunSync.Command.Full());
        Replay.Put(record);
        await Host.SyncAsync(RunSync.Command.Full());
        Replay.Remove(Flickering);

        var missedOnceMore = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(0, missedOnceMore.Delisted);
        await using var db = Database.CreateContext();
        Assert.True((await db.Studies.SingleAsync(s => s.NctId == Flickering)).IsListed);
    }

    [Fact]
    public async Task A_full_run_that_sees_far_fewer_studies_than_are_listed_delists_nothing_and_says_why()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        await Host.SyncAsync(RunSync.Command.Full());
        var gone = ExpectedCatalogue().Order(StringComparer.Ordinal).Where((_, i) => i % 3 == 0).ToList();
        foreach (var id in gone)
        {
            Replay.Remove(id);
        }

        var summaries = new[] { await Host.SyncAsync(RunSync.Command.Full()), await Host.SyncAsync(RunSync.Command.Full()) };

        Assert.All(summaries, s => Assert.Equal((SyncOutcome.Succeeded, 0), (s.Outcome, s.Delisted)));
        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.Studies.CountAsync(s => !s.IsListed));
        foreach (var summary in summaries)
        {
            var run = await db.SyncRuns.SingleAsync(r => r.Id == summary.RunId);
            Assert.Equal(gone.Count, run.DelistingsWithheld);
            Assert.StartsWith("Delisting skipped: the run saw", run.DelistingSkippedReason);
            Assert.Contains("below 95%", run.DelistingSkippedReason);
        }

        Assert.Equal(0, await db.StudySyncStates.CountAsync(s => s.FullRunMisses > 0)); // an untrusted walk counts no miss
    }

    private async Task BookmarkAsync(string nctId)
    {
        await using var db = Database.CreateContext();
        var user = new UserAccount { UserName = "dr.lin@example.org", Email = "dr.lin@example.org", EmailConfirmed = true };
        db.Users.Add(user);
        db.Bookmarks.Add(new Bookmark { UserId = user.Id, NctId = nctId, CreatedAt = DateTimeOffset.UtcNow, SeenAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }
}
