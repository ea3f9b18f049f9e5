using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFinder.Data.Accounts;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Infrastructure.Email;

namespace TrialFinder.IntegrationTests.Features.Accounts;

/// <summary>
/// No account enumeration by timing, asserted by counting instead of timing: sign-in, registration and
/// password reset do the same expensive work (password hashes, queued e-mails) and give the same page
/// whether the address is unknown, unconfirmed, confirmed or locked.
/// </summary>
public sealed partial class SameWorkTests : IAsyncLifetime
{
    private const string Confirmed = "dr.known@example.org";
    private const string Unconfirmed = "dr.unconfirmed@example.org";
    private const string Locked = "dr.locked@example.org";
    private const string Unknown = "nobody@example.org";

    private readonly TestDatabase _database = new();
    private readonly CountingPasswordHasher _hasher = new();
    private WebTestHost _host = null!;
    private WebApplicationFactory<TrialFinder.Web.Localization.SiteText> _web = null!;
    private CountingMailQueue _queue = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _host = new WebTestHost(_database);
        _web = _host.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IPasswordHasher<UserAccount>>();
            services.AddSingleton<IPasswordHasher<UserAccount>>(_hasher);
            services.RemoveAll<IMailQueue>();
            services.AddSingleton<IMailQueue>(provider => _queue = new CountingMailQueue(provider.GetRequiredService<MailQueue>()));
        }));

        await WebSession.SignedInAsync(_host, Confirmed);
        await using var scope = _web.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<UserAccount>>();
        var unconfirmed = new UserAccount { UserName = Unconfirmed, Email = Unconfirmed, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(unconfirmed, TestSite.Password)).Succeeded);
        var locked = new UserAccount { UserName = Locked, Email = Locked, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(locked, TestSite.Password)).Succeeded);
        Assert.True((await users.SetLockoutEndDateAsync(locked, DateTimeOffset.UtcNow.AddHours(1))).Succeeded);
        _ = _web.Services.GetRequiredService<IMailQueue>(); // so that _queue exists before any request
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Signing_in_verifies_one_password_whether_the_address_is_unknown_unconfirmed_locked_or_known()
    {
        var pages = new List<string>();
        foreach (var email in new[] { Unknown, Unconfirmed, Locked, Confirmed })
        {
            var before = _hasher.Snapshot();
            var response = await Visitor().PostFormAsync("/account/login", "/account/login", new() { ["Email"] = email, ["Password"] = "not the password at all" });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal((Hashed: 0, Verified: 1), _hasher.Since(before));
            pages.Add(WithoutTokens(await response.Content.ReadAsStringAsync()).Replace(email, "EMAIL", StringComparison.Ordinal));
        }

        Assert.Single(pages.Distinct());
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task Registering_hashes_one_password_and_queues_one_email_whether_the_address_is_new_unconfirmed_or_taken()
    {
        var pages = new List<string>();
        foreach (var email in new[] { "dr.new@example.org", Unconfirmed, Confirmed })
        {
            var hashesBefore = _hasher.Snapshot();
            var queuedBefore = _queue.Sent.Count;
            var response = await TestSite.RegisterAsync(Visitor(), email);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal((Hashed: 1, Verified: 0), _hasher.Since(hashesBefore));
            Assert.Equal([email], _queue.Sent.Skip(queuedBefore).Select(m => m.To));
            pages.Add(WithoutTokens(await response.Content.ReadAsStringAsync()));
        }

        Assert.Single(pages.Distinct());
        // What each was told: a link to confirm (new and unconfirmed), or that the account exists.
        Assert.Equal(["Confirm your TrialFinder account", "Confirm your TrialFinder account", "Someone tried to create a TrialFinder account with your address"],
            _queue.Sent.Select(m => m.Subject));
    }

    [Fact]
    public async Task Asking_for_a_password_reset_queues_one_email_and_hashes_nothing_whether_or_not_the_account_exists()
    {
        var pages = new List<string>();
        foreach (var email in new[] { Unknown, Unconfirmed, Confirmed })
        {
            var hashesBefore = _hasher.Snapshot();
            var queuedBefore = _queue.Sent.Count;
            var response = await Visitor().PostFormAsync("/account/forgot-password", "/account/forgot-password", new() { ["Email"] = email });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal((Hashed: 0, Verified: 0), _hasher.Since(hashesBefore));
            Assert.Equal([email], _queue.Sent.Skip(queuedBefore).Select(m => m.To));
            pages.Add(WithoutTokens(await response.Content.ReadAsStringAsync()));
        }

        Assert.Single(pages.Distinct());
        Assert.Contains("/account/reset-password?", _queue.Sent[^1].Body);
        Assert.All(_queue.Sent.Take(2), m => Assert.DoesNotContain("http", m.Body));
    }

    private WebSession Visitor() =>
        new(_web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private static string WithoutTokens(string html) => AntiforgeryValue().Replace(html, "");

    [GeneratedRegex(@"value=""CfDJ8[^""]*""")]
    private static partial Regex AntiforgeryValue();

    /// <summary>The product's password hasher, counting its calls.</summary>
    private sealed class CountingPasswordHasher : IPasswordHasher<UserAccount>
    {
        private readonly PasswordHasher<UserAccount> _inner = new();
        private int _hashed;
        private int _verified;

        public (int Hashed, int Verified) Snapshot() => (Volatile.Read(ref _hashed), Volatile.Read(ref _verified));

        public (int Hashed, int Verified) Since((int Hashed, int Verified) before)
        {
            var now = Snapshot();
            return (now.Hashed - before.Hashed, now.Verified - before.Verified);
        }

        public string HashPassword(UserAccount user, string password)
        {
            Interlocked.Increment(ref _hashed);
            return _inner.HashPassword(user, password);
        }

        public PasswordVerificationResult VerifyHashedPassword(UserAccount user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verified);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    /// <summary>The product's mail queue, remembering what was queued (at once, during the request).</summary>
    private sealed class CountingMailQueue(MailQueue inner) : IMailQueue
    {
        private readonly ConcurrentQueue<EmailMessage> _sent = new();

        public IReadOnlyList<EmailMessage> Sent => _sent.ToArray();

        public void Enqueue(EmailMessage message)
        {
            _sent.Enqueue(message);
            inner.Enqueue(message);
        }
    }
}
