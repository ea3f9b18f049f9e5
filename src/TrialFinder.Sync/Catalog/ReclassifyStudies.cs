using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using TrialFinder.Core.Classification;
using TrialFinder.Data;
using TrialFinder.Sync.Mapping;
using TrialFinder.Data.SyncRuns;

namespace TrialFinder.Sync.Catalog;

/// <summary>
/// Re-runs classification over every stored study from its raw registry JSON; nothing is downloaded. Holds
/// the sync lock throughout, so a sync never writes a study between its reading and its re-classification.
/// </summary>
public static class ReclassifyStudies
{
    public sealed record Command : IRequest<Result>;

    public sealed record Result(int Studies, int Changed);

    public sealed class Handler(TrialFinderDbContext db, StudyClassifier classifier, ILogger<Handler> logger)
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

                foreach (var study in batch)
                {
                    using var raw = JsonDocument.Parse(study.RawJson);
                    var classification = classifier.Classify(RegistryStudyMapper.Map(raw.RootElement));
                    var before = Fingerprint(study.Diseases, study.NetSubtypes, study.TakesRefractory, study.TherapyTypes);
                    study.ApplyClassification(classification);
                    if (before != Fingerprint(study.Diseases, study.NetSubtypes, study.TakesRefractory, study.TherapyTypes))
                    {
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

        private static string Fingerprint(List<string> diseases, List<string> subtypes, bool refractory, List<string> therapies) =>
            $"{string.Join(',', diseases)}|{string.Join(',', subtypes)}|{refractory}|{string.Join(',', therapies)}";
    }
}
