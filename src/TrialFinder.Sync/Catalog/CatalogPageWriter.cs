using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Sync.Mapping;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.Sync.Catalog;

/// <summary>
/// Writes one page of registry records: map → classify → upsert by NCT id, history of what users
/// care about, the run's sightings and its checkpoint, all in one transaction, so a run stopped at
/// any point resumes after the last written page with no duplicate and no gap. The transaction
/// commits only while the writer holds the sync lock and the run's lease (fencing).
/// </summary>
public sealed class CatalogPageWriter(
    TrialFinderDbContext db, StudyClassifier classifier, TimeProvider clock, ILogger<CatalogPageWriter> logger)
{
    public async Task WriteAsync(
        SyncLock syncLock, SyncRun run, IReadOnlyList<JsonElement> records, PageOrigin origin, Action<SyncRun> advanceCheckpoint,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (incoming, errors, unreadableIds) = MapAll(run, records, origin, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await syncLock.EnsureHeldAsync(db.Database.GetDbConnection(), cancellationToken);
        var ids = incoming.Keys.Concat(unreadableIds).Distinct(StringComparer.Ordinal).ToList();
        var alreadySeen = await db.SyncRunSightings
            .Where(x => x.SyncRunId == run.Id && ids.Contains(x.NctId))
            .Select(x => x.NctId)
            .ToHashSetAsync(StringComparer.Ordinal, cancellationToken);
        var stored = await db.Studies
            .Include(s => s.Sites)
            .Where(s => ids.Contains(s.NctId) && !alreadySeen.Contains(s.NctId))
            .AsSplitQuery()
            .ToDictionaryAsync(s => s.NctId, cancellationToken);

        // A study matched by several queries (or served again after a page token restart) is written once a run.
        foreach (var study in incoming.Values.Where(s => !alreadySeen.Contains(s.NctId)))
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

        // A record we could not read is still listed by the registry: it counts as seen, never as missed.
        foreach (var id in unreadableIds.Where(stored.ContainsKey))
        {
            MarkSeen(run, stored[id]);
        }

        db.SyncRunSightings.AddRange(ids.Where(id => !alreadySeen.Contains(id)).Select(id => new SyncRunSighting { SyncRunId = run.Id, NctId = id }));
        db.SyncErrors.AddRange(errors);
        run.Pages++;
        run.LastProgressAt = now;
        advanceCheckpoint(run);
        await SaveFencedAsync(run, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>Saves the run's checkpoint alone (no page), under the same fencing as a page.</summary>
    public async Task SaveCheckpointAsync(SyncLock syncLock, SyncRun run, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await syncLock.EnsureHeldAsync(db.Database.GetDbConnection(), cancellationToken);
        run.LastProgressAt = clock.GetUtcNow();
        await SaveFencedAsync(run, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Saves pending changes with the run; the run's row is updated only while its lease is still ours
    /// (a concurrency token), so a worker that was taken over writes nothing.
    /// </summary>
    public async Task SaveFencedAsync(SyncRun run, CancellationToken cancellationToken)
    {
        db.SyncRuns.Update(run);
        // An admin may ask to cancel while this page is written; never overwrite that request.
        db.Entry(run).Property(r => r.CancelRequestedAt).IsModified = false;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new SyncLockLostException($"Sync run {run.Id} was taken over by another worker; this one stopped writing.");
        }
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

        MarkSeen(run, existing);
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

        existing.LastSyncedAt = now;
        if (!isOlderCopy)
        {
            existing.Source = source;
        }
    }

    /// <summary>
    /// Served by the registry for the catalogue's queries: no longer a candidate for delisting. Refreshes by
    /// NCT id and snapshots say nothing about what the queries select, so they leave the miss count alone.
    /// </summary>
    private static void MarkSeen(SyncRun run, Study study)
    {
        study.LastSeenRunId = run.Id;
        if (run.Kind is SyncKinds.Full or SyncKinds.Incremental)
        {
            study.FullRunMisses = 0;
        }
    }
}

/// <summary>Where a page came from, for error reports and the stored copy's source.</summary>
public sealed record PageOrigin(string Source, string? Query);
