using System.Net;
using TrialFinder.Data.Accounts;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Web.Features.Accounts;

namespace TrialFinder.IntegrationTests.Features.Accounts;

/// <summary>
/// Wrong passwords from one address stop that address, not the account's owner elsewhere; only failures
/// from many addresses together lock the account itself.
/// </summary>
public sealed class LockoutTests : IAsyncLifetime
{
    private const string Email = "dr.target@example.org";
    private const string WrongPassword = "not the right password";

    private readonly TestDatabase _database = new();
    private TestSite _site = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _site = new TestSite(_database);
        await _site.SignUpAsync(Email);
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_attacker_at_one_address_is_stopped_and_the_owner_still_signs_in_from_hers()
    {
        var attacker = _site.Visitor(from: "203.0.113.66");
        for (var attempt = 0; attempt < AccountThrottle.FailuresPerClientAndAccount * 3; attempt++)
        {
            await TestSite.SignInAsync(attacker, Email, WrongPassword);
        }

        Assert.Equal(HttpStatusCode.OK, (await TestSite.SignInAsync(attacker, Email)).StatusCode); // even the right password: refused
        var owner = await TestSite.SignInAsync(_site.Visitor(from: "198.51.100.20"), Email);
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
    }

    [Fact]
    public async Task Failures_from_many_addresses_lock_the_account_for_everyone()
    {
        var addresses = (AccountRules.MaxFailedAccessAttempts + AccountThrottle.FailuresPerClientAndAccount - 1) / AccountThrottle.FailuresPerClientAndAccount;
        for (var address = 0; address < addresses; address++)
        {
            var attacker = _site.Visitor(from: $"203.0.113.{address + 1}");
            for (var attempt = 0; attempt < AccountThrottle.FailuresPerClientAndAccount; attempt++)
            {
                await TestSite.SignInAsync(attacker, Email, WrongPassword);
            }
        }

        var owner = await TestSite.SignInAsync(_site.Visitor(from: "198.51.100.20"), Email);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Contains("Sign-in failed", await owner.Content.ReadAsStringAsync());
    }
}
