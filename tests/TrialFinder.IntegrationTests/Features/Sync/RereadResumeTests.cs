using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TrialFinder.Core.Studies;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Syncing;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// A re-read of older-read studies stopped by a crash in the middle of the catalogue keeps the batches it committed
/// (stamped, their tag changes recorded) and the next re-read takes only the studies it left: every study is re-read
/// once and every tag change is recorded once. The job that stopped schedules its own retry.
/// </summary>
public sealed class RereadResumeTests : IAsyncLifetime
{
    private const int Studies = 700;
    private const int BatchSize = 200;

    private readonly TestDatabase _database = new();
    private RegistryReplay _replay = null!;
    private SyncHost _host = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(Studies, seed: 21));
        _host = SyncHost.Create(_database, _replay, pageSize: 200, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _replay.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_re_read_that_crashes_in_its_third_batch_keeps_two_batches_and_the_next_one_reads_only_the_rest()
    {
        Assert.True((await _host.SyncAsync(RunSync.Command.Full())).Succeeded);
        List<string> ids;
        List<string> stripped;
        await using (var db = _database.CreateContext())
        {
            ids = await db.Studies.OrderBy(s => s.NctId).Select(s => s.NctId).ToListAsync();
            Assert.Equal(Studies, ids.Count);
            // As an older vocabulary left them: one therapy tag fewer on a study in each batch.
            var tagged = await db.Studies.Where(s => s.TherapyTypes.Count > 0).OrderBy(s => s.NctId).ToListAsync();
            var chosen = Enumerable.Range(0, 4).Select(batch => tagged.First(s => ids.IndexOf(s.NctId) >= batch * BatchSize + 10)).ToList();
            foreach (var study in chosen)
            {
                study.TherapyTypes = study.TherapyTypes.Skip(1).ToList();
            }

            await db.SaveChangesAsync();
            stripped = chosen.Select(s => s.NctId).ToList();
        }

        await ExecuteAsync("UPDATE studies SET reading_version = NULL");
        var changesBefore = await CountAsync("SELECT count(*) FROM study_changes");

        // The crash: the database refuses the third batch's write (a study in it), as a worker dying mid-batch leaves it.
        var failing = ids[2 * BatchSize + 50];
        await ExecuteAsync($"""
            CREATE FUNCTION test_crash() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'worker crashed'; END $$;
            CREATE TRIGGER test_crash BEFORE UPDATE ON studies FOR EACH ROW WHEN (NEW.nct_id = '{failing}') EXECUTE FUNCTION test_crash();
            """);
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<SyncJobs>();
            var crash = await Assert.ThrowsAsync<PostgresException>(() => job.RereadStaleAsync(StudyReading.CurrentVersion, 0, CancellationToken.None));
            Assert.Contains("worker crashed", crash.Message);
        }

        // The job is not lost: it scheduled its own retry.
        var retry = Assert.Single(_host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10)).Value;
        Assert.Equal((nameof(SyncJobs.RereadStaleAsync), (object)1), (retry.Job.Method.Name, retry.Job.Args[1]));

        Assert.Equal(Studies - 2 * BatchSize, await StaleAsync());
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM study_changes") - changesBefore);
        await using (var db = _database.CreateContext())
        {
            var stopped = await db.Rereads.AsNoTracking().SingleAsync();
            Assert.Equal((2 * BatchSize, 2, (DateTimeOffset?)null), (stopped.Studies, stopped.Changed, stopped.FinishedAt));
        }

        await ExecuteAsync("DROP TRIGGER test_crash ON studies; DROP FUNCTION test_crash();");
        var resumed = await _host.SendAsync(new ReclassifyStudies.Command(OnlyStale: true));

        Assert.Equal(new ReclassifyStudies.Result(Studies - 2 * BatchSize, 2), resumed);
        Assert.Equal(0, await StaleAsync());
        await using (var db = _database.CreateContext())
        {
            var changes = await db.StudyChanges.AsNoTracking().OrderBy(c => c.Id).Skip((int)changesBefore).ToListAsync();
            Assert.Equal(stripped.Order(), changes.Select(c => c.NctId).Order());
            Assert.All(changes, c => Assert.Equal(StudyChangeKinds.Tags, c.Kind));
            var rereads = await db.Rereads.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(2, rereads.Count);
            Assert.NotNull(rereads[1].FinishedAt);
        }
    }

    private async Task<long> StaleAsync() =>
        await CountAsync($"SELECT count(*) FROM studies WHERE reading_version IS DISTINCT FROM '{StudyReading.CurrentVersion}'");

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
