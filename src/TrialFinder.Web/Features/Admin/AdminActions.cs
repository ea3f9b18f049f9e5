using System.Security.Claims;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data;
using TrialFinder.Data.Admin;
using TrialFinder.Core.Studies;
using TrialFinder.Infrastructure.Jobs;

namespace TrialFinder.Web.Features.Admin;

/// <summary>An admin's action on the catalogue: start a sync or a re-classification, or cancel a run; always audited.</summary>
public static class AdminActions
{
    public enum Kind
    {
        Incremental,
        Full,
        Refresh,
        Reclassify,
        Cancel,
    }

    public sealed record Command(Kind Action, ClaimsPrincipal User, string? NctIds = null) : IRequest<Result>;

    public sealed record Result(bool Accepted, string Message);

    public sealed class Handler(TrialFinderDbContext db, IBackgroundJobClient jobs, SyncActivity activity, TimeProvider clock)
        : IRequestHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var details = command.Action == Kind.Refresh ? command.NctIds?.Trim() : null;
            var result = await PerformAsync(command, cancellationToken);
            db.AuditEntries.Add(new AuditEntry
            {
                At = clock.GetUtcNow(),
                UserId = command.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
                UserEmail = command.User.FindFirstValue(ClaimTypes.Email) ?? command.User.Identity?.Name ?? "unknown",
                Action = command.Action.ToString(),
                Details = details is { Length: > 1000 } ? details[..1000] : details,
                Result = result.Message,
            });
            await db.SaveChangesAsync(cancellationToken);
            return result;
        }

        private async Task<Result> PerformAsync(Command command, CancellationToken cancellationToken)
        {
            switch (command.Action)
            {
                case Kind.Cancel:
                    var running = await activity.RunningAsync(cancellationToken);
                    if (running is null)
                    {
                        return new Result(false, "No sync is running.");
                    }

                    await db.SyncRuns.Where(r => r.Id == running.Id)
                        .ExecuteUpdateAsync(set => set.SetProperty(r => r.CancelRequestedAt, clock.GetUtcNow()), cancellationToken);
                    return new Result(true, $"Cancel requested for sync #{running.Id}; it stops after the current page and can be resumed.");

                case Kind.Reclassify:
                    return new Result(true, $"Re-classification enqueued as job {jobs.Enqueue<ISyncJobs>(j => j.ReclassifyAsync(CancellationToken.None))}.");
            }

            string[] ids = [];
            if (command.Action == Kind.Refresh)
            {
                ids = (command.NctIds ?? "").Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
                    .Select(id => id.Trim().ToUpperInvariant()).Distinct().ToArray();
                var malformed = ids.Where(id => !NctId.IsWellFormed(id)).ToList();
                if (ids.Length == 0 || malformed.Count > 0 || ids.Length > 500)
                {
                    return new Result(false, ids.Length == 0
                        ? "Give at least one NCT id."
                        : ids.Length > 500 ? "Give at most 500 NCT ids at a time."
                        : $"Not NCT ids (NCT followed by 8 digits): {string.Join(", ", malformed.Take(5).Select(m => m.Length > 20 ? m[..20] + "…" : m))}.");
                }
            }

            if (await activity.IsBusyAsync(cancellationToken))
            {
                return new Result(false, "A sync is already running or queued; it was not started again.");
            }

            var jobId = command.Action switch
            {
                Kind.Incremental => jobs.Enqueue<ISyncJobs>(j => j.RunIncrementalAsync(CancellationToken.None)),
                Kind.Full => jobs.Enqueue<ISyncJobs>(j => j.RunFullAsync(CancellationToken.None)),
                _ => jobs.Enqueue<ISyncJobs>(j => j.RefreshAsync(ids, CancellationToken.None)),
            };
            return new Result(true, $"{command.Action} sync enqueued as job {jobId}.");
        }
    }
}
