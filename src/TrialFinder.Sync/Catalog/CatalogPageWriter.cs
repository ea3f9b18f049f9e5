using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Sync.Mapping;

namespace TrialFinder.Sync.Catalog;

/// <summary>
/// Writes one page of registry records: map → classify → upsert by NCT id, history of what users
/// care about, and the run's checkpoint, all in one transaction, so a run stopped at any point
/// resumes after the last written page with no duplicate and no gap.
/// </summary>
public sealed class CatalogPageWriter(
    TrialFinderDbContext db, StudyClassifier classifier, TimeProvider clock, ILogger<CatalogPageWriter> logger)
{
    public async Task WriteAsync(
        SyncRun run, IReadOnlyList<JsonElement> records, PageOrigin origin, Action<SyncRun> advanceCheckpoint,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (incoming, errors, unreadableIds) = MapAll(run, records, origin, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = incoming.Keys.Concat(unreadableIds).ToList();
        var stored = await db.Studies
            .Include(s => s.Sites)
            .Where(s => ids.Contains(s.NctId))
            .AsSplitQuery()
            .ToDictionaryAsync(s => s.NctId, cancellationToken);

        foreach (var study in incoming.Values)
        {
            if (stored.TryGetValue(study.NctId, out var existing))
            {
                Merge(run, existing, study, origin.Source, now);
            }
            else
            {
                Insert(run, study, origin.Source, now);
            }
        }

        // A record we could not read is still listed by the registry: never delist it for that.
        foreach (var id in unreadableIds.Where(stored.ContainsKey))
        {
            stored[id].LastSeenRunId = run.Id;
        }

        db.SyncErrors.AddRange(errors);
        run.Pages++;
        run.LastProgressAt = now;
        advanceCheckpoint(run);
        db.SyncRuns.Update(run);
        // An admin may ask to cancel while this page is written; never overwrite that request.
        db.Entry(run).Property(r => r.CancelRequestedAt).IsModified = false;

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private (Dictionary<string, Study> Studies, List<SyncError> Errors, List<string> UnreadableIds) MapAll(
        SyncRun run, IReadOnlyList<JsonElement> records, PageOrigin origin, DateTimeOffset now)
    {
        var studies = new Dictionary<string, Study>(StringComparer.Ordinal);
        var errors = new List<SyncError>();
        var unreadable = new List<string>();
        foreach (var record in records)
        {
            try
            {
                var study = RegistryStudyMapper.Map(record);
                study.ApplyClassification(classifier.Classify(study));
                studies[study.NctId] = study;
            }
            catch (StudyMappingException exception)
            {
                logger.LogWarning("Sync run {RunId}, page {Page}: {Error}", run.Id, run.Pages + 1, exception.Message);
                run.Failed++;
                errors.Add(new SyncError
                {
                    SyncRunId = run.Id,
                    OccurredAt = now,
                    NctId = exception.NctId ?? RegistryStudyMapper.TryReadNctId(record),
                    Page = run.Pages + 1,
                    Query = origin.Query,
                    Message = exception.Message,
                });
                if (errors[^1].NctId is { } id)
                {
                    unreadable.Add(id);
                }
            }
        }

        return (studies, errors, unreadable);
    }

    private void Insert(SyncRun run, Study study, string source, DateTimeOffset now)
    {
        study.FirstSeenAt = now;
        study.LastChangedAt = now;
        study.LastSyncedAt = now;
        study.Source = source;
        study.LastSeenRunId = run.Id;
        db.Studies.Add(study);
        run.Seen++;
        run.Inserted++;
    }

    private void Merge(SyncRun run, Study existing, Study incoming, string source, DateTimeOffset now)
    {
        if (existing.LastSeenRunId == run.Id)
        {
            return; // already written by an earlier query of this run
        }

        run.Seen++;
        var isOlderCopy = source == StudySources.Snapshot
            && existing.LastUpdatePostedOn > incoming.LastUpdatePostedOn;
        if (existing.ContentHash == incoming.ContentHash || isOlderCopy)
        {
            run.Unchanged++;
        }
        else
        {
            db.StudyChanges.AddRange(StudyChangeDetector.Detect(existing, incoming, now, run.Id));
            existing.ReplaceRegistryContent(incoming);
            existing.ApplyClassification(classifier.Classify(existing));
            existing.LastChangedAt = now;
            run.Updated++;
        }

        if (!existing.IsListed)
        {
            existing.IsListed = true;
            existing.DelistedAt = null;
            db.StudyChanges.Add(new StudyChange
            {
                NctId = existing.NctId,
                SyncRunId = run.Id,
                DetectedAt = now,
                Kind = StudyChangeKinds.Listing,
                Summary = "Listed by the registry again",
            });
        }

        existing.LastSeenRunId = run.Id;
        existing.LastSyncedAt = now;
        if (!isOlderCopy)
        {
            existing.Source = source;
        }
    }
}

/// <summary>Where a page came from, for error reports and the stored copy's source.</summary>
public sealed record PageOrigin(string Source, string? Query);
