using TrialFinder.Testing;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Infrastructure.Email;

namespace TrialFinder.IntegrationTests.Features.Accounts;

/// <summary>
/// With no mail server the site writes e-mails to a pickup folder and logs only that it did: a whole account
/// flow (register, confirm, sign in, reset the password) leaves no confirmation or reset token in any log
/// line, even with the site's own categories logging at Debug.
/// </summary>
public sealed partial class NoTokenInLogsTests : IAsyncLifetime
{
    private const string Email = "dr.logs@example.org";

    private readonly TestDatabase _database = new();
    private readonly string _pickup = Path.Combine(Path.GetTempPath(), "tf-mail-" + Guid.NewGuid().ToString("N"));
    private readonly LogCapture _logs = new();
    private WebTestHost _host = null!;
    private WebApplicationFactory<TrialFinder.Web.Localization.SiteText> _web = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _host = new WebTestHost(_database);
        _web = _host.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Logging:LogLevel:Default", "Debug");
            builder.UseSetting("Email:PickupDirectory", _pickup);
            builder.ConfigureLogging(logging => logging.AddProvider(_logs));
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IEmailSender>();
                services.AddSingleton<IEmailSender, EmailSender>();
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_pickup))
        {
            Directory.Delete(_pickup, recursive: true);
        }
    }

    [Fact]
    public async Task A_full_account_flow_logs_that_mails_were_written_but_never_a_token()
    {
        var visitor = new WebSession(_web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        Assert.Equal(HttpStatusCode.OK, (await TestSite.RegisterAsync(visitor, Email)).StatusCode);
        var confirm = await LinkInMailAsync("/account/confirm-email");
        Assert.Contains("Your e-mail address is confirmed", await visitor.Client.GetStringAsync(Mailbox.PathOf(confirm)));
        Assert.Equal(HttpStatusCode.Redirect, (await TestSite.SignInAsync(visitor, Email)).StatusCode);
        await visitor.PostFormAsync("/bookmarks", "/account/logout", []);
        Assert.Equal(HttpStatusCode.OK, (await TestSite.RegisterAsync(visitor, Email)).StatusCode); // "you already have an account"

        await visitor.PostFormAsync("/account/forgot-password", "/account/forgot-password", new() { ["Email"] = Email });
        var reset = await LinkInMailAsync("/account/reset-password");
        var resetToken = QueryHelpers.ParseQuery(new Uri(reset).Query)["token"].ToString();
        const string newPassword = "a brand new passphrase";
        var changed = await visitor.PostFormAsync(Mailbox.PathOf(reset), "/account/reset-password", new()
        {
            ["Email"] = Email, ["Token"] = resetToken, ["Password"] = newPassword, ["ConfirmPassword"] = newPassword,
        });
        Assert.Contains("Your password has been changed", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await TestSite.SignInAsync(visitor, Email, newPassword)).StatusCode);

        var lines = _logs.Lines;
        Assert.Contains(lines, l => l.Contains("'Confirm your TrialFinder account' to dr.logs@example.org written to", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'Reset your TrialFinder password' to dr.logs@example.org written to", StringComparison.Ordinal));
        foreach (var secret in new[] { confirm, reset }.SelectMany(Secrets))
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>The token of a link as e-mailed (base64url) and as Identity made it.</summary>
    private static IEnumerable<string> Secrets(string link)
    {
        var token = QueryHelpers.ParseQuery(new Uri(link).Query)["token"].ToString();
        Assert.True(token.Length > 20);
        yield return token;
        yield return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
    }

    /// <summary>The link to the path in the newest e-mail of the pickup folder that has one.</summary>
    private async Task<string> LinkInMailAsync(string path)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var link = Directory.Exists(_pickup)
                ? Directory.GetFiles(_pickup, "*.eml").OrderByDescending(File.GetLastWriteTimeUtc)
                    .Select(f => Link().Matches(File.ReadAllText(f)).Select(m => m.Value).FirstOrDefault(l => l.Contains(path, StringComparison.Ordinal)))
                    .FirstOrDefault(l => l is not null)
                : null;
            if (link is not null)
            {
                return link;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"No e-mail with a link to {path} in {_pickup}.");
    }

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Link();
}
