using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;
using TrialFinder.Infrastructure.Jobs;

namespace TrialFinder.Web.Features.Admin;

/// <summary>Asks the running sync to stop after its current page; the run can be resumed.</summary>
public static class CancelSync
{
    public sealed record Command(AdminActor By) : IAuditedAction
    {
        public string AuditName => "Cancel";
    }

    public sealed class Handler(TrialFinderDbContext db, SyncActivity activity, TimeProvider clock) : IRequestHandler<Command, AdminActionResult>
    {
        public async ValueTask<AdminActionResult> Handle(Command command, CancellationToken cancellationToken)
        {
            var running = await activity.RunningAsync(cancellationToken);
            if (running is null)
            {
                return new AdminActionResult(false, "No sync is running.");
            }

            await db.SyncRuns.Where(r => r.Id == running.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.CancelRequestedAt, clock.GetUtcNow()), cancellationToken);
            return new AdminActionResult(true, $"Cancel requested for sync #{running.Id}; it stops after the current page and can be resumed.");
        }
    }
}
