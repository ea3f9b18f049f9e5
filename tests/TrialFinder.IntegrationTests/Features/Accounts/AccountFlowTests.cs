using TrialFinder.Testing;
using System.Net;
using System.Text.RegularExpressions;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Accounts;

/// <summary>Register, confirm by the e-mail's link, sign in and out, reset a password, lockout, no enumeration: all through the pages.</summary>
public sealed partial class AccountFlowTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private TestSite _site = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _site = new TestSite(_database);
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_clinician_registers_confirms_with_the_emailed_link_signs_in_and_signs_out()
    {
        const string email = "dr.martin@example.org";
        var visitor = _site.Visitor();

        var registered = await TestSite.RegisterAsync(visitor, email);

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Contains("Check your e-mail", await registered.Content.ReadAsStringAsync());
        var message = await _site.Emails.WaitForAsync(email, "Confirm");
        Assert.Equal("Confirm your TrialFinder account", message.Subject);
        Assert.Single(_site.Emails.To(email));

        // Before confirming, signing in fails with the one generic message.
        var early = await TestSite.SignInAsync(visitor, email);
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Contains("Sign-in failed", await early.Content.ReadAsStringAsync());

        var confirm = await visitor.Client.GetAsync(Mailbox.PathOf(await _site.Emails.LinkInAsync(email, "Confirm")));
        Assert.Contains("Your e-mail address is confirmed", await confirm.Content.ReadAsStringAsync());

        var signedIn = await TestSite.SignInAsync(visitor, email);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/bookmarks", signedIn.Headers.Location!.OriginalString);
        var cookie = string.Join(";", signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains(".TrialFinder.Session=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var bookmarks = await visitor.Client.GetAsync("/bookmarks");
        Assert.Equal(HttpStatusCode.OK, bookmarks.StatusCode);
        Assert.Contains("Sign out", await bookmarks.Content.ReadAsStringAsync());

        var signedOut = await visitor.PostFormAsync("/bookmarks", "/account/logout", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        var afterwards = await visitor.Client.GetAsync("/bookmarks");
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        Assert.StartsWith("/account/login", afterwards.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_forgotten_password_is_replaced_through_the_emailed_reset_link()
    {
        const string email = "dr.reset@example.org";
        await _site.SignUpAsync(email);
        var visitor = _site.Visitor();

        var asked = await visitor.PostFormAsync("/account/forgot-password", "/account/forgot-password", new() { ["Email"] = email });
        Assert.Contains("Check your e-mail", await asked.Content.ReadAsStringAsync());
        var link = await _site.Emails.LinkInAsync(email, "Reset");

        var form = await visitor.Client.GetStringAsync(Mailbox.PathOf(link));
        var token = HtmlPages.Parse(form).InputValue("Token") ?? "";
        Assert.NotEmpty(token);
        const string newPassword = "another long passphrase";
        var reset = await visitor.PostFormAsync(Mailbox.PathOf(link), "/account/reset-password", new()
        {
            ["Token"] = token, ["Email"] = email, ["Password"] = newPassword, ["ConfirmPassword"] = newPassword,
        });

        Assert.Contains("Your password has been changed", await reset.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await TestSite.SignInAsync(_site.Visitor(), email)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await TestSite.SignInAsync(_site.Visitor(), email, newPassword)).StatusCode);

        // A reset link works once.
        var again = await visitor.PostFormAsync(Mailbox.PathOf(link), "/account/reset-password", new()
        {
            ["Token"] = token, ["Email"] = email, ["Password"] = "a third long passphrase", ["ConfirmPassword"] = "a third long passphrase",
        });
        Assert.Contains("This reset link is not valid or has expired", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_even_the_right_one_is_refused()
    {
        const string email = "dr.locked@example.org";
        await _site.SignUpAsync(email);
        var visitor = _site.Visitor();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await TestSite.SignInAsync(visitor, email, "not the right password");
            Assert.Contains("Sign-in failed", await wrong.Content.ReadAsStringAsync());
        }

        var right = await TestSite.SignInAsync(visitor, email);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Sign-in failed", await right.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.Client.GetAsync("/bookmarks")).StatusCode);
    }

    [Fact]
    public async Task Registering_an_address_that_has_an_account_shows_the_same_page_as_a_new_address()
    {
        const string taken = "dr.taken@example.org";
        await _site.SignUpAsync(taken);

        var forNew = await TestSite.RegisterAsync(_site.Visitor(), "dr.new@example.org");
        var forTaken = await TestSite.RegisterAsync(_site.Visitor(), taken);

        Assert.Equal(forNew.StatusCode, forTaken.StatusCode);
        Assert.Equal(WithoutTokens(await forNew.Content.ReadAsStringAsync()), WithoutTokens(await forTaken.Content.ReadAsStringAsync()));
        // The owner of the address is told by e-mail instead, and no second account exists.
        await _site.Emails.WaitForAsync(taken, "Someone tried to create");
        await using var db = _database.CreateContext();
        Assert.Equal(1, db.Users.Count(u => u.Email == taken));
    }

    private static string WithoutTokens(string html) => HiddenToken().Replace(AntiforgeryValue().Replace(html, ""), "");

    [GeneratedRegex(@"name=""Token"" value=""([^""]*)""")]
    private static partial Regex HiddenToken();

    [GeneratedRegex(@"value=""CfDJ8[^""]*""")]
    private static partial Regex AntiforgeryValue();
}
