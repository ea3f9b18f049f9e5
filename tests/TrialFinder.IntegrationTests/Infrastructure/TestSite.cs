using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using TrialFinder.Sync.Catalog;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// The real web site over a test database, with its e-mails captured, and clinicians who sign up the way
/// people do: the registration form, the confirmation link from the e-mail, the sign-in form.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    public const string Password = "a long enough passphrase";

    private readonly WebTestHost _host;

    public TestSite(TestDatabase database)
    {
        Database = database;
        _host = new WebTestHost(database);
    }

    public TestDatabase Database { get; }
    public Mailbox Emails => _host.Mail;
    public WebApplicationFactory<TrialFinder.Web.Localization.SiteText> Web => _host;

    /// <summary>Loads the shipped corpus of real studies into the database (no registry needed).</summary>
    public static async Task LoadCatalogAsync(TestDatabase database)
    {
        await using var replay = await RegistryReplay.StartAsync([]);
        using var host = SyncHost.Create(database, replay);
        await host.SendAsync(new ImportSnapshot.Command(TestPaths.CorpusStudies));
    }

    /// <summary>A browser; <paramref name="from"/> is the address it connects from (see <see cref="PeerAddress"/>).</summary>
    public WebSession Visitor(string? from = null)
    {
        var client = Web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (from is not null)
        {
            client.DefaultRequestHeaders.Add(PeerAddress.Header, from);
        }

        return new WebSession(client);
    }

    /// <summary>Fills in and sends the registration form; returns the page the site answers with.</summary>
    public static async Task<HttpResponseMessage> RegisterAsync(WebSession visitor, string email, string password = Password) =>
        await visitor.PostFormAsync("/account/register", "/account/register", new()
        {
            ["Email"] = email, ["Password"] = password, ["ConfirmPassword"] = password,
        });

    public static async Task<HttpResponseMessage> SignInAsync(WebSession visitor, string email, string password = Password) =>
        await visitor.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = email, ["Password"] = password });

    /// <summary>Register → open the confirmation link from the e-mail → sign in.</summary>
    public async Task<WebSession> SignUpAsync(string email)
    {
        var visitor = Visitor();
        var registered = await RegisterAsync(visitor, email);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var confirmed = await visitor.Client.GetAsync(Mailbox.PathOf(await Emails.LinkInAsync(email, "Confirm")));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var signedIn = await SignInAsync(visitor, email);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return visitor;
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}
