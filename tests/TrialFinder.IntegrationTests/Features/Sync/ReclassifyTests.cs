using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Studies;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.Sync;

/// <summary>
/// Re-classifying the stored catalogue records a change only where a study's tags really change: users who follow
/// a trial are told when it gains or loses a tag, and never because the classifier ran again.
/// </summary>
public sealed class ReclassifyTests : SyncTestBase
{
    [Fact]
    public async Task Reclassifying_with_an_unchanged_vocabulary_records_no_change()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);
        var before = await SnapshotAsync();

        var result = await Host.SendAsync(new ReclassifyStudies.Command());

        Assert.Equal(before.Studies, result.Studies);
        Assert.Equal(0, result.Changed);
        var after = await SnapshotAsync();
        Assert.Equal(before.Changes, after.Changes);
        Assert.Equal(before.Tags, after.Tags);
        Assert.Equal(before.LastChanged, after.LastChanged);
    }

    [Fact]
    public async Task A_study_whose_tags_change_gets_exactly_one_change_record_and_reworded_evidence_gets_none()
    {
        Assert.True((await Host.SyncAsync(RunSync.Command.Full())).Succeeded);
        string changedId, rewordedId;
        List<string> therapies;
        await using (var db = Database.CreateContext())
        {
            // As an older vocabulary would have left them: one study without one of its therapy tags, another with
            // the same tags but different evidence wording.
            var tagged = await db.Studies.Where(s => s.TherapyTypes.Count > 0).OrderBy(s => s.NctId).Take(2).ToListAsync();
            Assert.Equal(2, tagged.Count);
            (changedId, rewordedId) = (tagged[0].NctId, tagged[1].NctId);
            therapies = [.. tagged[0].TherapyTypes];
            tagged[0].TherapyTypes = tagged[0].TherapyTypes.Skip(1).ToList();
            tagged[1].TagEvidence = tagged[1].TagEvidence.Select(e => e with { MatchedText = "older wording" }).ToList();
            await db.SaveChangesAsync();
        }

        var changesBefore = await ChangeIdsAsync();

        var result = await Host.SendAsync(new ReclassifyStudies.Command());

        Assert.Equal(1, result.Changed);
        await using (var db = Database.CreateContext())
        {
            var change = Assert.Single(await db.StudyChanges.Where(c => !changesBefore.Contains(c.Id)).ToListAsync());
            Assert.Equal((changedId, StudyChangeKinds.Tags), (change.NctId, change.Kind));
            Assert.Equal($"Tags changed: added therapy:{therapies[0]}", change.Summary);
            Assert.Equal(therapies, (await db.Studies.SingleAsync(s => s.NctId == changedId)).TherapyTypes);
            var reworded = await db.Studies.AsNoTracking().SingleAsync(s => s.NctId == rewordedId);
            Assert.NotEmpty(reworded.TagEvidence);
            Assert.DoesNotContain(reworded.TagEvidence, e => e.MatchedText == "older wording");
        }

        var again = await Host.SendAsync(new ReclassifyStudies.Command());
        Assert.Equal(0, again.Changed);
        Assert.Equal(changesBefore.Count + 1, (await ChangeIdsAsync()).Count);
    }

    private async Task<List<long>> ChangeIdsAsync()
    {
        await using var db = Database.CreateContext();
        return await db.StudyChanges.Select(c => c.Id).ToListAsync();
    }

    private async Task<(int Studies, int Changes, List<string> Tags, List<DateTimeOffset> LastChanged)> SnapshotAsync()
    {
        await using var db = Database.CreateContext();
        var studies = await db.Studies.AsNoTracking().OrderBy(s => s.NctId).ToListAsync();
        return (studies.Count, await db.StudyChanges.CountAsync(),
            studies.Select(s => $"{s.NctId} {string.Join(',', s.Diseases)} {string.Join(',', s.NetSubtypes)} {s.TakesRefractory} {string.Join(',', s.TherapyTypes)}").ToList(),
            studies.Select(s => s.LastChangedAt).ToList());
    }
}
