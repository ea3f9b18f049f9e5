using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using TrialFinder.Data;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Security;

/// <summary>
/// Least privilege: with the grants that <c>migrate --Database:AppRole</c> gives, the site connected as the
/// app role serves searches and accounts, and that role can change no table's shape.
/// </summary>
public sealed class AppRoleTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly string _role = "tf_app_" + Guid.NewGuid().ToString("N")[..12];
    private string _roleConnectionString = "";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await TestSite.LoadCatalogAsync(_database);
        await ExecuteAsync(TestDatabase.ServerConnectionString, $"CREATE ROLE \"{_role}\" LOGIN PASSWORD 'app role password'");
        await using (var owner = new NpgsqlConnection(_database.ConnectionString))
        {
            await owner.OpenAsync();
            await AppRole.GrantAsync(owner, _role, CancellationToken.None);
        }

        _roleConnectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString)
        {
            Username = _role, Password = "app role password",
        }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(_roleConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        // Dropping the database drops the role's rights in it; then the role can go.
        await _database.DisposeAsync();
        await ExecuteAsync(TestDatabase.ServerConnectionString, $"DROP ROLE IF EXISTS \"{_role}\"");
    }

    [Fact]
    public async Task The_site_connected_as_the_app_role_serves_a_search_and_an_account()
    {
        await using var host = new WebTestHost(_database);
        await using var web = host.WithWebHostBuilder(builder => builder.UseSetting("ConnectionStrings:TrialFinder", _roleConnectionString));

        var search = await web.CreateClient().GetAsync("/api/trials?q=neuroblastoma&near=Lyon&radiusKm=20000");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.True((await search.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.OK, (await web.CreateClient().GetAsync("/trials?q=neuroblastoma")).StatusCode);

        // Sign-up, sign-in and a bookmark: rows in the account, key and bookmark tables.
        var clinician = await WebSession.SignedInAsync(web, "dr.app-role@example.org");
        Assert.Equal(HttpStatusCode.OK, (await clinician.Client.GetAsync("/bookmarks")).StatusCode);
        Assert.Equal("""{"status":"Degraded","checks":{"database":"Healthy","registry-sync":"Degraded"}}""",
            await web.CreateClient().GetStringAsync("/readyz"));
    }

    [Theory]
    [InlineData("DROP TABLE studies")]
    [InlineData("ALTER TABLE studies ADD COLUMN stolen text")]
    [InlineData("TRUNCATE bookmarks")]
    [InlineData("CREATE TABLE stolen (id int)")]
    [InlineData("DROP TABLE hangfire.job")]
    [InlineData("ALTER TABLE \"AspNetUsers\" DROP COLUMN password_hash")]
    [InlineData("INSERT INTO \"__EFMigrationsHistory\" VALUES ('x', 'y')")]
    public async Task The_app_role_cannot_change_the_schema(string sql)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_roleConnectionString, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
