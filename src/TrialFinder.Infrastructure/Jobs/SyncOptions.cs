using System.ComponentModel.DataAnnotations;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Infrastructure.Jobs;

public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>
    /// Registry condition queries (query.cond, Essie syntax) that together define the catalogue.
    /// They overlap on purpose; a study found by several is stored once.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultQueries =
    [
        "neuroblastoma OR ganglioneuroblastoma",
        "neuroendocrine tumor OR neuroendocrine neoplasm OR neuroendocrine carcinoma",
        "carcinoid OR carcinoid tumor OR carcinoid syndrome",
        "pancreatic neuroendocrine tumor OR islet cell tumor OR entero-pancreatic endocrine tumor",
        "gastroenteropancreatic neuroendocrine tumor",
        "lung carcinoid OR bronchial carcinoid OR lung neuroendocrine tumor",
        "pheochromocytoma OR paraganglioma",
    ];

    public List<string> Queries { get; set; } = [];

    [CronSchedule]
    public string IncrementalCron { get; set; } = "0 */6 * * *";

    [CronSchedule]
    public string FullCron { get; set; } = "0 2 * * 0";

    /// <summary>
    /// Incremental syncs ask for studies updated since the last successful sync minus this many
    /// days, because the registry posts updates with dates that can trail its refresh.
    /// </summary>
    [Range(0, 60, ErrorMessage = Allowed.WholeNumber)]
    public int IncrementalSafetyMarginDays { get; set; } = 3;

    /// <summary>
    /// How many consecutive complete full reconciliations must miss a study before it is delisted. Two, so
    /// that one glitch of the registry's search index (which a full run cannot tell from a real removal)
    /// never hides a live trial; the cost is that a study that really left shows a week longer.
    /// </summary>
    [Range(1, 10, ErrorMessage = Allowed.WholeNumber)]
    public int MissesBeforeDelisting { get; set; } = 2;

    /// <summary>
    /// A full run delists nothing when any query returned fewer than this share of the studies the registry
    /// said it holds (countTotal), or when it saw fewer than this share of the studies listed: a truncated
    /// walk is not evidence that studies left.
    /// </summary>
    [Range(0.5, 1.0, ErrorMessage = Allowed.Number)]
    public double MinimumSeenShare { get; set; } = 0.95;

    /// <summary>How often one query is restarted from its first page when the registry rejects its page token.</summary>
    [Range(0, 10, ErrorMessage = Allowed.WholeNumber)]
    public int MaxPageTokenRestarts { get; set; } = 3;

    /// <summary>
    /// Waits before each retry of a sync job that found another sync running or whose run failed (the run
    /// resumes from its checkpoint); after the last one the job waits for its next schedule.
    /// </summary>
    public List<int> RetryDelaysSeconds { get; set; } = [];

    public static readonly IReadOnlyList<int> DefaultRetryDelaysSeconds = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600];

    /// <summary>Studies written per transaction when importing a snapshot or refreshing by id.</summary>
    [Range(1, 1000, ErrorMessage = Allowed.WholeNumber)]
    public int BatchSize { get; set; } = 100;
}
