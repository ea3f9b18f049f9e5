using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Eligibility;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Sync.Mapping;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Infrastructure.Telemetry;

namespace TrialFinder.Sync.Catalog;

/// <summary>
/// Writes one page of registry records: map → classify → upsert by NCT id, history of what users
/// care about, the run's sightings and its checkpoint, all in one transaction, so a run stopped at
/// any point resumes after the last written page with no duplicate and no gap. The transaction
/// commits only while the writer holds the sync lock and the run's lease (fencing).
/// </summary>
public sealed class CatalogPageWriter(
    TrialFinderDbContext db, StudyClassifier classifier, CriteriaExtractor extractor, TimeProvider clock, SyncMetrics metrics, ILogger<CatalogPageWriter> logger)
{
    public async Task WriteAsync(
        SyncLock syncLock, SyncRun run, IReadOnlyList<JsonElement> records, PageOrigin origin, Action<SyncRun> advanceCheckpoint,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (unchanged, changed, pageIds) = await SortOutUnchangedAsync(run, records, cancellationToken);
        var (incoming, errors, unreadableIds) = MapAll(run, changed, origin, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await syncLock.EnsureHeldAsync(db.Database.GetDbConnection(), cancellationToken);
        var writeIds = incoming.Keys.Concat(unreadableIds).Distinct(StringComparer.Ordinal).ToList();
        var stored = await db.Studies
            .Include(s => s.Sites)
            .Where(s => writeIds.Contains(s.NctId))
            .AsSplitQuery()
            .ToDictionaryAsync(s => s.NctId, cancellationToken);

        var newStudies = new List<Study>();
        foreach (var study in incoming.Values)
        {
            if (stored.TryGetValue(study.NctId, out var existing))
            {
                Merge(run, existing, study, origin.Source, now);
            }
            else
            {
                Insert(run, study, origin.Source, now);
                newStudies.Add(study);
            }
        }

        // A record we could not read is still listed by the registry: it counts as seen, never as missed.
        foreach (var id in unreadableIds.Where(stored.ContainsKey))
        {
            MarkSeen(run, stored[id]);
        }

        await MarkUnchangedSeenAsync(run, unchanged, origin.Source, now, cancellationToken);
        var ids = pageIds;
        db.SyncErrors.AddRange(errors);
        run.Pages++;
        run.LastProgressAt = now;
        advanceCheckpoint(run);
        await SaveFencedAsync(run, cancellationToken);
        // The bulk of a first sync: new studies, their sites and every sighting, written in bulk in the same
        // transaction rather than tracked one by one (most of the ingest's cost when they went through the change
        // tracker: a statement, and a catalogue-version bump, per row).
        await db.CopyAsync(newStudies, cancellationToken);
        await db.CopyAsync(newStudies.SelectMany(s => s.Sites).ToList(), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO sync_run_sightings (sync_run_id, nct_id) SELECT {0}, unnest({1}::text[]) ON CONFLICT DO NOTHING",
            [run.Id, ids.ToArray()], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        metrics.PageWritten(run.Kind.Stored(), records.Count, errors.Count);
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

    /// <summary>
    /// Decides before any mapping or classifying which records are byte-for-byte the stored copy (most of a
    /// full sync). Records this run already wrote (a study matched by several queries, or served again after
    /// a page token restart) are left out: a study is written once a run. Returns the ids this page newly sights.
    /// </summary>
    private async Task<(List<UnchangedStudy> Unchanged, List<JsonElement> Changed, List<string> PageIds)> SortOutUnchangedAsync(
        SyncRun run, IReadOnlyList<JsonElement> records, CancellationToken cancellationToken)
    {
        var withIds = records.Select(r => (Record: r, Id: RegistryStudyMapper.TryReadNctId(r))).ToList();
        var ids = withIds.Where(r => r.Id is not null).Select(r => r.Id!).Distinct(StringComparer.Ordinal).ToList();
        var alreadySeen = await db.SyncRunSightings.AsNoTracking()
            .Where(x => x.SyncRunId == run.Id && ids.Contains(x.NctId))
            .Select(x => x.NctId)
            .ToHashSetAsync(StringComparer.Ordinal, cancellationToken);
        var stored = await db.Studies.AsNoTracking()
            .Where(s => ids.Contains(s.NctId) && s.IsListed)
            .Select(s => new { s.NctId, s.ContentHash, s.Source })
            .ToDictionaryAsync(s => s.NctId, StringComparer.Ordinal, cancellationToken);

        var unchanged = new List<UnchangedStudy>();
        var unchangedIds = new HashSet<string>(StringComparer.Ordinal);
        var changed = new List<JsonElement>();
        foreach (var (record, id) in withIds)
        {
            if (id is not null && alreadySeen.Contains(id))
            {
                continue;
            }

            if (id is not null && stored.TryGetValue(id, out var copy) && copy.ContentHash == RegistryStudyMapper.Canonicalize(record).ContentHash)
            {
                if (unchangedIds.Add(id))
                {
                    unchanged.Add(new UnchangedStudy(id, copy.Source));
                }
            }
            else
            {
                changed.Add(record);
            }
        }

        return (unchanged, changed, ids.Where(id => !alreadySeen.Contains(id)).ToList());
    }

    /// <summary>
    /// Unchanged listed studies are only marked as seen, in one statement that touches no column search shows, so the
    /// catalogue version (and every cached answer) survives a sync that found nothing new. Only the studies this
    /// source did not write before also take the source, which clears a snapshot's provenance when the registry
    /// serves the very record.
    /// </summary>
    private async Task MarkUnchangedSeenAsync(
        SyncRun run, List<UnchangedStudy> unchanged, StudySource source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (unchanged.Count == 0)
        {
            return;
        }

        var resetMisses = run.Kind is SyncKind.Full or SyncKind.Incremental;
        var ids = unchanged.Select(u => u.NctId).ToList();
        await db.Studies
            .Where(s => ids.Contains(s.NctId))
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.LastSeenRunId, run.Id)
                .SetProperty(s => s.LastSyncedAt, now)
                .SetProperty(s => s.FullRunMisses, s => resetMisses ? 0 : s.FullRunMisses), cancellationToken);

        var newSource = unchanged.Where(u => u.StoredSource != source).Select(u => u.NctId).ToList();
        if (newSource.Count > 0)
        {
            var fromRegistry = source == StudySource.Registry;
            await db.Studies
                .Where(s => newSource.Contains(s.NctId))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(s => s.Source, source)
                    .SetProperty(s => s.SnapshotStatusAsOf, s => fromRegistry ? null : s.SnapshotStatusAsOf)
                    .SetProperty(s => s.SnapshotStatusSourceTitle, s => fromRegistry ? null : s.SnapshotStatusSourceTitle)
                    .SetProperty(s => s.SnapshotStatusSourceUrl, s => fromRegistry ? null : s.SnapshotStatusSourceUrl)
                    .SetProperty(s => s.SnapshotReportedSiteCount, s => fromRegistry ? null : s.SnapshotReportedSiteCount)
                    .SetProperty(s => s.SnapshotCriteriaIsExcerpt, s => !fromRegistry && s.SnapshotCriteriaIsExcerpt), cancellationToken);
        }

        run.Seen += unchanged.Count;
        run.Unchanged += unchanged.Count;
    }

    private sealed record UnchangedStudy(string NctId, StudySource StoredSource);

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
                study.ReadEligibility(extractor);
                study.ReadingVersion = StudyReading.CurrentVersion;
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

    private void Insert(SyncRun run, Study study, StudySource source, DateTimeOffset now)
    {
        study.FirstSeenAt = now;
        study.LastChangedAt = now;
        study.LastSyncedAt = now;
        study.Source = source;
        study.LastSeenRunId = run.Id;
        run.Seen++;
        run.Inserted++;
    }

    private void Merge(SyncRun run, Study existing, Study incoming, StudySource source, DateTimeOffset now)
    {
        run.Seen++;
        var isOlderCopy = source == StudySource.Snapshot
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
            // Read once from the same content when the record was mapped; extraction is the costly part.
            existing.EligibilityFacts = [.. incoming.EligibilityFacts];
            existing.ReadingVersion = incoming.ReadingVersion;
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
                Summary = StudyChangeDetector.Relisted,
            });
        }

        existing.LastSyncedAt = now;
        if (!isOlderCopy)
        {
            existing.Source = source;
        }

        if (source == StudySource.Registry)
        {
            existing.ClearSnapshotProvenance();
        }
    }

    /// <summary>
    /// Served by the registry for the catalogue's queries: no longer a candidate for delisting. Refreshes by
    /// NCT id and snapshots say nothing about what the queries select, so they leave the miss count alone.
    /// </summary>
    private static void MarkSeen(SyncRun run, Study study)
    {
        study.LastSeenRunId = run.Id;
        if (run.Kind is SyncKind.Full or SyncKind.Incremental)
        {
            study.FullRunMisses = 0;
        }
    }
}

/// <summary>Where a page came from, for error reports and the stored copy's source.</summary>
public sealed record PageOrigin(StudySource Source, string? Query);
