using System.Net;
using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Mapping;
using TrialFinder.Sync.Registry;

namespace TrialFinder.Sync.Syncing;

/// <summary>
/// One sync run against the registry: incremental (studies updated since the last good run),
/// full reconciliation (every study of every query; the rest are delisted), or a refresh of
/// given NCT ids. Reads top to bottom: fetch page → map → classify → upsert → checkpoint.
/// </summary>
public static class RunSync
{
    public sealed record Command(string Kind, IReadOnlyList<string> NctIds) : IRequest<SyncRunSummary>
    {
        public static Command Incremental() => new(SyncKinds.Incremental, []);
        public static Command Full() => new(SyncKinds.Full, []);
        public static Command Refresh(IReadOnlyList<string> nctIds) => new(SyncKinds.Refresh, nctIds);
    }

    public sealed class Handler(
        TrialFinderDbContext db,
        IClinicalTrialsApi registry,
        CatalogPageWriter writer,
        IOptions<RegistryOptions> registryOptions,
        IOptions<SyncOptions> syncOptions,
        TimeProvider clock,
        ILogger<Handler> logger) : IRequestHandler<Command, SyncRunSummary>
    {
        public async ValueTask<SyncRunSummary> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.Kind is not (SyncKinds.Incremental or SyncKinds.Full or SyncKinds.Refresh))
            {
                throw new ArgumentException($"Unknown sync kind '{command.Kind}'.", nameof(command));
            }

            var invalidId = command.NctIds.FirstOrDefault(id => !RegistryStudyMapper.IsNctId(id));
            if (invalidId is not null)
            {
                throw new ArgumentException($"'{invalidId}' is not an NCT id (NCT followed by 8 digits).", nameof(command));
            }

            await using var syncLock = await SyncLock.TryAcquireAsync(db.Database.GetConnectionString()!, cancellationToken)
                ?? throw new SyncAlreadyRunningException();

            var run = await StartOrResumeAsync(command, cancellationToken);
            try
            {
                if (run.Kind == SyncKinds.Refresh)
                {
                    await RefreshAsync(run, cancellationToken);
                }
                else
                {
                    await FetchAllQueriesAsync(run, cancellationToken);
                }

                if (run.Outcome == SyncOutcomes.Running)
                {
                    await FinishAsync(run, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await EndAsync(run, SyncOutcomes.Cancelled, "Cancelled; the next run of this kind resumes after the last saved page.");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Sync run {RunId} failed after {Pages} pages", run.Id, run.Pages);
                await RecordFailureAsync(run, exception);
            }

            logger.LogInformation("{Summary}", SyncRunSummary.From(run));
            return SyncRunSummary.From(run);
        }

        private async Task<SyncRun> StartOrResumeAsync(Command command, CancellationToken cancellationToken)
        {
            var kind = command.Kind;
            if (kind != SyncKinds.Refresh)
            {
                var interrupted = await db.SyncRuns.AsNoTracking()
                    .Where(r => r.Kind == kind)
                    .OrderByDescending(r => r.Id)
                    .FirstOrDefaultAsync(cancellationToken);
                if (interrupted is { IsResumable: true })
                {
                    logger.LogInformation("Resuming {Kind} sync run {RunId} after page {Pages}", interrupted.Kind, interrupted.Id, interrupted.Pages);
                    interrupted.Outcome = SyncOutcomes.Running;
                    interrupted.CancelRequestedAt = null;
                    interrupted.Message = null;
                    interrupted.FinishedAt = null;
                    await SaveRunAsync(interrupted, cancellationToken);
                    return interrupted;
                }
            }

            DateOnly? since = null;
            if (kind == SyncKinds.Incremental)
            {
                since = await IncrementalStartDateAsync(cancellationToken);
                if (since is null)
                {
                    logger.LogInformation("No earlier sync or stored study: running a full reconciliation instead of an incremental sync");
                    kind = SyncKinds.Full;
                }
            }

            var now = clock.GetUtcNow();
            var run = new SyncRun
            {
                Kind = kind,
                StartedAt = now,
                LastProgressAt = now,
                UpdatedSince = since,
                Queries = kind == SyncKinds.Refresh ? [] : [.. syncOptions.Value.Queries],
                NctIds = [.. command.NctIds.Distinct()],
            };
            db.SyncRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return run;
        }

        private async Task<DateOnly?> IncrementalStartDateAsync(CancellationToken cancellationToken)
        {
            var margin = syncOptions.Value.IncrementalSafetyMarginDays;
            var lastGoodStart = await db.SyncRuns
                .Where(r => (r.Kind == SyncKinds.Incremental || r.Kind == SyncKinds.Full) && r.Outcome == SyncOutcomes.Succeeded)
                .MaxAsync(r => (DateTimeOffset?)r.StartedAt, cancellationToken);
            if (lastGoodStart is { } start)
            {
                return DateOnly.FromDateTime(start.UtcDateTime).AddDays(-margin);
            }

            // Only a snapshot so far: ask for what changed since its newest record.
            var newestStored = await db.Studies.MaxAsync(s => s.LastUpdatePostedOn, cancellationToken);
            return newestStored?.AddDays(-margin);
        }

        private async Task FetchAllQueriesAsync(SyncRun run, CancellationToken cancellationToken)
        {
            var pageSize = registryOptions.Value.PageSize;
            var advancedFilter = run.UpdatedSince is { } since
                ? $"AREA[LastUpdatePostDate]RANGE[{since:yyyy-MM-dd},MAX]"
                : null;

            while (run.QueryIndex < run.Queries.Count)
            {
                var query = run.Queries[run.QueryIndex];
                if (await StopRequestedAsync(run, cancellationToken))
                {
                    return;
                }

                var isFirstPage = run.PageToken is null;
                StudiesPage page;
                try
                {
                    page = await registry.SearchStudiesAsync(
                        query, null, advancedFilter, null, pageSize, run.PageToken, isFirstPage ? "true" : null, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    throw new RegistryPageException(query, run.Pages + 1, exception);
                }

                if (isFirstPage && page.TotalCount is { } total)
                {
                    run.ExpectedStudies = (run.ExpectedStudies ?? 0) + total;
                }

                await writer.WriteAsync(run, page.Studies ?? [], new PageOrigin(StudySources.Registry, query), r =>
                {
                    r.PageToken = string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken;
                    if (r.PageToken is null)
                    {
                        r.QueryIndex++;
                    }
                }, cancellationToken);

                logger.LogInformation(
                    "{Kind} sync run {RunId}: page {Page} of query {QueryNumber}/{QueryCount} written — {Seen} of ~{Expected} studies seen, {Inserted} new, {Updated} updated, {Unchanged} unchanged, {Failed} unreadable",
                    run.Kind, run.Id, run.Pages, Math.Min(run.QueryIndex + 1, run.Queries.Count), run.Queries.Count,
                    run.Seen, run.ExpectedStudies, run.Inserted, run.Updated, run.Unchanged, run.Failed);
            }
        }

        private async Task RefreshAsync(SyncRun run, CancellationToken cancellationToken)
        {
            var batchSize = syncOptions.Value.BatchSize;
            var pending = run.NctIds.Skip(run.QueryIndex).ToList();
            foreach (var batch in pending.Chunk(batchSize))
            {
                var records = new List<JsonElement>();
                var missing = new List<string>();
                foreach (var nctId in batch)
                {
                    var response = await registry.GetStudyAsync(nctId, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.NotFound)
                    {
                        missing.Add(nctId);
                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        throw new RegistryPageException(nctId, run.Pages + 1, (Exception?)response.Error ?? new HttpRequestException($"HTTP {(int?)response.StatusCode}"));
                    }

                    records.Add(response.Content!.Value);
                }

                foreach (var nctId in missing)
                {
                    run.Failed++;
                    db.SyncErrors.Add(new SyncError
                    {
                        SyncRunId = run.Id,
                        OccurredAt = clock.GetUtcNow(),
                        NctId = nctId,
                        Page = run.Pages + 1,
                        Message = $"{nctId} was not found in the registry (404).",
                    });
                }

                await writer.WriteAsync(run, records, new PageOrigin(StudySources.Registry, null),
                    r => r.QueryIndex += batch.Length, cancellationToken);
            }
        }

        private async Task<bool> StopRequestedAsync(SyncRun run, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cancelRequestedAt = await db.SyncRuns.Where(r => r.Id == run.Id).Select(r => r.CancelRequestedAt).FirstAsync(cancellationToken);
            if (cancelRequestedAt is null)
            {
                return false;
            }

            await EndAsync(run, SyncOutcomes.Cancelled, "Cancelled by an administrator; the next run of this kind resumes after the last saved page.");
            return true;
        }

        private async Task FinishAsync(SyncRun run, CancellationToken cancellationToken)
        {
            if (run.Kind == SyncKinds.Full)
            {
                run.Delisted = await DelistUnseenAsync(run, cancellationToken);
            }

            await EndAsync(run, SyncOutcomes.Succeeded, run.Failed > 0 ? $"{run.Failed} records could not be read; see the errors." : null);
        }

        /// <summary>Studies the full run did not see are kept (users bookmark them) but marked as no longer listed.</summary>
        private async Task<int> DelistUnseenAsync(SyncRun run, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var unseen = await db.Studies
                .Where(s => s.IsListed && (s.LastSeenRunId == null || s.LastSeenRunId != run.Id))
                .Select(s => s.NctId)
                .ToListAsync(cancellationToken);
            db.StudyChanges.AddRange(unseen.Select(id => new StudyChange
            {
                NctId = id,
                SyncRunId = run.Id,
                DetectedAt = now,
                Kind = StudyChangeKinds.Listing,
                Summary = "No longer listed by the registry for this catalogue",
            }));
            await db.SaveChangesAsync(cancellationToken);
            await db.Studies
                .Where(s => unseen.Contains(s.NctId))
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.IsListed, false).SetProperty(s => s.DelistedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return unseen.Count;
        }

        private async Task RecordFailureAsync(SyncRun run, Exception exception)
        {
            var pageException = exception as RegistryPageException;
            var message = pageException?.Message ?? $"Sync failed: {exception.Message}";
            await EndAsync(run, SyncOutcomes.Failed, message, new SyncError
            {
                SyncRunId = run.Id,
                OccurredAt = clock.GetUtcNow(),
                Page = pageException?.Page,
                Query = pageException?.Query,
                Message = message,
            });
        }

        /// <summary>
        /// Records how the run ended. Counters come from the last committed checkpoint, since a page
        /// interrupted mid-way was rolled back. The caller's token may already be cancelled, so none is used.
        /// </summary>
        private async Task EndAsync(SyncRun run, string outcome, string? message, SyncError? error = null)
        {
            db.ChangeTracker.Clear();
            var stored = await db.SyncRuns.AsNoTracking().FirstAsync(r => r.Id == run.Id, CancellationToken.None);
            run.Pages = stored.Pages;
            run.Seen = stored.Seen;
            run.Inserted = stored.Inserted;
            run.Updated = stored.Updated;
            run.Unchanged = stored.Unchanged;
            run.Failed = stored.Failed;
            run.QueryIndex = stored.QueryIndex;
            run.PageToken = stored.PageToken;
            run.ExpectedStudies = stored.ExpectedStudies;
            run.Outcome = outcome;
            run.Message = message;
            run.FinishedAt = clock.GetUtcNow();
            run.CancelRequestedAt = null;
            if (error is not null)
            {
                db.SyncErrors.Add(error);
            }

            await SaveRunAsync(run, CancellationToken.None);
        }

        private async Task SaveRunAsync(SyncRun run, CancellationToken cancellationToken)
        {
            db.SyncRuns.Update(run);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>A registry page that could not be fetched or read; the run fails with this message.</summary>
public sealed class RegistryPageException(string query, int page, Exception inner)
    : Exception($"Page {page} of query '{query}' could not be read from the registry: {inner.Message}", inner)
{
    public string Query { get; } = query;
    public int Page { get; } = page;
}
