using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TrialFinder.Core.Studies;
using TrialFinder.Data.Search;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Syncing;
using TrialFinder.Testing;
using TrialFinder.Workers;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// After an upgrade that changes the classifier, the criteria extractor or their data files, the stored studies are
/// re-read by the workers on their own: a worker that starts enqueues the re-read of the studies read with another
/// version, once however many workers start, and the re-read takes only those studies, records a change only where
/// a tag changed, and resumes where a crash stopped it.
/// </summary>
public sealed class AutomaticRereadTests : SyncTestBase
{
    private const string OlderVersion = "r0-0123456789abcdef";
    private const string Never = "0 0 1 1 *";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_sync_stamps_every_study_it_reads_with_the_current_reading_version()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);

        await using var db = Database.CreateContext();
        var versions = await db.Studies.Select(s => s.ReadingVersion).Distinct().ToListAsync();
        Assert.Equal([StudyReading.CurrentVersion], versions);
        Assert.Matches("^r[0-9]+-[0-9a-f]{16}$", StudyReading.CurrentVersion);
    }

    [Fact]
    public async Task A_worker_started_on_studies_read_by_an_older_version_re_reads_them_stamps_them_and_records_only_the_tag_change()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);
        var (changedId, therapy) = await ReadAsAnOlderVersionWouldAsync();
        var changesBefore = await CountAsync("SELECT count(*) FROM study_changes");

        await using (var worker = await StartWorkerAsync())
        {
            await WaitForAsync(async () => await StaleAsync() == 0 && await FinishedRereadsAsync() == 1, "the re-read to finish");
        }

        await using var db = Database.CreateContext();
        var reread = await db.Rereads.AsNoTracking().SingleAsync();
        var studies = await db.Studies.CountAsync();
        Assert.Equal((StudyReading.CurrentVersion, true, studies, 1), (reread.ReadingVersion, reread.OnlyStale, reread.Studies, reread.Changed));
        Assert.NotNull(reread.FinishedAt);
        var change = Assert.Single(await db.StudyChanges.AsNoTracking().OrderBy(c => c.Id).Skip((int)changesBefore).ToListAsync());
        Assert.Equal((changedId, StudyChangeKinds.Tags, $"Tags changed: added therapy:{therapy}"), (change.NctId, change.Kind, change.Summary));
        Assert.Contains(therapy, (await db.Studies.AsNoTracking().SingleAsync(s => s.NctId == changedId)).TherapyTypes);
        Assert.Equal(1, await RereadJobsAsync());
    }

    [Fact]
    public async Task Studies_already_read_with_the_current_version_are_left_alone_and_a_stale_study_whose_reading_holds_is_only_stamped()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);
        var before = await CatalogueAsync();

        // Nothing waits: a starting worker enqueues nothing and a re-read of older-read studies touches nothing.
        await using (var worker = await StartWorkerAsync())
        {
            Assert.Equal(0, await RereadJobsAsync());
        }

        var nothing = await Host.SendAsync(new ReclassifyStudies.Command(OnlyStale: true));
        Assert.Equal(new ReclassifyStudies.Result(0, 0), nothing);
        Assert.Equal(before, await CatalogueAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM rereads"));

        // Read by an older version whose reading was the same: stamped, no change, cached search answers kept.
        await ExecuteAsync($"UPDATE studies SET reading_version = '{OlderVersion}'");
        var stamped = await Host.SendAsync(new ReclassifyStudies.Command(OnlyStale: true));
        Assert.Equal(new ReclassifyStudies.Result(before.Studies, 0), stamped);
        Assert.Equal(before, await CatalogueAsync());
        Assert.Equal(0, await StaleAsync());
    }

    [Fact]
    public async Task Two_workers_starting_together_enqueue_one_re_read_and_every_study_is_read_once()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);
        var (changedId, _) = await ReadAsAnOlderVersionWouldAsync();
        var changesBefore = await CountAsync("SELECT count(*) FROM study_changes");

        var first = WorkerHost.CreateBuilder(WorkerArgs(), withJobServer: true).Build();
        var second = WorkerHost.CreateBuilder(WorkerArgs(), withJobServer: true).Build();
        try
        {
            await Task.WhenAll(first.StartAsync(), second.StartAsync());
            await WaitForAsync(async () => await StaleAsync() == 0 && await FinishedRereadsAsync() >= 1, "the re-read to finish");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await Task.WhenAll(first.StopAsync(), second.StopAsync());
            first.Dispose();
            second.Dispose();
        }

        Assert.Equal(1, await RereadJobsAsync());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM rereads"));
        await using var db = Database.CreateContext();
        var change = Assert.Single(await db.StudyChanges.AsNoTracking().OrderBy(c => c.Id).Skip((int)changesBefore).ToListAsync());
        Assert.Equal(changedId, change.NctId);
    }

    [Fact]
    public async Task A_re_read_job_for_another_reading_version_reads_nothing_and_is_scheduled_again_for_a_worker_of_that_version()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);
        await ExecuteAsync("UPDATE studies SET reading_version = NULL");

        await using (var scope = Host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SyncJobs>().RereadStaleAsync("r9-fedcba9876543210", 0, CancellationToken.None);
        }

        Assert.Equal(await CountAsync("SELECT count(*) FROM studies"), await StaleAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM rereads"));
        var retry = Assert.Single(Host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10)).Value;
        Assert.Equal((nameof(ISyncJobs.RereadStaleAsync), "r9-fedcba9876543210", 1), (retry.Job.Method.Name, retry.Job.Args[0], retry.Job.Args[1]));
    }

    [Fact]
    public async Task The_reclassify_command_still_re_reads_every_study_and_records_it()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);
        var studies = (int)await CountAsync("SELECT count(*) FROM studies");

        var result = await Host.SendAsync(new ReclassifyStudies.Command());

        Assert.Equal(new ReclassifyStudies.Result(studies, 0), result);
        await using var db = Database.CreateContext();
        var reread = await db.Rereads.AsNoTracking().SingleAsync();
        Assert.Equal((false, studies, 0), (reread.OnlyStale, reread.Studies, reread.Changed));
        Assert.NotNull(reread.FinishedAt);
    }

    /// <summary>
    /// As an older version would have left the catalogue: every study stamped with that version (some with none, as
    /// before versions were kept), and one study without one of its therapy tags. Returns that study and the tag.
    /// </summary>
    private async Task<(string NctId, string Therapy)> ReadAsAnOlderVersionWouldAsync()
    {
        await ExecuteAsync($"UPDATE studies SET reading_version = CASE WHEN nct_id < 'NCT03' THEN NULL ELSE '{OlderVersion}' END");
        await using var db = Database.CreateContext();
        var study = await db.Studies.Where(s => s.TherapyTypes.Count > 0).OrderBy(s => s.NctId).FirstAsync();
        var therapy = study.TherapyTypes[0];
        study.TherapyTypes = study.TherapyTypes.Skip(1).ToList();
        await db.SaveChangesAsync();
        Assert.Equal(await db.Studies.CountAsync(), await StaleAsync());
        return (study.NctId, therapy);
    }

    private string[] WorkerArgs() =>
    [
        $"--ConnectionStrings:TrialFinder={Database.ConnectionString}",
        $"--Registry:BaseUrl={Replay.BaseUrl}",
        "--Hangfire:SchedulePollingIntervalSeconds=1", "--Hangfire:QueuePollIntervalSeconds=1",
        $"--Sync:IncrementalCron={Never}", $"--Sync:FullCron={Never}", $"--Notifications:DigestCron={Never}",
        "--Logging:LogLevel:Default=Warning",
    ];

    private async Task<StartedWorker> StartWorkerAsync()
    {
        var host = WorkerHost.CreateBuilder(WorkerArgs(), withJobServer: true).Build();
        await host.StartAsync();
        return new StartedWorker(host);
    }

    private sealed class StartedWorker(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private sealed record Catalogue(int Studies, long Version, long Changes, string Tags);

    private async Task<Catalogue> CatalogueAsync()
    {
        await using var db = Database.CreateContext();
        var tags = await db.Studies.AsNoTracking().OrderBy(s => s.NctId)
            .Select(s => s.NctId + string.Join(',', s.Diseases) + s.TakesRefractory + string.Join(',', s.TherapyTypes)).ToListAsync();
        return new Catalogue(tags.Count, (await db.ReadCurrentCatalogAsync(CancellationToken.None)).Version, await db.StudyChanges.CountAsync(), string.Join('\n', tags));
    }

    private async Task<long> StaleAsync() =>
        await CountAsync($"SELECT count(*) FROM studies WHERE reading_version IS DISTINCT FROM '{StudyReading.CurrentVersion}'");

    private async Task<long> FinishedRereadsAsync() => await CountAsync("SELECT count(*) FROM rereads WHERE finished_at IS NOT NULL");

    private async Task<long> RereadJobsAsync() =>
        await CountAsync($"SELECT count(*) FROM hangfire.job WHERE invocationdata::jsonb ->> 'Method' = '{nameof(ISyncJobs.RereadStaleAsync)}'");

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"Timed out after {Deadline} waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
