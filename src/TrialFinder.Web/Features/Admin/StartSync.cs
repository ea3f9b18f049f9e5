using System.Diagnostics.CodeAnalysis;
using Hangfire;
using Mediator;
using TrialFinder.Core.Studies;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Web.Pipeline;

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

    public sealed record Command(AdminActor By, string? NctIds) : IAuditedAction, IValidatedRequest<AdminActionResult>
    {
        public string AuditName => "Refresh";

        public string? AuditDetails => NctIds;

        /// <summary>The NCT ids given, upper-cased, each once.</summary>
        public string[] Ids => (NctIds ?? "").Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(id => id.Trim().ToUpperInvariant()).Distinct().ToArray();

        public bool TryRefuse([MaybeNullWhen(false)] out AdminActionResult refusal)
        {
            var ids = Ids;
            var malformed = ids.Where(id => !NctId.IsWellFormed(id)).ToList();
            refusal = ids.Length == 0 ? new AdminActionResult(false, "Give at least one NCT id.")
                : ids.Length > MaxStudies ? new AdminActionResult(false, $"Give at most {MaxStudies} NCT ids at a time.")
                : malformed.Count > 0 ? new AdminActionResult(false, $"Not NCT ids ({NctId.Format}): {string.Join(", ", malformed.Take(5).Select(m => m.Length > 20 ? m[..20] + "…" : m))}.")
                : null;
            return refusal is not null;
        }
    }

    public sealed class Handler(IBackgroundJobClient jobs, SyncActivity activity) : IRequestHandler<Command, AdminActionResult>
    {
        public async ValueTask<AdminActionResult> Handle(Command command, CancellationToken cancellationToken)
        {
            var ids = command.Ids;
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
