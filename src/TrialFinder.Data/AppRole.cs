using System.Text.RegularExpressions;
using Npgsql;

namespace TrialFinder.Data;

/// <summary>
/// Least privilege: migrations run as the role that owns the schema; the site and the workers connect as
/// an "app" role that may read and write rows (product and Hangfire tables) and nothing else: no DDL, no
/// TRUNCATE, no new tables. <see cref="GrantAsync"/> runs as the owner (the worker's <c>migrate</c> verb with
/// <see cref="Setting"/>), after the migrations; default privileges cover tables that later migrations add.
/// </summary>
public static partial class AppRole
{
    public const string Setting = "Database:AppRole";

    public static async Task GrantAsync(NpgsqlConnection ownerConnection, string role, CancellationToken cancellationToken)
    {
        if (!RoleName().IsMatch(role))
        {
            throw new ArgumentException($"{Setting}: '{role}' is not a plain role name (lower-case letters, digits, _).");
        }

        var sql = $"""
            DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO "{role}"', current_database()); END $$;
            GRANT USAGE ON SCHEMA public, hangfire TO "{role}";
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, hangfire TO "{role}";
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public, hangfire TO "{role}";
            ALTER DEFAULT PRIVILEGES IN SCHEMA public, hangfire GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}";
            ALTER DEFAULT PRIVILEGES IN SCHEMA public, hangfire GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "{role}";
            REVOKE INSERT, UPDATE, DELETE ON "__EFMigrationsHistory" FROM "{role}";
            """;
        await using var command = new NpgsqlCommand(sql, ownerConnection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();
}
