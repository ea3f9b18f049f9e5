using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrialFinder.Data;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Places;
using TrialFinder.Data.SyncRuns;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.Infrastructure.Settings;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.Workers;

/// <summary>The worker's command-line verbs (see README.md).</summary>
public static class WorkerCommands
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int AlreadyRunning = 3;

    private const string UsageText = """
        Usage: TrialFinder.Workers <verb> [options]
          serve                          run the Hangfire server with the recurring syncs (default)
          sync [--full] [--nct NCT...]   one sync in the foreground (incremental unless --full or --nct)
          migrate                        apply database migrations (as the owner role); with --Database:AppRole=ROLE
                                         also grant that role the data rights the site and workers need
          import-snapshot [PATH] [--if-empty]
                                         load a snapshot of study records (the shipped one by default)
          reclassify                     re-classify every stored study from its raw JSON
          create-admin --email E         create an admin (password read from stdin, or generated and printed once)
                                         or give an existing account the Admin role
          import-places [FOLDER] [--if-empty | --if-changed] [--postcodes FILE|FOLDER]
                                         load the offline gazetteer (default $TF_GAZETTEER_DIR, else .data/gazetteer)
                                         with GeoNames postal-code files (default FOLDER/geonames-postal when present);
                                         --if-changed: only when these files or the import's rules differ from the last import
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !a.Contains('=')) ?? "serve";
        var rest = args.SkipWhile(a => a != verb).Skip(1).ToArray();
        var configurationArgs = args.Where(a => a.Contains('=') && a.StartsWith("--", StringComparison.Ordinal)).ToArray();

        try
        {
            return verb switch
            {
                "serve" => await ServeAsync(configurationArgs),
                "sync" => await SyncAsync(configurationArgs, rest),
                "migrate" => await MigrateAsync(configurationArgs),
                "import-snapshot" => await ImportSnapshotAsync(configurationArgs, rest),
                "reclassify" => await ReclassifyAsync(configurationArgs),
                "import-places" => await ImportPlacesAsync(configurationArgs, rest),
                "create-admin" => await CreateAdminAsync(configurationArgs, rest),
                "help" or "--help" or "-h" => PrintUsage(Success),
                _ => PrintUsage(Usage, $"Unknown verb '{verb}'."),
            };
        }
        catch (WrongSettingsException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return Usage;
        }
        catch (SyncAlreadyRunningException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return AlreadyRunning;
        }
        catch (Exception exception) when (exception is ArgumentException or FileNotFoundException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return Failure;
        }
    }

    private static async Task<int> ServeAsync(string[] configurationArgs)
    {
        using var host = BuildHost(configurationArgs, withJobServer: true);
        await host.RunAsync();
        return Success;
    }

    private static async Task<int> SyncAsync(string[] configurationArgs, string[] options)
    {
        var full = options.Contains("--full");
        var nctIds = options.SkipWhile(o => o != "--nct").Skip(1).TakeWhile(o => !o.StartsWith("--", StringComparison.Ordinal))
            .SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(o => o.ToUpperInvariant())
            .ToList();
        if (options.Contains("--nct") && nctIds.Count == 0)
        {
            return PrintUsage(Usage, "--nct needs one or more NCT ids.");
        }

        var command = nctIds.Count > 0 ? RunSync.Command.Refresh(nctIds) : full ? RunSync.Command.Full() : RunSync.Command.Incremental();
        var summary = await SendAsync(configurationArgs, command);
        Console.WriteLine(summary);
        return summary.Succeeded ? Success : Failure;
    }

    private static async Task<int> MigrateAsync(string[] configurationArgs)
    {
        using var host = BuildHost(configurationArgs, withJobServer: false);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrialFinderDbContext>();
        await CreateDatabaseAndHistoryTableAsync(db);
        await db.Database.MigrateAsync();
        await using (var connection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString()))
        {
            await connection.OpenAsync();
            HangfireServiceCollectionExtensions.InstallSchema(connection);
            if (host.Services.GetRequiredService<IConfiguration>()[AppRole.Setting] is { Length: > 0 } appRole)
            {
                await AppRole.GrantAsync(connection, appRole, CancellationToken.None);
                Console.WriteLine($"Role {appRole} may read and write the data (no schema changes).");
            }
        }

        Console.WriteLine("Database is up to date.");
        return Success;
    }

    /// <summary>
    /// EF probes the database and reads its history table before creating them, and logs both expected
    /// failures on a new database as "fail:" lines (npgsql/efcore.pg#3407). Creating them first, without
    /// such a probe, keeps the output for real failures.
    /// </summary>
    private static async Task CreateDatabaseAndHistoryTableAsync(TrialFinderDbContext db)
    {
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
            await connection.OpenAsync();
        }
        catch (Npgsql.PostgresException exception) when (exception.SqlState == Npgsql.PostgresErrorCodes.InvalidCatalogName)
        {
            await db.GetService<IRelationalDatabaseCreator>().CreateAsync();
        }

        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync();
    }

    private static async Task<int> ImportSnapshotAsync(string[] configurationArgs, string[] options)
    {
        var path = options.FirstOrDefault(o => !o.StartsWith("--", StringComparison.Ordinal));
        var summary = await SendAsync(configurationArgs, new ImportSnapshot.Command(path, OnlyIfEmpty: options.Contains("--if-empty")));
        Console.WriteLine(summary?.ToString() ?? "The catalogue already holds studies; nothing imported.");
        return summary is null || summary.Succeeded ? Success : Failure;
    }

    private static async Task<int> ReclassifyAsync(string[] configurationArgs)
    {
        var result = await SendAsync(configurationArgs, new ReclassifyStudies.Command());
        Console.WriteLine($"Re-classified {result.Studies} studies; {result.Changed} changed tags.");
        return Success;
    }

    private static async Task<int> ImportPlacesAsync(string[] configurationArgs, string[] options)
    {
        var postalCodesAt = Array.IndexOf(options, "--postcodes");
        var postalCodes = postalCodesAt >= 0 ? options.ElementAtOrDefault(postalCodesAt + 1) : null;
        if (postalCodesAt >= 0 && (postalCodes is null || postalCodes.StartsWith("--", StringComparison.Ordinal)))
        {
            return PrintUsage(Usage, "--postcodes needs a GeoNames postal-code file or folder.");
        }

        var folder = options.Where((o, i) => !o.StartsWith("--", StringComparison.Ordinal) && (postalCodesAt < 0 || i != postalCodesAt + 1)).FirstOrDefault()
            ?? (Environment.GetEnvironmentVariable("TF_GAZETTEER_DIR") is { Length: > 0 } fromEnvironment ? fromEnvironment : Path.Combine(".data", "gazetteer"));
        var result = await SendAsync(configurationArgs, new ImportPlaces.Command(
            folder, OnlyIfEmpty: options.Contains("--if-empty"), PostalCodes: postalCodes, OnlyIfChanged: options.Contains("--if-changed")));
        Console.WriteLine(result);
        return Success;
    }

    private static async Task<int> CreateAdminAsync(string[] configurationArgs, string[] options)
    {
        var email = options.SkipWhile(o => o != "--email").Skip(1).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(email) || email.StartsWith("--", StringComparison.Ordinal))
        {
            return PrintUsage(Usage, "create-admin needs --email ADDRESS.");
        }

        var password = Console.IsInputRedirected ? (await Console.In.ReadLineAsync())?.Trim() : null;
        var result = await SendAsync(configurationArgs, new Accounts.CreateAdmin.Command(email, string.IsNullOrEmpty(password) ? null : password));
        Console.WriteLine(result.Created ? $"Created admin {email}." : $"{email} is now an admin.");
        if (result.GeneratedPassword is not null)
        {
            Console.WriteLine($"Generated password (shown once, change it after signing in): {result.GeneratedPassword}");
        }

        return Success;
    }

    private static async Task<TResponse> SendAsync<TResponse>(string[] configurationArgs, IRequest<TResponse> request)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        using var host = BuildHost(configurationArgs, withJobServer: false);
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, cancellation.Token);
    }

    /// <summary>The host of a verb, once every setting is known to be right (a wrong one ends the verb with exit code 2).</summary>
    private static IHost BuildHost(string[] configurationArgs, bool withJobServer)
    {
        var host = WorkerHost.CreateBuilder(configurationArgs, withJobServer).Build();
        if (StartupSettings.FindProblem(host.Services) is { } problem)
        {
            host.Dispose();
            throw new WrongSettingsException(problem);
        }

        return host;
    }

    private static int PrintUsage(int exitCode, string? problem = null)
    {
        if (problem is not null)
        {
            Console.Error.WriteLine(problem);
        }

        (exitCode == Success ? Console.Out : Console.Error).WriteLine(UsageText);
        return exitCode;
    }

    private sealed class WrongSettingsException(string message) : Exception(message);
}
