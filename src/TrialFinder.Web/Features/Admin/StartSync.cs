using Hangfire;
using Mediator;
using TrialFinder.Core.Studies;
using TrialFinder.Infrastructure.Jobs;

namespace TrialFinder.Web.Features.Admin;

/// <summary>Starts an incremental sync now, unless a sync is already running or queued.</summary>
public static class StartIncrementalSync
{
    public sealed record Command(AdminActor By) : IAuditedAction
    {
        public string AuditName => "Incremental";
    }

    public sealed class Handler(IBackgroundJobClient jobs, SyncActivity activity) : IRequestHandler<Command, AdminActionResult>
    {
        public async ValueTask<AdminActionResult> Handle(Command command, CancellationToken cancellationToken) =>
            await SyncStart.UnlessBusyAsync(activity, "Incremental", () => jobs.Enqueue<ISyncJobs>(j => j.RunIncrementalAsync(CancellationToken.None)), cancellationToken);
    }
}

/// <summary>Starts a full reconciliation now, unless a sync is already running or queued.</summary>
public static class StartFullSync
{
    public sealed record Command(AdminActor By) : IAuditedAction
    {
        public string AuditName => "Full";
    }

    public sealed class Handler(IBackgroundJobClient jobs, SyncActivity activity) : IRequestHandler<Command, AdminActionResult>
    {
        public async ValueTask<AdminActionResult> Handle(Command command, CancellationToken cancellationToken) =>
            await SyncStart.UnlessBusyAsync(activity, "Full", () => jobs.Enqueue<ISyncJobs>(j => j.RunFullAsync(CancellationToken.None)), cancellationToken);
    }
}

/// <summary>Re-reads given studies from the registry now (at most 500 NCT ids), unless a sync is already running or queued.</summary>
public static class RefreshStudies
{
    public const int MaxStudies = 500;

    public sealed record Command(AdminActor By, string? NctIds) : IAuditedAction
    {
        public string AuditName => "Refresh";

        public string? AuditDetails => NctIds;
    }

    public sealed class Handler(IBackgroundJobClient jobs, SyncActivity activity) : IRequestHandler<Command, AdminActionResult>
    {
        public async ValueTask<AdminActionResult> Handle(Command command, CancellationToken cancellationToken)
        {
            var ids = (command.NctIds ?? "").Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .Select(id => id.Trim().ToUpperInvariant()).Distinct().ToArray();
            var malformed = ids.Where(id => !NctId.IsWellFormed(id)).ToList();
            if (ids.Length == 0 || malformed.Count > 0 || ids.Length > MaxStudies)
            {
                return new AdminActionResult(false, ids.Length == 0
                    ? "Give at least one NCT id."
                    : ids.Length > MaxStudies ? $"Give at most {MaxStudies} NCT ids at a time."
                    : $"Not NCT ids ({NctId.Format}): {string.Join(", ", malformed.Take(5).Select(m => m.Length > 20 ? m[..20] + "…" : m))}.");
            }

            return await SyncStart.UnlessBusyAsync(activity, "Refresh", () => jobs.Enqueue<ISyncJobs>(j => j.RefreshAsync(ids, CancellationToken.None)), cancellationToken);
        }
    }
}

/// <summary>The rule the three ways of starting a sync share: one sync at a time, so a busy one refuses another.</summary>
internal static class SyncStart
{
    public static async Task<AdminActionResult> UnlessBusyAsync(SyncActivity activity, string kind, Func<string> enqueue, CancellationToken cancellationToken)
    {
        if (await activity.IsBusyAsync(cancellationToken))
        {
            return new AdminActionResult(false, "A sync is already running or queued; it was not started again.");
        }

        return new AdminActionResult(true, $"{kind} sync enqueued as job {enqueue()}.");
    }
}
