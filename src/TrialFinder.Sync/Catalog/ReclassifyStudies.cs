using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Eligibility;
using TrialFinder.Core.Studies;
using TrialFinder.Data;
using TrialFinder.Sync.Mapping;
using TrialFinder.Data.SyncRuns;

namespace TrialFinder.Sync.Catalog;

/// <summary>
/// Re-runs classification and the eligibility reading over every stored study from its raw registry JSON; nothing is downloaded. Holds
/// the sync lock throughout, so a sync never writes a study between its reading and its re-classification.
/// A study whose tags change gets one change record (users following it see it); one whose tags stay gets none,
/// even when the evidence behind them is reworded.
/// </summary>
public static class ReclassifyStudies
{
    public sealed record Command : IRequest<Result>;

    public sealed record Result(int Studies, int Changed);

    public sealed class Handler(TrialFinderDbContext db, StudyClassifier classifier, CriteriaExtractor extractor, TimeProvider clock, ILogger<Handler> logger)
        : IRequestHandler<Command, Result>
    {
        private const int BatchSize = 200;

        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            await using var syncLock = await SyncLock.TryAcquireAsync(db.Database.GetConnectionString()!, cancellationToken)
                ?? throw new SyncAlreadyRunningException();
            int total = 0, changed = 0;
            string? after = null;
            while (true)
            {
                var batch = await db.Studies
                    .Where(s => after == null || string.Compare(s.NctId, after) > 0)
                    .OrderBy(s => s.NctId)
                    .Take(BatchSize)
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                var now = clock.GetUtcNow();
                foreach (var study in batch)
                {
                    using var raw = JsonDocument.Parse(study.RawJson);
                    var classification = classifier.Classify(RegistryStudyMapper.Map(raw.RootElement));
                    var change = StudyChangeDetector.DetectTagChange(study, classification, now, syncRunId: null);
                    study.ApplyClassification(classification);
                    var facts = extractor.Extract(study.EligibilityCriteria, study.Diseases).Facts;
                    if (!facts.SequenceEqual(study.EligibilityFacts))
                    {
                        study.EligibilityFacts = [.. facts];
                    }
                    if (change is not null)
                    {
                        db.StudyChanges.Add(change);
                        study.LastChangedAt = now;
                        changed++;
                    }
                }

                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                total += batch.Count;
                after = batch[^1].NctId;
            }

            logger.LogInformation("Re-classified {Total} studies; {Changed} changed tags", total, changed);
            return new Result(total, changed);
        }
    }
}
