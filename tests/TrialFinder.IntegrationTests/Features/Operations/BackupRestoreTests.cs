using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data.Accounts;
using TrialFinder.Data.Bookmarks;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Sync.Syncing;
using TrialFinder.Testing;
using TrialFinder.Workers;
using Xunit.Abstractions;

namespace TrialFinder.IntegrationTests.Features.Operations;

/// <summary>
/// infra/backup.sh then infra/restore.sh into a new, empty database: the catalogue, accounts, bookmarks, saved
/// searches, data-protection keys and Hangfire's jobs come back as they were, row for row.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _source = new();
    private readonly TestDatabase _target = new(TestDatabase.Start.Empty);
    private readonly string _folder = Directory.CreateTempSubdirectory("tf-backup-").FullName;

    public async Task InitializeAsync()
    {
        await _source.InitializeAsync();
        await _target.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_backup_restored_into_an_empty_database_reproduces_the_catalogue_accounts_bookmarks_saved_searches_and_jobs()
    {
        // A catalogue from a sync, a clinician with a note, a list and a saved search, a scheduled job.
        await using (var replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(150, seed: 5)))
        using (var host = SyncHost.Create(_source, replay, pageSize: 50, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries))
        {
            Assert.Equal(SyncOutcome.Succeeded, (await host.SyncAsync(RunSync.Command.Full())).Outcome);
        }

        var scheduledJob = ScheduleDigest(_source);
        await using (var db = _source.CreateContext())
        {
            var now = DateTimeOffset.UtcNow;
            var user = new UserAccount
            {
                UserName = "dr.lefevre@example.org", Email = "dr.lefevre@example.org", EmailConfirmed = true, CreatedAt = now,
                PasswordHash = "AQAAAAIAAYagAAAAEexamplehash", HomePlaceLabel = "Lyon", HomeLatitude = 45.75, HomeLongitude = 4.85, DailyDigest = true,
            };
            db.Users.Add(user);
            var list = new BookmarkList { UserId = user.Id, Name = "Relapsed, Lyon area", CreatedAt = now };
            db.BookmarkLists.Add(list);
            await db.SaveChangesAsync();
            db.Bookmarks.AddRange(Enumerable.Range(0, 4).Select(i => new Bookmark
            {
                UserId = user.Id, NctId = ScaleCatalog.NctIdAt(i * 10), ListId = i % 2 == 0 ? list.Id : null, Note = $"Discussed with family {i}",
                CreatedAt = now, SeenAt = now,
            }));
            db.SavedSearches.Add(new SavedSearch
            {
                UserId = user.Id, Name = "Anti-GD2 near Lyon", QueryString = "age=4&near=Lyon&therapy=anti-gd2&refractory=true",
                FeedTokenHash = new string('a', 64), CreatedAt = now, KnownMatches = [ScaleCatalog.NctIdAt(3)],
            });
            await db.SaveChangesAsync();
        }

        var file = Path.Combine(_folder, "trialfinder.dump");
        var backup = await ScriptAsync("backup.sh", file, LibpqUrl(_source.ConnectionString));
        Assert.True(backup.ExitCode == 0, backup.ToString());
        output.WriteLine(backup.StandardOutput.Trim());

        var restore = await ScriptAsync("restore.sh", file, LibpqUrl(_target.ConnectionString));
        Assert.True(restore.ExitCode == 0, restore.ToString());

        // Row for row, every table of every schema (public and hangfire).
        var before = await RowCountsAsync(_source.ConnectionString);
        var after = await RowCountsAsync(_target.ConnectionString);
        Assert.Equal(before, after);
        Assert.Contains("hangfire.job", before.Keys);
        Assert.True(before["public.studies"] == 150 && before["public.bookmarks"] == 4 && before["public.saved_searches"] == 1, string.Join(", ", before));

        // Every index too, the expression indexes (site location, lower-cased country) included.
        const string Indexes = "SELECT string_agg(schemaname || '.' || indexname, ',' ORDER BY schemaname, indexname) FROM pg_indexes WHERE schemaname IN ('public', 'hangfire')";
        var indexes = await ScalarAsync<string>(_source.ConnectionString, Indexes);
        Assert.Contains("public.ix_sites_location", indexes, StringComparison.Ordinal);
        Assert.Equal(indexes, await ScalarAsync<string>(_target.ConnectionString, Indexes));

        StoredCatalogue.AssertSame(await StoredCatalogue.ReadAsync(_source.ConnectionString), await StoredCatalogue.ReadAsync(_target.ConnectionString));
        await using (var restored = _target.CreateContext())
        {
            var user = await restored.Users.SingleAsync();
            Assert.Equal(("dr.lefevre@example.org", "AQAAAAIAAYagAAAAEexamplehash", "Lyon", true), (user.Email, user.PasswordHash, user.HomePlaceLabel, user.DailyDigest));
            var notes = await restored.Bookmarks.Where(b => b.UserId == user.Id).OrderBy(b => b.NctId).Select(b => new { b.NctId, b.Note, b.ListId }).ToListAsync();
            Assert.Equal(["Discussed with family 0", "Discussed with family 1", "Discussed with family 2", "Discussed with family 3"], notes.Select(n => n.Note));
            Assert.Equal(2, notes.Count(n => n.ListId != null));
            var search = await restored.SavedSearches.SingleAsync();
            Assert.Equal(("age=4&near=Lyon&therapy=anti-gd2&refractory=true", ScaleCatalog.NctIdAt(3)), (search.QueryString, search.KnownMatches.Single()));
            Assert.Equal(await CountAsync(_source.ConnectionString, "SELECT count(*) FROM places"), await restored.Places.CountAsync());
        }

        Assert.Equal("Scheduled", await ScalarAsync<string>(_target.ConnectionString, $"SELECT statename FROM hangfire.job WHERE id = {scheduledJob}"));

        // A database that is not empty is never restored into.
        var again = await ScriptAsync("restore.sh", file, LibpqUrl(_target.ConnectionString));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("restore only into an empty database", again.StandardError, StringComparison.Ordinal);
    }

    private static long ScheduleDigest(TestDatabase database)
    {
        using var client = WorkerHost.CreateBuilder([$"--ConnectionStrings:TrialFinder={database.ConnectionString}"], withJobServer: false).Build();
        var id = client.Services.GetRequiredService<IBackgroundJobClient>()
            .Schedule<TrialFinder.Sync.Notifications.DailyDigestJob>(job => job.SendAsync(CancellationToken.None), TimeSpan.FromDays(1));
        return long.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<ProgramRun> ScriptAsync(string script, string file, string url) =>
        ProgramRun.CommandAsync(TestPaths.RepositoryRoot, "bash", [Path.Combine(TestPaths.RepositoryRoot, "infra", script), file, url], TimeSpan.FromMinutes(3));

    /// <summary>The libpq address (what pg_dump and an operator use) of an Npgsql connection string.</summary>
    private static string LibpqUrl(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{Uri.EscapeDataString(c.Username!)}:{Uri.EscapeDataString(c.Password!)}@{c.Host}:{c.Port}/{Uri.EscapeDataString(c.Database!)}";
    }

    private static async Task<SortedDictionary<string, long>> RowCountsAsync(string connectionString)
    {
        var tables = new List<string>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            counts[table] = await CountAsync(connectionString, $"SELECT count(*) FROM {table}");
        }

        return counts;
    }

    private static Task<long> CountAsync(string connectionString, string sql) => ScalarAsync<long>(connectionString, sql);

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
