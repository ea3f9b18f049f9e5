using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Features.Workers;

/// <summary>The worker's verbs as an operator runs them: a real process, its exit code and what it prints.</summary>
public sealed class WorkerCommandLineTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private RegistryReplay _replay = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(RegistryRecords.Corpus());
    }

    public async Task DisposeAsync()
    {
        await _replay.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Sync_full_prints_progress_on_stderr_and_a_summary_on_stdout()
    {
        var result = await RunWorkerAsync("sync", "--full");

        Assert.True(result.ExitCode == 0, result.ToString());
        var corpus = RegistryRecords.Corpus().Count;
        Assert.Matches($@"full sync #\d+ succeeded: \d+ pages, {corpus} studies seen, {corpus} new", result.StandardOutput);
        Assert.Contains("page 1 of query 1/", result.StandardError);
        await using var db = _database.CreateContext();
        Assert.Equal(corpus, await db.Studies.CountAsync());
    }

    [Fact]
    public async Task Import_snapshot_loads_the_shipped_corpus_once_and_if_empty_skips_a_filled_catalogue()
    {
        var first = await RunWorkerAsync("import-snapshot", "--if-empty");
        var second = await RunWorkerAsync("import-snapshot", "--if-empty");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"{RegistryRecords.Corpus().Count} new", first.StandardOutput);
        Assert.Contains("nothing imported", second.StandardOutput);
        await using var db = _database.CreateContext();
        Assert.Equal(RegistryRecords.Corpus().Count, await db.Studies.CountAsync(s => s.Source == "snapshot"));
        Assert.Equal(new DateOnly(2026, 11, 25), (await db.SyncRuns.SingleAsync()).SnapshotTakenOn);
    }

    [Fact]
    public async Task Bad_arguments_exit_non_zero_with_a_clear_message()
    {
        var badId = await RunWorkerAsync("sync", "--nct", "NCT123");
        var unknownVerb = await RunWorkerAsync("synchronise");
        var missingSnapshot = await RunWorkerAsync("import-snapshot", "/nonexistent/snapshot");

        Assert.NotEqual(0, badId.ExitCode);
        Assert.Contains("'NCT123' is not an NCT id", badId.StandardError);
        Assert.Equal(2, unknownVerb.ExitCode);
        Assert.Contains("Unknown verb 'synchronise'", unknownVerb.StandardError);
        Assert.NotEqual(0, missingSnapshot.ExitCode);
        Assert.Contains("No snapshot at", missingSnapshot.StandardError);
    }

    [Fact]
    public async Task Create_admin_generates_a_password_shown_once_and_promotes_an_existing_account_without_changing_it()
    {
        var created = await RunWorkerAsync("create-admin", "--email", "first.admin@example.org");
        var again = await RunWorkerAsync("create-admin", "--email", "first.admin@example.org");
        var missingEmail = await RunWorkerAsync("create-admin");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Matches("Generated password \\(shown once[^)]*\\): \\S{20,}", created.StandardOutput);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("is now an admin", again.StandardOutput);
        Assert.DoesNotContain("Generated password", again.StandardOutput);
        Assert.Equal(2, missingEmail.ExitCode);
        await using var db = _database.CreateContext();
        var user = await db.Users.SingleAsync(u => u.Email == "first.admin@example.org");
        Assert.True(user.EmailConfirmed);
        var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
        Assert.Equal(["Admin", "Clinician"], roles.Order());
    }

    private async Task<ProcessResult> RunWorkerAsync(params string[] verbAndOptions)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = WorkerOutputFolder,
        };
        start.ArgumentList.Add(Path.Combine(WorkerOutputFolder, "TrialFinder.Workers.dll"));
        foreach (var argument in verbAndOptions)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"--ConnectionStrings:TrialFinder={_database.ConnectionString}");
        start.ArgumentList.Add($"--Registry:BaseUrl={_replay.BaseUrl}");
        start.ArgumentList.Add("--Registry:RequestsPerMinute=6000");
        start.ArgumentList.Add("--Registry:PageSize=10");
        using var process = Process.Start(start)!;
        process.StandardInput.Close(); // no password on stdin: the verb generates one
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The worker's own build output, in the configuration these tests were built with.</summary>
    private static string WorkerOutputFolder
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return Path.Combine(TestPaths.RepositoryRoot, "workers", "TrialFinder.Workers", "bin", configuration, "net10.0");
        }
    }

    private sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }
}
