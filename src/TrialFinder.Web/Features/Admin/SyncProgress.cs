using TrialFinder.Core.SyncRuns;
using Mediator;
using Microsoft.Extensions.Options;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Infrastructure.Registry;

namespace TrialFinder.Web.Features.Admin;

/// <summary>The live state of a running sync: pages done of the estimated total, studies, rate, time left.</summary>
public static class SyncProgress
{
    public sealed record Query : IRequest<Model>;

    public sealed record Model(
        bool Running, long? RunId, string? Kind, int Pages, int? EstimatedPages, int Studies, int? ExpectedStudies,
        double StudiesPerMinute, double ElapsedSeconds, double? RemainingSeconds, int Percent, bool CancelRequested);

    public sealed class Handler(SyncActivity activity, TimeProvider clock, IOptions<RegistryOptions> registry) : IRequestHandler<Query, Model>
    {
        public async ValueTask<Model> Handle(Query query, CancellationToken cancellationToken) =>
            await ReadAsync(activity, clock, registry.Value, cancellationToken);
    }

    /// <summary>The progress now; shared by this query and the dashboard, which shows it on first load.</summary>
    public static async Task<Model> ReadAsync(SyncActivity activity, TimeProvider clock, RegistryOptions registry, CancellationToken cancellationToken)
    {
        var run = await activity.RunningAsync(cancellationToken);
        if (run is null)
        {
            return new Model(false, null, null, 0, null, 0, null, 0, 0, null, 0, false);
        }

        var elapsed = (clock.GetUtcNow() - run.StartedAt).TotalSeconds;
        var rate = elapsed > 0 ? run.Seen / (elapsed / 60) : 0;
        int? estimatedPages = run.ExpectedStudies is { } expected
            ? Math.Max(run.Pages, (int)Math.Ceiling(expected / (double)registry.PageSize) + run.Queries.Count - 1)
            : null;
        double? remaining = run.ExpectedStudies is { } total && rate > 0 ? Math.Max(0, (total - run.Seen) / rate * 60) : null;
        var percent = run.ExpectedStudies is > 0 ? Math.Min(99, (int)(100.0 * run.Seen / run.ExpectedStudies.Value)) : 0;
        return new Model(true, run.Id, run.Kind.Stored(), run.Pages, estimatedPages, run.Seen, run.ExpectedStudies, Math.Round(rate, 1),
            Math.Round(elapsed), remaining is null ? null : Math.Round(remaining.Value), percent, run.CancelRequestedAt is not null);
    }
}
