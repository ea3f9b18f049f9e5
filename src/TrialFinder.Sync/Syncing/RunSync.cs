using System.Net;
using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Mapping;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Infrastructure.Registry;
using TrialFinder.Infrastructure.Telemetry;

namespace TrialFinder.Sync.Syncing;

/// <summary>
/// One sync run against the registry: incremental (studies updated since the last good run),
/// full reconciliation (every study of every query; the rest are delisted), or a refresh of
/// given NCT ids. Reads top to bottom: fetch page → map → classify → upsert → checkpoint.
/// </summary>
public static class RunSync
{
    public sealed record Command(SyncKind Kind, IReadOnlyList<string> NctIds) : IRequest<SyncRunSummary>
    {
        public static Command Incremental() => new(SyncKind.Incremental, []);
        public static Command Full() => new(SyncKind.Full, []);
        public static Command Refresh(IReadOnlyList<string> nctIds) => new(SyncKind.Refresh, nctIds);
    }

    public sealed class Handler(
        TrialFinderDbContext db,
        IClinicalTrialsApi registry,
        CatalogPageWriter writer,
        IOptions<RegistryOptions> registryOptions,
        IOptions<SyncOptions> syncOptions,
        TimeProvider clock,
        SyncMetrics metrics,
        ILogger<Handler> logger) : IRequestHandler<Command, SyncRunSummary>
    {
        public async ValueTask<SyncRunSummary> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.Kind is not (SyncKind.Incremental or SyncKind.Full or SyncKind.Refresh))
            {
                throw new ArgumentException($"Unknown sync kind '{command.Kind.Stored()}'.", nameof(command));
            }

            var invalidId = command.NctIds.FirstOrDefault(id => !NctId.IsWellFormed(id));
            if (invalidId is not null)
            {
                throw new ArgumentException($"'{invalidId}' is not an NCT id ({NctId.Format}).", nameof(command));
            }

            await using var syncLock = await SyncLock.TryAcquireAsync(db.Database.GetConnectionString()!, cancellationToken)
                ?? throw new SyncAlreadyRunningException();

            await writer.AddMissingSyncStatesAsync(cancellationToken);
            var run = await StartOrResumeAsync(command, cancellationToken);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                if (run.Kind == SyncKind.Refresh)
                {
                    await RefreshAsync(syncLock, run, cancellationToken);
                }
                else
                {
                    await FetchAllQueriesAsync(syncLock, run, cancellationToken);
                }

                if (run.Outcome == SyncOutcome.Running)
                {
                    await FinishAsync(syncLock, run, cancellationToken);
                }
            }
            catch (SyncLockLostException exception)
            {
                // Whoever holds the lock now owns this run; writing anything more here would fight it.
                logger.LogError("Sync run {RunId} stopped without writing: {Reason}", run.Id, exception.Message);
                run.Outcome = SyncOutcome.Failed;
                run.Message = exception.Message;
                metrics.RunEnded(run.Kind.Stored(), run.Outcome.Stored(), 0, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                return SyncRunSummary.From(run);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                run = await EndAsync(run, SyncOutcome.Cancelled, "Cancelled; the next run of this kind resumes after the last saved page.");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Sync run {RunId} failed after {Pages} pages", run.Id, run.Pages);
                run = await RecordFailureAsync(run, exception);
            }

            logger.LogInformation("{Summary}", SyncRunSummary.From(run));
            metrics.RunEnded(run.Kind.Stored(), run.Outcome.Stored(), run.Delisted, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return SyncRunSummary.From(run);
        }

        private async Task<SyncRun> StartOrResumeAsync(Command command, CancellationToken cancellationToken)
        {
            var kind = command.Kind;
            if (kind == SyncKind.Incremental && await db.LastCompleteReconciliationAsync(cancellationToken) is null)
            {
                logger.LogInformation("No full reconciliation has succeeded since the catalogue was created or a snapshot was loaded: running a full one instead of an incremental sync");
                kind = SyncKind.Full;
            }

            if (kind != SyncKind.Refresh)
            {
                var latest = await db.SyncRuns.AsNoTracking()
                    .Where(r => r.Kind == kind)
                    .OrderByDescending(r => r.Id)
                    .FirstOrDefaultAsync(cancellationToken);
                if (latest is { IsResumable: true })
                {
                    return await TakeOverAsync(latest, cancellationToken);
                }
            }

            var now = clock.GetUtcNow();
            var queries = kind == SyncKind.Refresh ? [] : syncOptions.Value.Queries;
            var run = new SyncRun
            {
                Kind = kind,
                StartedAt = now,
                LastProgressAt = now,
                Lease = Guid.NewGuid(),
                UpdatedSince = kind == SyncKind.Incremental ? await IncrementalStartDateAsync(cancellationToken) : null,
                Queries = [.. queries],
                QueryTotals = [.. queries.Select(_ => -1)],
                QueryReceived = [.. queries.Select(_ => 0)],
                NctIds = [.. command.NctIds.Distinct()],
            };
            db.SyncRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return run;
        }

        /// <summary>
        /// Continues an unfinished run under a new lease. The run is read again after the lease changed, so
        /// it includes the last page of a worker that lost the lock while writing it, and that worker's
        /// next write fails.
        /// </summary>
        private async Task<SyncRun> TakeOverAsync(SyncRun unfinished, CancellationToken cancellationToken)
        {
            logger.LogInformation("Resuming {Kind} sync run {RunId} after page {Pages} (it was {Outcome})",
                unfinished.Kind.Stored(), unfinished.Id, unfinished.Pages, unfinished.Outcome.Stored());
            var lease = Guid.NewGuid();
            var taken = await db.SyncRuns
                .Where(r => r.Id == unfinished.Id && r.Lease == unfinished.Lease)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(r => r.Lease, lease)
                    .SetProperty(r => r.Outcome, SyncOutcome.Running)
                    .SetProperty(r => r.CancelRequestedAt, (DateTimeOffset?)null)
                    .SetProperty(r => r.Message, (string?)null)
                    .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null), cancellationToken);
            if (taken == 0)
            {
                throw new SyncAlreadyRunningException();
            }

            var run = await db.SyncRuns.AsNoTracking().FirstAsync(r => r.Id == unfinished.Id, cancellationToken);
            // Runs begun before per-query counts were kept have none.
            while (run.QueryTotals.Count < run.Queries.Count)
            {
                run.QueryTotals.Add(-1);
            }

            while (run.QueryReceived.Count < run.Queries.Count)
            {
                run.QueryReceived.Add(0);
            }

            return run;
        }

        private async Task<DateOnly> IncrementalStartDateAsync(CancellationToken cancellationToken)
        {
            var lastGoodStart = await db.SyncRuns
                .Where(r => (r.Kind == SyncKind.Incremental || r.Kind == SyncKind.Full) && r.Outcome == SyncOutcome.Succeeded)
                .MaxAsync(r => (DateTimeOffset?)r.StartedAt, cancellationToken)
                ?? throw new InvalidOperationException("An incremental sync needs an earlier successful full reconciliation.");
            return DateOnly.FromDateTime(lastGoodStart.UtcDateTime).AddDays(-syncOptions.Value.IncrementalSafetyMarginDays);
        }

        /// <summary>
        /// Walks every query page by page. Three things overlap so that neither the registry, the worker's cores nor
        /// the database wait for the others: the next page is downloaded while this one is handled, and a page is
        /// mapped and classified while the previous one is committed (when the registry is the slower side, each page
        /// is committed as soon as it is mapped instead). Every change to the run (counts, checkpoint) is made when
        /// its page commits, so a run stopped anywhere resumes after the last committed page; a page already read is
        /// committed before the walk stops for any reason of its own.
        /// </summary>
        private async Task FetchAllQueriesAsync(SyncLock syncLock, SyncRun run, CancellationToken cancellationToken)
        {
            using var prefetchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var cursor = new PageCursor(run.QueryIndex, run.PageToken);
            Task<StudiesPage>? prefetched = null;
            PendingPage? pending = null;
            var tokenRestarts = 0;
            try
            {
                while (cursor.QueryIndex < run.Queries.Count)
                {
                    if (await StopRequestedAsync(run, cancellationToken))
                    {
                        await CommitAsync(syncLock, run, pending, cancellationToken);
                        pending = null;
                        await EndStoppedAsync(run);
                        return;
                    }

                    if (prefetched is { IsCompleted: false })
                    {
                        // The registry is slower than the writing: write the page now rather than hold it while waiting.
                        await CommitAsync(syncLock, run, pending, cancellationToken);
                        pending = null;
                    }

                    var query = run.Queries[cursor.QueryIndex];
                    var isFirstPage = cursor.PageToken is null;
                    StudiesPage page;
                    try
                    {
                        page = await (prefetched ?? FetchAsync(run, cursor, cancellationToken));
                    }
                    catch (ApiException exception) when (exception.StatusCode == HttpStatusCode.BadRequest && !isFirstPage
                                                         && tokenRestarts < syncOptions.Value.MaxPageTokenRestarts)
                    {
                        // Page tokens expire. The query starts again from its first page; studies already written
                        // by this run are recognised by its sightings and not counted twice.
                        prefetched = null;
                        await CommitAsync(syncLock, run, pending, cancellationToken);
                        pending = null;
                        tokenRestarts++;
                        logger.LogWarning("Sync run {RunId}: the registry rejected the page token of query '{Query}' ({Message}); restarting that query from its first page",
                            run.Id, query, exception.Content ?? exception.Message);
                        cursor = cursor with { PageToken = null };
                        run.PageToken = null;
                        run.QueryReceived[cursor.QueryIndex] = 0;
                        await writer.SaveCheckpointAsync(syncLock, run, cancellationToken);
                        continue;
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        prefetched = null;
                        await CommitAsync(syncLock, run, pending, cancellationToken);
                        pending = null;
                        throw new RegistryPageException(query, run.Pages + 1, exception);
                    }

                    var queryIndex = cursor.QueryIndex;
                    var next = cursor.After(page.NextPageToken);
                    prefetched = next.QueryIndex < run.Queries.Count ? FetchAsync(run, next, prefetchCancellation.Token) : null;

                    var sorted = await writer.SortOutAsync(run, page.Studies ?? [], cancellationToken);
                    var mapping = Task.Run(() => writer.Map(sorted, new PageOrigin(StudySource.Registry, query)), cancellationToken);
                    try
                    {
                        await CommitAsync(syncLock, run, pending, cancellationToken);
                    }
                    catch
                    {
                        await mapping.ContinueWith(_ => { }, TaskScheduler.Default);
                        throw;
                    }

                    var (received, total) = (page.Studies?.Count ?? 0, page.TotalCount ?? -1);
                    pending = new PendingPage(await mapping, r =>
                    {
                        if (isFirstPage)
                        {
                            r.QueryTotals[queryIndex] = total;
                            r.ExpectedStudies = r.QueryTotals.Any(t => t >= 0) ? r.QueryTotals.Where(t => t >= 0).Sum() : null;
                        }

                        r.QueryReceived[queryIndex] += received;
                        r.QueryIndex = next.QueryIndex;
                        r.PageToken = next.PageToken;
                    });

                    if (next.QueryIndex != queryIndex)
                    {
                        tokenRestarts = 0;
                    }

                    cursor = next;
                }

                await CommitAsync(syncLock, run, pending, cancellationToken);
            }
            finally
            {
                await prefetchCancellation.CancelAsync();
                if (prefetched is not null)
                {
                    // Asked for ahead and no longer wanted; whatever it ended with does not matter.
                    await prefetched.ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }

        private async Task CommitAsync(SyncLock syncLock, SyncRun run, PendingPage? pending, CancellationToken cancellationToken)
        {
            if (pending is null)
            {
                return;
            }

            await writer.CommitAsync(syncLock, run, pending.Page, pending.AdvanceCheckpoint, cancellationToken);
            logger.LogInformation(
                "{Kind} sync run {RunId}: page {Page} of query {QueryNumber}/{QueryCount} written — {Seen} of ~{Expected} studies seen, {Inserted} new, {Updated} updated, {Unchanged} unchanged, {Failed} unreadable",
                run.Kind.Stored(), run.Id, run.Pages, Math.Min(run.QueryIndex + 1, run.Queries.Count), run.Queries.Count,
                run.Seen, run.ExpectedStudies, run.Inserted, run.Updated, run.Unchanged, run.Failed);
        }

        private Task<StudiesPage> FetchAsync(SyncRun run, PageCursor cursor, CancellationToken cancellationToken)
        {
            var advancedFilter = run.UpdatedSince is { } since
                ? $"AREA[LastUpdatePostDate]RANGE[{since:yyyy-MM-dd},MAX]"
                : null;
            return registry.SearchStudiesAsync(
                run.Queries[cursor.QueryIndex], null, advancedFilter, null, registryOptions.Value.PageSize, cursor.PageToken,
                cursor.PageToken is null ? "true" : null, cancellationToken);
        }

        /// <summary>Where the walk is: a query and the page token within it (null for its first page).</summary>
        private sealed record PageCursor(int QueryIndex, string? PageToken)
        {
            public PageCursor After(string? nextPageToken) =>
                string.IsNullOrEmpty(nextPageToken) ? new PageCursor(QueryIndex + 1, null) : this with { PageToken = nextPageToken };
        }

        /// <summary>A page read and mapped but not yet committed, with the checkpoint its commit records.</summary>
        private sealed record PendingPage(MappedPage Page, Action<SyncRun> AdvanceCheckpoint);

        private async Task RefreshAsync(SyncLock syncLock, SyncRun run, CancellationToken cancellationToken)
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

                await writer.WriteAsync(syncLock, run, records, new PageOrigin(StudySource.Registry, null),
                    r => r.QueryIndex += batch.Length, cancellationToken);
            }
        }

        private async Task<bool> StopRequestedAsync(SyncRun run, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await db.SyncRuns.Where(r => r.Id == run.Id).Select(r => r.CancelRequestedAt).FirstAsync(cancellationToken) is not null;
        }

        private async Task EndStoppedAsync(SyncRun run)
        {
            var ended = await EndAsync(run, SyncOutcome.Cancelled, "Cancelled by an administrator; the next run of this kind resumes after the last saved page.");
            run.Outcome = ended.Outcome;
        }

        private async Task FinishAsync(SyncLock syncLock, SyncRun run, CancellationToken cancellationToken)
        {
            if (run.Kind == SyncKind.Full)
            {
                await DelistMissedAsync(syncLock, run, cancellationToken);
            }

            var ended = await EndAsync(run, SyncOutcome.Succeeded, run.Failed > 0 ? $"{run.Failed} records could not be read; see the errors." : null);
            run.Outcome = ended.Outcome;
            run.Message = ended.Message;
            run.FinishedAt = ended.FinishedAt;
        }

        /// <summary>
        /// The only place studies are delisted: after a full run walked every query to its end, listed studies
        /// it did not see count one more miss, and those missed <c>Sync:MissesBeforeDelisting</c> times in a
        /// row are kept (users bookmark them) but marked as no longer listed. A walk that looks truncated
        /// delists nothing and says why on the run.
        /// </summary>
        private async Task DelistMissedAsync(SyncLock syncLock, SyncRun run, CancellationToken cancellationToken)
        {
            var options = syncOptions.Value;
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await syncLock.EnsureHeldAsync(db.Database.GetDbConnection(), cancellationToken);
            // The run's sightings were written since the table's statistics were last gathered, which may have seen only
            // the previous run's: the planner then takes this run's for a handful and scans them again for every listed
            // study (at 100,000 studies the count ran past its 30 s timeout and failed the run). Hash joins read each
            // side once, whatever the estimate.
            await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_nestloop TO off", cancellationToken);

            var missed = db.Studies.Where(s => s.IsListed && !db.SyncRunSightings.Any(x => x.SyncRunId == run.Id && x.NctId == s.NctId));
            var missedCount = await missed.CountAsync(cancellationToken);
            var listed = await db.Studies.CountAsync(s => s.IsListed, cancellationToken);
            run.Delisted = 0;
            run.DelistingsWithheld = 0;
            run.DelistingSkippedReason = null;
            if (missedCount > 0 && TruncatedWalk(run, listed - missedCount, listed, options.MinimumSeenShare) is { } reason)
            {
                logger.LogWarning("Full sync run {RunId}: {Reason}", run.Id, reason);
                run.DelistingsWithheld = missedCount;
                run.DelistingSkippedReason = reason;
            }
            else if (missedCount > 0)
            {
                var delist = await missed
                    .Where(s => s.SyncState!.FullRunMisses + 1 >= options.MissesBeforeDelisting)
                    .Select(s => s.NctId)
                    .ToListAsync(cancellationToken);
                await db.StudySyncStates
                    .Where(state => missed.Select(s => s.NctId).Contains(state.NctId))
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.FullRunMisses, s => s.FullRunMisses + 1), cancellationToken);
                db.StudyChanges.AddRange(delist.Select(id => new StudyChange
                {
                    NctId = id,
                    SyncRunId = run.Id,
                    DetectedAt = now,
                    Kind = StudyChangeKinds.Listing,
                    Summary = StudyChangeDetector.Delisted,
                }));
                await db.Studies
                    .Where(s => delist.Contains(s.NctId))
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.IsListed, false).SetProperty(s => s.DelistedAt, now), cancellationToken);
                run.Delisted = delist.Count;
                run.DelistingsWithheld = missedCount - delist.Count;
            }

            await writer.SaveFencedAsync(run, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        /// <summary>Why this walk cannot be trusted to show which studies left the registry, or null when it can.</summary>
        private static string? TruncatedWalk(SyncRun run, int listedSeen, int listed, double minimumShare)
        {
            for (var i = 0; i < run.Queries.Count && i < run.QueryTotals.Count; i++)
            {
                var (total, received) = (run.QueryTotals[i], run.QueryReceived[i]);
                if (total > 0 && received < minimumShare * total)
                {
                    return $"Delisting skipped: query '{run.Queries[i]}' returned {received} of the {total} studies the registry counted "
                           + $"({Percent(received, total)}, below {Percent(minimumShare)}).";
                }
            }

            return listed > 0 && listedSeen < minimumShare * listed
                ? $"Delisting skipped: the run saw {listedSeen} of the {listed} listed studies ({Percent(listedSeen, listed)}, below {Percent(minimumShare)})."
                : null;
        }

        private static string Percent(int part, int whole) => Percent((double)part / whole);

        private static string Percent(double share) =>
            (share * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";

        private async Task<SyncRun> RecordFailureAsync(SyncRun run, Exception exception)
        {
            var pageException = exception as RegistryPageException;
            var message = pageException?.Message ?? $"Sync failed: {exception.Message}";
            return await EndAsync(run, SyncOutcome.Failed, message, new SyncError
            {
                SyncRunId = run.Id,
                OccurredAt = clock.GetUtcNow(),
                Page = pageException?.Page,
                Query = pageException?.Query,
                Message = message,
            });
        }

        /// <summary>
        /// Records how the run ended on the stored run (counters from the last committed checkpoint, since a page
        /// interrupted mid-way was rolled back), only while this worker still holds the run's lease. The caller's
        /// token may already be cancelled, so none is used. A finished run's sightings are no longer needed.
        /// </summary>
        private async Task<SyncRun> EndAsync(SyncRun run, SyncOutcome outcome, string? message, SyncError? error = null)
        {
            db.ChangeTracker.Clear();
            var stored = await db.SyncRuns.AsNoTracking().FirstAsync(r => r.Id == run.Id, CancellationToken.None);
            if (stored.Lease != run.Lease)
            {
                logger.LogWarning("Sync run {RunId} was taken over by another worker; its end is theirs to record", run.Id);
                return run;
            }

            stored.Outcome = outcome;
            stored.Message = message;
            stored.FinishedAt = clock.GetUtcNow();
            stored.CancelRequestedAt = null;
            if (error is not null)
            {
                db.SyncErrors.Add(error);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            db.SyncRuns.Update(stored);
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogWarning("Sync run {RunId} was taken over by another worker; its end is theirs to record", run.Id);
                return run;
            }

            if (!stored.IsResumable)
            {
                await db.SyncRunSightings.Where(x => x.SyncRunId == stored.Id).ExecuteDeleteAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return stored;
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
