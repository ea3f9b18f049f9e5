using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Core.SyncRuns;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Catalog;
using TrialFinder.Testing;
using Xunit.Abstractions;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// A fresh install loads the shipped snapshot, then its first scheduled sync meets a registry of thousands of
/// studies none of which was updated since the snapshot's newest record: an incremental sync would never fetch them.
/// </summary>
public sealed class FirstScheduledSyncTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int OlderStudies = 3_000;
    private const string SnapshotWording = "Showing a snapshot of trials read on";
    private const string SyncedWording = "Updated from ClinicalTrials.gov on";

    private readonly TestDatabase _database = new();
    private RegistryReplay _replay = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(RegistryRecords.Corpus());
    }

    public async Task DisposeAsync()
    {
        await _replay.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task After_a_snapshot_import_the_first_scheduled_sync_lists_all_of_three_thousand_older_studies_and_the_header_stops_saying_snapshot()
    {
        using var host = SyncHost.Create(_database, _replay, pageSize: 200, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);
        var imported = await host.SendAsync(new ImportSnapshot.Command(null));
        Assert.True(imported is { Succeeded: true }, imported?.ToString());
        DateOnly newestInSnapshot;
        await using (var db = _database.CreateContext())
        {
            newestInSnapshot = (await db.Studies.MaxAsync(s => s.LastUpdatePostedOn))!.Value;
        }

        var older = ScaleCatalog.Generate(2 * OlderStudies, seed: 4)
            .Where(record => LastUpdate(record) < newestInSnapshot)
            .Take(OlderStudies)
            .ToList();
        Assert.Equal(OlderStudies, older.Count);
        older.ForEach(_replay.Put);
        var served = SyncOptions.DefaultQueries.SelectMany(q => _replay.Matching(q)).ToHashSet(StringComparer.Ordinal);
        var sinceSnapshot = SyncOptions.DefaultQueries.SelectMany(q => _replay.Matching(q, newestInSnapshot)).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(older.Select(r => r.NctId).ToHashSet(StringComparer.Ordinal), served);
        Assert.DoesNotContain(sinceSnapshot, ScaleCatalog.IsGenerated);
        await using var site = new WebTestHost(_database);
        var before = await site.CreateClient().GetStringAsync("/");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SyncJobs>().RunIncrementalAsync(CancellationToken.None);
        }

        var after = await site.CreateClient().GetStringAsync("/");
        await using (var db = _database.CreateContext())
        {
            var run = await db.SyncRuns.AsNoTracking().OrderBy(r => r.Id).LastAsync();
            output.WriteLine($"Snapshot newest record {newestInSnapshot:yyyy-MM-dd}; {served.Count} studies served, {sinceSnapshot.Count} updated since; " +
                             $"first scheduled sync: {run.Kind} run of {run.Pages} pages, {run.Seen} seen, {run.Inserted} new");
            Assert.Equal((SyncKind.Full, SyncOutcome.Succeeded), (run.Kind, run.Outcome));
            Assert.DoesNotContain(_replay.Requests, r => r.PathAndQuery.Contains("filter.advanced", StringComparison.Ordinal));
            var listed = await db.Studies.Where(s => s.IsListed).Select(s => s.NctId).ToListAsync();
            Assert.Superset(served, listed.ToHashSet(StringComparer.Ordinal));
            Assert.Equal(OlderStudies, listed.Count(ScaleCatalog.IsGenerated));
        }

        Assert.Contains(SnapshotWording, before, StringComparison.Ordinal);
        Assert.DoesNotContain(SyncedWording, before, StringComparison.Ordinal);
        Assert.Contains(SyncedWording, after, StringComparison.Ordinal);
        Assert.DoesNotContain(SnapshotWording, after, StringComparison.Ordinal);
    }

    private static DateOnly LastUpdate(StudyRecord record)
    {
        using var document = JsonDocument.Parse(record.Utf8Json);
        var date = document.RootElement.GetProperty("protocolSection").GetProperty("statusModule")
            .GetProperty("lastUpdatePostDateStruct").GetProperty("date").GetString()!;
        return DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
