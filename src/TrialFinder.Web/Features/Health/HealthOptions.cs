using System.ComponentModel.DataAnnotations;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Web.Features.Health;

public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>/readyz fails when the last successful registry sync is older than this; 0 turns the check off.</summary>
    [Range(0.0, 8760.0, ErrorMessage = Allowed.Number)]
    public double MaxSyncAgeHours { get; set; } = 72;
}
