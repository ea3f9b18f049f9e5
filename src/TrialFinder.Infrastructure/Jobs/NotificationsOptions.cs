using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Infrastructure.Jobs;

public sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    /// <summary>When the daily digest is sent (UTC).</summary>
    [CronSchedule]
    public string DigestCron { get; set; } = "0 7 * * *";
}
