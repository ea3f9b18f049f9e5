using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Sync.Catalog;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.Sync.Catalog;

/// <summary>
/// Loads a snapshot of API v2 study records (a folder of <c>NCT*.json</c> files, or one file holding
/// a study or a <c>{"studies": [...]}</c> page) through the same map → classify → upsert path as a sync.
/// A stored copy newer than the snapshot's is kept.
/// </summary>
public static class ImportSnapshot
{
    /// <param name="Path">A snapshot folder or file; null means the snapshot shipped with the product.</param>
    /// <param name="OnlyIfEmpty">Skip the import when the catalogue already holds studies (first run).</param>
    public sealed record Command(string? Path, bool OnlyIfEmpty = false) : IRequest<SyncRunSummary?>;

    public sealed class Handler(
        TrialFinderDbContext db, CatalogPageWriter writer, IOptions<SyncOptions> options, TimeProvider clock, ILogger<Handler> logger)
        : IRequestHandler<Command, SyncRunSummary?>
    {
        public async ValueTask<SyncRunSummary?> Handle(Command command, CancellationToken cancellationToken)
        {
            var snapshot = SnapshotSource.Open(command.Path ?? SnapshotSource.ShippedPath);

            await using var syncLock = await SyncLock.TryAcquireAsync(db.Database.GetConnectionString()!, cancellationToken)
                ?? throw new SyncAlreadyRunningException();

            if (command.OnlyIfEmpty && await db.Studies.AnyAsync(cancellationToken))
            {
                logger.LogInformation("The catalogue already holds studies; the snapshot was not loaded");
                return null;
            }

            await writer.AddMissingSyncStatesAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var run = new SyncRun
            {
                Kind = SyncKind.Snapshot,
                StartedAt = now,
                LastProgressAt = now,
                Lease = Guid.NewGuid(),
                SnapshotTakenOn = snapshot.TakenOn,
                Queries = [snapshot.Location],
            };
            db.SyncRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();

            var origin = new PageOrigin(StudySource.Snapshot, snapshot.Location);
            foreach (var batch in snapshot.ReadRecords().Chunk(options.Value.BatchSize))
            {
                await writer.WriteAsync(syncLock, run, batch, origin, _ => { }, cancellationToken);
            }

            await ApplyProvenanceAsync(run.Id, snapshot.ReadProvenance(), cancellationToken);

            run.Outcome = SyncOutcome.Succeeded;
            run.FinishedAt = clock.GetUtcNow();
            run.Message = run.Failed > 0 ? $"{run.Failed} records could not be read; see the errors." : null;
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await writer.SaveFencedAsync(run, cancellationToken);
                await db.SyncRunSightings.Where(x => x.SyncRunId == run.Id).ExecuteDeleteAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();

            var summary = SyncRunSummary.From(run);
            logger.LogInformation("Snapshot {Location} of {TakenOn}: {Summary}", snapshot.Location, snapshot.TakenOn, summary);
            return summary;
        }

        /// <summary>
        /// Every study this run saw whose stored copy is now the snapshot's takes its provenance facts (also when the record
        /// itself was unchanged, since the provenance may have been corrected); a newer copy the registry wrote is left alone.
        /// </summary>
        private async Task ApplyProvenanceAsync(long runId, IReadOnlyDictionary<string, SnapshotProvenance> provenance, CancellationToken cancellationToken)
        {
            var studies = await db.Studies.Where(s => s.SyncState!.LastSeenRunId == runId && s.Source == StudySource.Snapshot).ToListAsync(cancellationToken);
            foreach (var study in studies)
            {
                study.ApplySnapshotProvenance(provenance.GetValueOrDefault(study.NctId));
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>A snapshot on disk: its records and, from <c>snapshot.json</c> beside them, the date they were read.</summary>
public sealed class SnapshotSource
{
    public static string ShippedPath => System.IO.Path.Combine(AppContext.BaseDirectory, "Snapshot");

    private readonly IReadOnlyList<string> _files;

    private SnapshotSource(string location, IReadOnlyList<string> files, DateOnly? takenOn)
    {
        Location = location;
        _files = files;
        TakenOn = takenOn;
    }

    public string Location { get; }
    public DateOnly? TakenOn { get; }

    public static SnapshotSource Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            return new SnapshotSource(fullPath, [fullPath], ReadTakenOn(System.IO.Path.GetDirectoryName(fullPath)!));
        }

        if (!Directory.Exists(fullPath))
        {
            throw new FileNotFoundException($"No snapshot at '{fullPath}': give a folder of NCT*.json files or one JSON file.");
        }

        var studiesFolder = System.IO.Path.Combine(fullPath, "studies");
        var folder = Directory.Exists(studiesFolder) ? studiesFolder : fullPath;
        var files = Directory.GetFiles(folder, "*.json").Where(f => !f.EndsWith("snapshot.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"The snapshot folder '{folder}' holds no JSON study records.");
        }

        return new SnapshotSource(fullPath, files, ReadTakenOn(fullPath));
    }

    public IEnumerable<JsonElement> ReadRecords()
    {
        foreach (var file in _files)
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("studies", out var studies) && studies.ValueKind == JsonValueKind.Array)
            {
                foreach (var study in studies.EnumerateArray())
                {
                    yield return study.Clone();
                }
            }
            else
            {
                yield return root.Clone();
            }
        }
    }

    /// <summary>
    /// The <c>provenance/*.json</c> entries beside the records, by NCT id: status date and source, reported total sites,
    /// whether the criteria are an excerpt. A snapshot without a provenance folder has none.
    /// </summary>
    public IReadOnlyDictionary<string, SnapshotProvenance> ReadProvenance()
    {
        var root = File.Exists(Location) ? System.IO.Path.GetDirectoryName(Location)! : Location;
        var folder = System.IO.Path.Combine(root, "provenance");
        var entries = new Dictionary<string, SnapshotProvenance>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return entries;
        }

        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (Text(entry, "nctId") is { } nctId)
                {
                    entries[nctId] = ReadEntry(entry);
                }
            }
        }

        return entries;
    }

    private static SnapshotProvenance ReadEntry(JsonElement entry)
    {
        var source = entry.TryGetProperty("statusSource", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        return new SnapshotProvenance(
            DateOnly.TryParseExact(Text(entry, "statusAsOf"), "yyyy-MM-dd", out var asOf) ? asOf : null,
            source.ValueKind == JsonValueKind.Object ? Text(source, "title") : null,
            source.ValueKind == JsonValueKind.Object ? Text(source, "url") : null,
            entry.TryGetProperty("sitesReported", out var sites) && sites.ValueKind == JsonValueKind.Number && sites.TryGetInt32(out var count) ? count : null,
            entry.TryGetProperty("criteriaExcerpt", out var excerpt) && excerpt.ValueKind == JsonValueKind.True);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    private static DateOnly? ReadTakenOn(string folder)
    {
        var manifest = System.IO.Path.Combine(folder, "snapshot.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        return document.RootElement.TryGetProperty("takenOn", out var takenOn) && DateOnly.TryParse(takenOn.GetString(), out var date)
            ? date
            : null;
    }
}
