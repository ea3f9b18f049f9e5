using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Eligibility;
using TrialFinder.Core.Studies;
using TrialFinder.Data;
using TrialFinder.Sync.Mapping;
using TrialFinder.Data.Rereads;
using TrialFinder.Data.SyncRuns;

namespace TrialFinder.Sync.Catalog;

/// <summary>
/// Re-runs classification and the eligibility reading over stored studies from their raw registry JSON; nothing is
/// downloaded. Every study re-read is stamped with this build's <see cref="StudyReading.CurrentVersion"/>. With
/// <see cref="Command.OnlyStale"/> (the workers' automatic re-read) only studies read with another version are taken,
/// so a pass stopped at any point resumes where it stopped; without it (the <c>reclassify</c> verb, the admin button)
/// every study is. Holds the sync lock throughout, and each batch commits only while it is still held, so a sync never
/// writes a study between its reading and its re-classification.
/// A study whose tags change gets one change record (users following it see it); one whose tags stay gets none,
/// even when the evidence behind them is reworded. A study read as before is only stamped, which moves no catalogue
/// version (cached search answers stay).
/// </summary>
public static class ReclassifyStudies
{
    public sealed record Command(bool OnlyStale = false) : IRequest<Result>;

    public sealed record Result(int Studies, int Changed);

    public sealed class Handler(TrialFinderDbContext db, StudyClassifier classifier, CriteriaExtractor extractor, TimeProvider clock, ILogger<Handler> logger)
        : IRequestHandler<Command, Result>
    {
        private const int BatchSize = 200;

        private enum Outcome
        {
            /// <summary>Read as before: only its version is stamped.</summary>
            SameReading,
            NewReading,
            Unreadable,
        }

        private sealed record Reading(Study Study, Outcome Outcome, StudyClassification? Classification, IReadOnlyList<CriterionFact> Facts);

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var version = StudyReading.CurrentVersion;
            await using var syncLock = await SyncLock.TryAcquireAsync(db.Database.GetConnectionString()!, cancellationToken)
                ?? throw new SyncAlreadyRunningException();
            if (command.OnlyStale && !await db.Studies.ReadWithAnotherVersion(version).AnyAsync(cancellationToken))
            {
                logger.LogInformation("Every stored study is read with version {Version}; nothing to re-read", version);
                return new Result(0, 0);
            }

            var reread = new Reread { ReadingVersion = version, OnlyStale = command.OnlyStale, StartedAt = clock.GetUtcNow() };
            db.Rereads.Add(reread);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            logger.LogInformation("Re-reading {Which} stored studies with version {Version} (re-read {RereadId})",
                command.OnlyStale ? "the older-read" : "all", version, reread.Id);

            int total = 0, changed = 0;
            string? after = null;
            while (true)
            {
                var candidates = db.Studies.Where(s => after == null || string.Compare(s.NctId, after) > 0);
                if (command.OnlyStale)
                {
                    candidates = candidates.ReadWithAnotherVersion(version);
                }

                var batch = await candidates.OrderBy(s => s.NctId).Take(BatchSize).AsNoTracking().ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                var readings = batch.Select(Read).ToList();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await syncLock.EnsureHeldAsync(db.Database.GetDbConnection(), cancellationToken);
                var now = clock.GetUtcNow();
                var newReadings = readings.Where(r => r.Outcome == Outcome.NewReading).ToDictionary(r => r.Study.NctId);
                var newIds = newReadings.Keys.ToList();
                var tracked = await db.Studies.Where(s => newIds.Contains(s.NctId)).ToListAsync(cancellationToken);
                var changedInBatch = tracked.Count(study => Apply(study, newReadings[study.NctId], version, now));
                await db.SaveChangesAsync(cancellationToken);
                var onlyStamped = readings.Where(r => r.Outcome == Outcome.SameReading).Select(r => r.Study.NctId).ToList();
                await db.Studies.Where(s => onlyStamped.Contains(s.NctId))
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.ReadingVersion, version), cancellationToken);
                await db.Rereads.Where(r => r.Id == reread.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(r => r.Studies, r => r.Studies + batch.Count)
                    .SetProperty(r => r.Changed, r => r.Changed + changedInBatch), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                total += batch.Count;
                changed += changedInBatch;
                after = batch[^1].NctId;
            }

            await db.Rereads.Where(r => r.Id == reread.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.FinishedAt, clock.GetUtcNow()), cancellationToken);
            logger.LogInformation("Re-classified {Total} studies; {Changed} changed tags", total, changed);
            return new Result(total, changed);
        }

        /// <summary>
        /// Reads one study (as stored, untracked) again. The same reading is only stamped afterwards, in one statement: EF
        /// rewrites the JSON columns of a tracked study even when they are equal, and every such write moves the catalogue
        /// version (throwing every cached search answer away).
        /// </summary>
        private Reading Read(Study study)
        {
            StudyClassification classification;
            try
            {
                using var raw = JsonDocument.Parse(study.RawJson);
                classification = classifier.Classify(RegistryStudyMapper.Map(raw.RootElement));
            }
            catch (StudyMappingException exception)
            {
                // Left with its older reading (and version): it counts as waiting until the mapper reads it again.
                logger.LogWarning("{NctId} could not be mapped from its stored record and keeps its older reading: {Error}", study.NctId, exception.Message);
                return new Reading(study, Outcome.Unreadable, null, []);
            }

            var facts = extractor.Extract(study.EligibilityCriteria, classification.Diseases).Facts;
            var same = ReadsAlike(study, classification) && facts.SequenceEqual(study.EligibilityFacts);
            return new Reading(study, same ? Outcome.SameReading : Outcome.NewReading, classification, facts);
        }

        /// <summary>Writes a new reading on the tracked study; true when its tags changed (one change record added).</summary>
        private bool Apply(Study study, Reading reading, string version, DateTimeOffset now)
        {
            var classification = reading.Classification!;
            var change = StudyChangeDetector.DetectTagChange(study, classification, now, syncRunId: null);
            if (!ReadsAlike(study, classification))
            {
                study.ApplyClassification(classification);
            }

            if (!reading.Facts.SequenceEqual(study.EligibilityFacts))
            {
                study.EligibilityFacts = [.. reading.Facts];
            }

            study.ReadingVersion = version;
            if (change is null)
            {
                return false;
            }

            db.StudyChanges.Add(change);
            study.LastChangedAt = now;
            return true;
        }

        private static bool ReadsAlike(Study study, StudyClassification classification) =>
            study.Diseases.SequenceEqual(classification.Diseases)
            && study.NetSubtypes.SequenceEqual(classification.NetSubtypes)
            && study.TakesRefractory == classification.TakesRefractory
            && study.TherapyTypes.SequenceEqual(classification.TherapyTypes)
            && study.TagEvidence.SequenceEqual(classification.Evidence);
    }
}
