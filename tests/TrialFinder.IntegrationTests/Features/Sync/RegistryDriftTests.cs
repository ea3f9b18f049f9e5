using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// The registry changes under the product: new enum values, new fields, records missing a module, server
/// errors that outlast the client's retries. Each ends as the README documents, and never drops a study.
/// </summary>
public sealed class RegistryDriftTests : SyncTestBase
{
    private const string Study = "NCT03363373";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task A_status_value_the_product_does_not_know_yet_is_stored_as_the_registry_wrote_it()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        Replay.Update(Study, Today, study => Protocol(study)["statusModule"]!["overallStatus"] = "PAUSED_FOR_REVIEW");

        var summary = await Host.SyncAsync(RunSync.Command.Incremental());

        Assert.Equal((SyncOutcome.Succeeded, 1, 0), (summary.Outcome, summary.Updated, summary.Failed));
        await using var db = Database.CreateContext();
        var stored = await db.Studies.SingleAsync(s => s.NctId == Study);
        Assert.Equal(("PAUSED_FOR_REVIEW", true), (stored.OverallStatus, stored.IsListed));
    }

    [Fact]
    public async Task Fields_and_modules_the_product_does_not_know_are_ignored()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        Replay.Update(Study, Today, study =>
        {
            Protocol(study)["statusModule"]!["whyPausedReason"] = "a field added by a later API version";
            Protocol(study)["patientPreferenceModule"] = new JsonObject { ["languages"] = new JsonArray("en", "fr") };
            study["annotationSection"] = new JsonObject { ["note"] = "new section" };
        });

        var summary = await Host.SyncAsync(RunSync.Command.Incremental());

        Assert.Equal((SyncOutcome.Succeeded, 1, 0), (summary.Outcome, summary.Updated, summary.Failed));
    }

    [Fact]
    public async Task A_record_missing_its_status_module_is_counted_keeps_the_stored_copy_and_is_never_delisted_for_it()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        await using var before = Database.CreateContext();
        var good = await before.Studies.AsNoTracking().SingleAsync(s => s.NctId == Study);
        var record = Replay.Get(Study);
        Protocol(record).Remove("statusModule");
        Replay.Put(record);

        var runs = new[] { await Host.SyncAsync(RunSync.Command.Full()), await Host.SyncAsync(RunSync.Command.Full()) };

        Assert.All(runs, r => Assert.Equal((SyncOutcome.Succeeded, 1, 0), (r.Outcome, r.Failed, r.Delisted)));
        await using var db = Database.CreateContext();
        var stored = await db.Studies.AsNoTracking().Include(s => s.SyncState).SingleAsync(s => s.NctId == Study);
        Assert.Equal((good.ContentHash, good.OverallStatus, true, 0), (stored.ContentHash, stored.OverallStatus, stored.IsListed, stored.SyncState!.FullRunMisses));
        Assert.Contains("statusModule", (await db.SyncErrors.FirstAsync(e => e.NctId == Study)).Message);
    }

    [Fact]
    public async Task Server_errors_that_outlast_the_retries_fail_the_run_at_its_page_and_the_next_run_resumes_there()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        var pages = 0;
        Replay.AfterStudiesPage = _ =>
        {
            if (++pages == 3)
            {
                // From the next request on, more 500s and 503s in a row than the client retries (5).
                Replay.FailStudiesRequests(1, 3, new RegistryReplay.Fault.InternalServerError());
                Replay.FailStudiesRequests(4, 3, new RegistryReplay.Fault.ServiceUnavailable());
            }
        };

        var failed = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Contains("Page 4 of query", failed.Message);
        Assert.Equal(3, failed.Pages);
        Replay.AfterStudiesPage = null;
        var requestsBefore = Replay.StudiesRequests;

        var resumed = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal((failed.RunId, SyncOutcome.Succeeded, 0), (resumed.RunId, resumed.Outcome, resumed.Delisted));
        Assert.Contains("pageToken=", Replay.Requests.Skip(requestsBefore).First().PathAndQuery);
        await using var db = Database.CreateContext();
        Assert.Equal(ExpectedCatalogue().Count, await db.Studies.CountAsync(s => s.IsListed));
    }
    [Fact]
    public async Task An_expired_page_token_restarts_that_query_from_its_first_page_and_the_run_ends_complete()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        var pages = 0;
        Replay.AfterStudiesPage = _ =>
        {
            if (++pages == 2)
            {
                Replay.ExpirePageTokens();
            }
        };
        var requestsBefore = Replay.StudiesRequests;

        var summary = await Host.SyncAsync(RunSync.Command.Full());

        Assert.Equal((SyncOutcome.Succeeded, 0, 0), (summary.Outcome, summary.Delisted, summary.Failed));
        var firstPagesOfQuery0 = Replay.Requests.Skip(requestsBefore)
            .Count(r => r.PathAndQuery.Contains("countTotal=true", StringComparison.Ordinal)
                        && Uri.UnescapeDataString(r.PathAndQuery.Replace('+', ' ')).Contains(SyncHost.TestQueries[0], StringComparison.Ordinal));
        Assert.Equal(2, firstPagesOfQuery0);
        await using var db = Database.CreateContext();
        var run = await db.SyncRuns.SingleAsync(r => r.Id == summary.RunId);
        Assert.Equal(ExpectedCatalogue().Count, run.Seen);
        Assert.Null(run.DelistingSkippedReason);
        Assert.Equal(0, run.DelistingsWithheld);
    }

    [Fact]
    public async Task A_query_the_registry_ends_early_delists_nothing_and_the_run_says_so()
    {
        await Host.SyncAsync(RunSync.Command.Full());
        var query = SyncHost.TestQueries[0];
        var total = Replay.Matching(query).Count;
        Replay.TruncateQuery(query, 7);

        var runs = new[] { await Host.SyncAsync(RunSync.Command.Full()), await Host.SyncAsync(RunSync.Command.Full()) };

        Assert.All(runs, r => Assert.Equal((SyncOutcome.Succeeded, 0), (r.Outcome, r.Delisted)));
        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.Studies.CountAsync(s => !s.IsListed));
        var last = await db.SyncRuns.SingleAsync(r => r.Id == runs[1].RunId);
        Assert.Equal(FormattableString.Invariant(
                $"Delisting skipped: query '{query}' returned 7 of the {total} studies the registry counted ({7.0 * 100 / total:0.#}%, below 95%)."),
            last.DelistingSkippedReason);
        Assert.True(last.DelistingsWithheld > 0);
    }
}
