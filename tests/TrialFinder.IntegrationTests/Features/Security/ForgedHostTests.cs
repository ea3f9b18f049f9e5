using System.Net;
using Microsoft.AspNetCore.Hosting;
using TrialFinder.IntegrationTests.Features.Accounts;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Security;

/// <summary>
/// Account takeover by Host header: a request naming another host is refused, and even where every host is
/// allowed, e-mailed links name Site:BaseUrl, never the Host a client sent.
/// </summary>
public sealed class ForgedHostTests : IAsyncLifetime
{
    private const string Forged = "evil.example";
    private const string Email = "dr.victim@example.org";

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

    public static TheoryData<string, string> AccountForms => new()
    {
        { "/account/register", $"Email={Email}&Password=a long enough passphrase&ConfirmPassword=a long enough passphrase" },
        { "/account/forgot-password", $"Email={Email}" },
    };

    [Theory]
    [MemberData(nameof(AccountForms))]
    public async Task A_forged_host_is_refused_and_nothing_is_sent(string form, string fields)
    {
        await _site.SignUpAsync(Email);
        var sentBefore = _site.Emails.Messages.Count;
        var visitor = _site.Visitor();

        var response = await PostWithHostAsync(visitor, form, fields, Forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Task.Delay(200); // the mail queue would have delivered by now
        Assert.Equal(sentBefore, _site.Emails.Messages.Count);
        Assert.Equal(HttpStatusCode.OK, (await PostWithHostAsync(visitor, form, fields, "localhost")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(AccountForms))]
    public async Task Where_every_host_is_allowed_the_emailed_link_still_names_the_sites_address(string form, string fields)
    {
        await using var anyHost = new WebTestHost(_database);
        var web = anyHost.WithWebHostBuilder(builder => builder.UseSetting("AllowedHosts", "*"));
        var visitor = new WebSession(web.CreateClient(new() { AllowAutoRedirect = false }));
        if (form == "/account/forgot-password")
        {
            await _site.SignUpAsync(Email);
        }

        var response = await PostWithHostAsync(visitor, form, fields, Forged);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var subject = form == "/account/register" ? "Confirm" : "Reset";
        var link = await anyHost.Mail.LinkInAsync(Email, subject);
        Assert.StartsWith($"{WebTestHost.BaseUrl}/account/", link);
        Assert.DoesNotContain(Forged, link);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_probes_answer_whatever_host_the_load_balancer_names(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "10.1.2.3:8080";

        var response = await _site.Visitor().Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Pages_and_the_api_refuse_a_foreign_host()
    {
        foreach (var path in new[] { "/", "/trials?q=neuroblastoma", "/api/trials", "/account/login" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = Forged;
            Assert.Equal(HttpStatusCode.BadRequest, (await _site.Visitor().Client.SendAsync(request)).StatusCode);
        }
    }

    /// <summary>Posts the form with a valid anti-forgery token (from the page on the real host) and the given Host header.</summary>
    private static async Task<HttpResponseMessage> PostWithHostAsync(WebSession visitor, string form, string fields, string host)
    {
        var token = await visitor.AntiforgeryTokenAsync(form);
        var pairs = fields.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1]))
            .Append(new("__RequestVerificationToken", token));
        var request = new HttpRequestMessage(HttpMethod.Post, form) { Content = new FormUrlEncodedContent(pairs) };
        request.Headers.Host = host;
        return await visitor.Client.SendAsync(request);
    }
}
