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

    /// <summary>How often an idle worker asks the queue for a job.</summary>
    [Range(1, 3600, ErrorMessage = Allowed.WholeNumber)]
    public int QueuePollIntervalSeconds { get; set; } = 15;

    /// <summary>
    /// How long a job fetched by a worker that stopped (killed, or its machine lost) stays invisible before another
    /// worker takes it over. A live worker keeps its jobs however long they run (the timeout slides).
    /// </summary>
    [Range(5, 86400, ErrorMessage = Allowed.WholeNumber)]
    public int InvisibilityTimeoutSeconds { get; set; } = 300;
}
