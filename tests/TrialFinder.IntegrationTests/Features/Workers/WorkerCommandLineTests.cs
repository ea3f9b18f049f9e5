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
        Assert.Equal(RegistryRecords.Corpus().Count, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM studies WHERE source = 'snapshot'").SingleAsync());
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
    public async Task Import_places_says_clearly_when_the_postal_code_files_are_not_given_or_not_there()
    {
        var gazetteer = Environment.GetEnvironmentVariable("TF_TEST_GAZETTEER")
            ?? throw new InvalidOperationException("TF_TEST_GAZETTEER is not set (infra/test.sh sets it).");

        var noPath = await RunWorkerAsync("import-places", gazetteer, "--postcodes");
        var missing = await RunWorkerAsync("import-places", gazetteer, "--postcodes", "/nonexistent/geonames-postal");

        Assert.Equal(2, noPath.ExitCode);
        Assert.Contains("--postcodes needs a GeoNames postal-code file or folder", noPath.StandardError);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No GeoNames postal-code file or folder at '/nonexistent/geonames-postal'", missing.StandardError);
    }

    [Fact]
    public async Task Import_places_if_changed_as_each_start_runs_it_imports_a_different_gazetteer_once_and_then_only_checks_it()
    {
        var gazetteer = Environment.GetEnvironmentVariable("TF_TEST_GAZETTEER")
            ?? throw new InvalidOperationException("TF_TEST_GAZETTEER is not set (infra/test.sh sets it).");
        var runScript = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "infra", "run.sh"));

        // The template's places came from the gazetteer and the postal-code sample; this start has the gazetteer alone.
        var upgraded = await RunWorkerAsync("import-places", gazetteer, "--if-changed");
        var nextStart = await RunWorkerAsync("import-places", gazetteer, "--if-changed");

        Assert.Contains("import-places \"$TF_GAZETTEER_DIR\" --if-changed", runScript);
        Assert.True(upgraded.ExitCode == 0, upgraded.ToString());
        Assert.Matches(@"Imported [\d,]+ places: .*, 0 other postcodes", upgraded.StandardOutput);
        Assert.True(nextStart.ExitCode == 0, nextStart.ToString());
        Assert.Contains("Places are already loaded; nothing imported.", nextStart.StandardOutput);
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Places.CountAsync(p => p.CountryCode == "DE" && p.Kind == TrialFinder.Core.Places.PlaceKind.PostalCode));
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

    [Fact]
    public async Task Import_places_and_import_snapshot_read_a_relative_path_from_the_callers_folder_under_dotnet_run()
    {
        var caller = Directory.CreateTempSubdirectory("tf-caller-");
        try
        {
            var gazetteer = Environment.GetEnvironmentVariable("TF_TEST_GAZETTEER")
                ?? throw new InvalidOperationException("TF_TEST_GAZETTEER is not set (infra/test.sh sets it).");
            Directory.CreateSymbolicLink(Path.Combine(caller.FullName, "gazetteer"), gazetteer);
            var snapshot = Directory.CreateDirectory(Path.Combine(caller.FullName, "snapshot"));
            var records = Directory.GetFiles(TestPaths.CorpusStudies, "NCT*.json").Order(StringComparer.Ordinal).Take(2).ToList();
            records.ForEach(record => File.Copy(record, Path.Combine(snapshot.FullName, Path.GetFileName(record))));

            // As the README says to run the verbs; dotnet run used to start the worker in its project folder.
            var places = await DotnetRunWorkerAsync(caller.FullName, "import-places", "gazetteer");
            var studies = await DotnetRunWorkerAsync(caller.FullName, "import-snapshot", "snapshot");

            Assert.True(places.ExitCode == 0, places.ToString());
            Assert.Matches(@"Imported [\d,]+ places", places.StandardOutput);
            Assert.True(studies.ExitCode == 0, studies.ToString());
            Assert.Contains("2 new", studies.StandardOutput);
            await using var db = _database.CreateContext();
            Assert.Equal(
                records.Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal),
                (await db.Studies.Select(s => s.NctId).ToListAsync()).Order(StringComparer.Ordinal));
        }
        finally
        {
            caller.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(TestDatabase.Start.Empty)]
    [InlineData(TestDatabase.Start.Missing)]
    public async Task Migrate_on_a_new_database_prints_no_failure_and_applies_every_migration(TestDatabase.Start start)
    {
        var fresh = new TestDatabase(start);
        await fresh.InitializeAsync();
        try
        {
            var result = await RunWorkerOnAsync(fresh.ConnectionString, "migrate");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotContain("fail:", result.StandardOutput + result.StandardError);
            Assert.Contains("Database is up to date.", result.StandardOutput);
            await using var db = fresh.CreateContext();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migrate_still_reports_a_real_failure()
    {
        var fresh = new TestDatabase(TestDatabase.Start.Empty);
        await fresh.InitializeAsync();
        try
        {
            await using (var db = fresh.CreateContext())
            {
                await db.Database.ExecuteSqlRawAsync("CREATE TABLE studies (something_else int)");
            }

            var result = await RunWorkerOnAsync(fresh.ConnectionString, "migrate");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("fail:", result.StandardError);
            Assert.Contains("relation \"studies\" already exists", result.StandardError);
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    private Task<ProgramRun> RunWorkerAsync(params string[] verbAndOptions) => RunWorkerOnAsync(_database.ConnectionString, verbAndOptions);

    private Task<ProgramRun> RunWorkerOnAsync(string connectionString, params string[] verbAndOptions) =>
        ProgramRun.DotnetAsync(ProgramRun.WorkerOutputFolder,
            [Path.Combine(ProgramRun.WorkerOutputFolder, "TrialFinder.Workers.dll"), .. verbAndOptions, .. Settings(connectionString)]);

    private Task<ProgramRun> DotnetRunWorkerAsync(string workingDirectory, params string[] verbAndOptions) =>
        ProgramRun.DotnetAsync(workingDirectory,
            ["run", "--project", ProgramRun.WorkerProject, "--no-build", "-c", ProgramRun.Configuration, "--", .. verbAndOptions, .. Settings(_database.ConnectionString)]);

    private string[] Settings(string connectionString) =>
    [
        $"--ConnectionStrings:TrialFinder={connectionString}",
        $"--Registry:BaseUrl={_replay.BaseUrl}",
        "--Registry:RequestsPerMinute=6000",
        "--Registry:PageSize=10",
    ];
}
