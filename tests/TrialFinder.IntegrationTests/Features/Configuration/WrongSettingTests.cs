using TrialFinder.Testing;
using System.Reflection;
using Microsoft.Extensions.Options;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Configuration;

/// <summary>
/// A wrong setting stops each host before it does any work, with one line naming the key, the value and
/// what is allowed, and exit code 2 — for a key of every options class each host reads.
/// </summary>
public sealed class WrongSettingTests
{
    /// <summary>Options classes (by their configuration section), a wrong value for one of their keys and the line that must say so.</summary>
    private static readonly (string Section, string Argument, string Line)[] WrongValues =
    [
        ("Registry", "--Registry:RequestsPerMinute=100000", "Registry:RequestsPerMinute=100000 is not allowed: use a whole number from 1 to 6000."),
        ("Sync", "--Sync:IncrementalCron=every day", "Sync:IncrementalCron=\"every day\" is not allowed: use a cron schedule of 5 fields, e.g. \"0 7 * * *\"."),
        ("Email", "--Email:SmtpPort=0", "Email:SmtpPort=0 is not allowed: use a whole number from 1 to 65535."),
        ("Site", "--Site:BaseUrl=localhost:5080", "Site:BaseUrl=localhost:5080 is not allowed: use an absolute http:// or https:// address."),
        ("Notifications", "--Notifications:DigestCron=0 25 * * *", "Notifications:DigestCron=\"0 25 * * *\" is not allowed: use a cron schedule of 5 fields, e.g. \"0 7 * * *\"."),
        ("Health", "--Health:MaxSyncAgeHours=-1", "Health:MaxSyncAgeHours=-1 is not allowed: use a number from 0 to 8760."),
        ("Search", "--Search:ResultCacheEntries=-5", "Search:ResultCacheEntries=-5 is not allowed: use a whole number from 0 to 100000."),
        ("Catalog", "--Catalog:ListenForChanges=sometimes", "Catalog:ListenForChanges=sometimes is not allowed: use true or false."),
        ("Accounts", "--Accounts:AttemptsPerMinute=ten", "Accounts:AttemptsPerMinute=ten is not allowed: use a whole number from 1 to 1000000."),
        ("RateLimits", "--RateLimits:ApiPerMinute=0", "RateLimits:ApiPerMinute=0 is not allowed: use a whole number from 1 to 1000000."),
        ("Hangfire", "--Hangfire:SchedulePollingIntervalSeconds=0", "Hangfire:SchedulePollingIntervalSeconds=0 is not allowed: use a whole number from 1 to 3600."),
        ("Worker", "--Worker:HealthUrl=http://0.0.0.0:8081/health",
            "Worker:HealthUrl=http://0.0.0.0:8081/health is not allowed: use an http address with a port and no path, e.g. http://0.0.0.0:8081, or nothing."),
    ];

    private static readonly string[] WorkerSections = ["Registry", "Sync", "Email", "Site", "Notifications", "Hangfire", "Worker"];

    /// <summary>Sections only the worker reads (its Hangfire server and its health probes).</summary>
    private static readonly string[] WorkerOnlySections = ["Hangfire", "Worker"];

    /// <summary>Nothing listens there: a host that wrongly went on would fail to connect rather than touch a real database or registry.</summary>
    private static readonly string[] Unreachable =
    [
        "--ConnectionStrings:TrialFinder=Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2",
    ];

    public static TheoryData<string> WorkerCases => [.. WrongValues.Where(w => WorkerSections.Contains(w.Section)).Select(w => w.Section)];

    public static TheoryData<string> SiteCases => [.. WrongValues.Select(w => w.Section).Except(WorkerOnlySections)];

    [Fact]
    public void Every_options_class_of_the_product_has_a_wrong_value_here()
    {
        var sections = new[] { typeof(TrialFinder.Infrastructure.Jobs.SyncOptions), typeof(TrialFinder.Sync.SyncServiceCollectionExtensions), typeof(TrialFinder.Web.WebApp), typeof(TrialFinder.Workers.WorkerHost), typeof(TrialFinder.Data.TrialFinderDbContext) }
            .Select(t => t.Assembly)
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal))
            .Select(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string)
            .OfType<string>()
            .ToList();

        Assert.Equal(sections.Order(), WrongValues.Select(w => w.Section).Order());
    }

    [Theory]
    [MemberData(nameof(WorkerCases))]
    public async Task The_worker_refuses_a_wrong_setting_with_one_line_and_exit_code_2(string section)
    {
        var (_, argument, line) = WrongValues.Single(w => w.Section == section);

        var result = await ProgramRun.DotnetAsync(ProgramRun.WorkerOutputFolder,
            [Path.Combine(ProgramRun.WorkerOutputFolder, "TrialFinder.Workers.dll"), "sync", .. Unreachable, argument]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(line, result.StandardError.TrimEnd('\r', '\n'));
        Assert.Empty(result.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(SiteCases))]
    public async Task The_site_refuses_to_start_with_a_wrong_setting_with_one_line_and_exit_code_2(string section)
    {
        var (_, argument, line) = WrongValues.Single(w => w.Section == section);

        var result = await ProgramRun.DotnetAsync(ProgramRun.SiteOutputFolder,
            [Path.Combine(ProgramRun.SiteOutputFolder, "TrialFinder.Web.dll"), "--urls", "http://127.0.0.1:0", .. Unreachable, argument],
            TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(line, result.StandardError.TrimEnd('\r', '\n'));
    }

    [Fact]
    public async Task A_site_host_started_in_process_still_checks_its_settings_on_start()
    {
        await using var site = TrialFinder.Web.WebApp.Build([.. Unreachable, "--urls", "http://127.0.0.1:0", "--Health:MaxSyncAgeHours=100000"]);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => site.StartAsync());

        Assert.Equal("Health:MaxSyncAgeHours=100000 is not allowed: use a number from 0 to 8760.", failure.Message);
    }
}
