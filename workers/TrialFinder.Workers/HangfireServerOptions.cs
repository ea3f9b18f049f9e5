using System.ComponentModel.DataAnnotations;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Workers;

/// <summary>The worker's Hangfire server.</summary>
public sealed class HangfireServerOptions
{
    public const string Section = "Hangfire";

    /// <summary>How often the server moves scheduled jobs that are due (the sync jobs' retries among them) to the queue.</summary>
    [Range(1, 3600, ErrorMessage = Allowed.WholeNumber)]
    public int SchedulePollingIntervalSeconds { get; set; } = 15;
}
