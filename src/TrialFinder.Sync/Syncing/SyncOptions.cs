using System.ComponentModel.DataAnnotations;
using TrialFinder.Sync.Settings;

namespace TrialFinder.Sync.Syncing;

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

    /// <summary>Studies written per transaction when importing a snapshot or refreshing by id.</summary>
    [Range(1, 1000, ErrorMessage = Allowed.WholeNumber)]
    public int BatchSize { get; set; } = 100;
}
