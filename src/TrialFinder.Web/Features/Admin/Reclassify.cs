using Hangfire;
using Mediator;
using TrialFinder.Infrastructure.Jobs;

namespace TrialFinder.Web.Features.Admin;

/// <summary>Re-classifies every study with the current vocabulary, as a job (it waits for a running sync).</summary>
public static class Reclassify
{
    public sealed record Command(AdminActor By) : IAuditedAction
    {
        public string AuditName => "Reclassify";
    }

    public sealed class Handler(IBackgroundJobClient jobs) : IRequestHandler<Command, AdminActionResult>
    {
        public ValueTask<AdminActionResult> Handle(Command command, CancellationToken cancellationToken) =>
            new(new AdminActionResult(true, $"Re-classification enqueued as job {jobs.Enqueue<ISyncJobs>(j => j.ReclassifyAsync(CancellationToken.None))}."));
    }
}
