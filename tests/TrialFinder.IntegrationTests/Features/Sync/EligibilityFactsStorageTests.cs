using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Eligibility;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// Every stored study keeps what its eligibility text states (the extractor's facts with their sentences), written
/// where the study is classified: by a sync, by the snapshot import, and by re-classification for older rows.
/// </summary>
public sealed class EligibilityFactsStorageTests : SyncTestBase
{
    [Fact]
    public async Task A_full_sync_stores_each_studys_eligibility_facts_as_the_extractor_reads_them()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);

        await AssertEveryStudyHoldsItsFactsAsync();
    }

    [Fact]
    public async Task The_snapshot_import_stores_the_eligibility_facts()
    {
        var imported = await Host.SendAsync(new ImportSnapshot.Command(null));
        Assert.True(imported is { Succeeded: true }, imported?.ToString());

        await AssertEveryStudyHoldsItsFactsAsync();
    }

    [Fact]
    public async Task Reclassifying_fills_the_facts_of_rows_stored_before_they_were_read_and_records_no_change()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);
        await using (var db = Database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE studies SET eligibility_facts = NULL");
            Assert.Empty(await db.Studies.AsNoTracking().Where(s => s.EligibilityFacts.Count > 0).ToListAsync());
        }

        var result = await Host.SendAsync(new ReclassifyStudies.Command());

        Assert.Equal(0, result.Changed);
        await AssertEveryStudyHoldsItsFactsAsync();
    }

    private async Task AssertEveryStudyHoldsItsFactsAsync()
    {
        await using var db = Database.CreateContext();
        var studies = await db.Studies.AsNoTracking().ToListAsync();
        Assert.NotEmpty(studies);
        foreach (var study in studies)
        {
            var expected = CriteriaExtractor.Default.Extract(study.EligibilityCriteria, study.Diseases).Facts;
            Assert.Equal(expected, study.EligibilityFacts);
        }

        // The real records include neuroblastoma trials requiring MIBG-avid disease and NET trials stating a Ki-67 range.
        var facts = studies.SelectMany(s => s.EligibilityFacts).ToList();
        Assert.Contains(facts, f => f.Criterion == "disease-state");
        Assert.Contains(facts, f => f.Criterion == "ki67");
        Assert.All(facts, f => Assert.False(string.IsNullOrWhiteSpace(f.Quote)));
    }
}
