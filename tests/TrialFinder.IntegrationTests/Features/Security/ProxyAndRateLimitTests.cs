using TrialFinder.Testing;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Security;

/// <summary>
/// The site behind a TLS proxy (10.0.0.1, configured as known) that forwards X-Forwarded-For and
/// X-Forwarded-Proto, with small rate-limit budgets: clients are told apart by their real address, https is
/// seen (Secure cookies, HSTS), and the same headers from an unknown address change nothing.
/// </summary>
public sealed class ProxyAndRateLimitTests : IAsyncLifetime
{
    private const string Proxy = "10.0.0.1";
    private const string Stranger = "198.51.100.9";
    private const string PublicHost = "trials.example.org";
    private const int Budget = 3;

    private readonly TestDatabase _database = new();
    private WebTestHost _host = null!;
    private WebApplicationFactory<TrialFinder.Web.Localization.SiteText> _web = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await TestSite.LoadCatalogAsync(_database);
        _host = new WebTestHost(_database);
        _web = _host.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Site:BaseUrl", $"https://{PublicHost}");
            builder.UseSetting("ForwardedHeaders:KnownProxies", Proxy);
            foreach (var setting in WebTestHost.RateLimitSettings)
            {
                builder.UseSetting(setting, Budget.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        });
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>One request of each anonymous route family; the budget of each family is counted on its own.</summary>
    public static TheoryData<string, string> Families => new()
    {
        { "GET", "/trials?q=neuroblastoma" },
        { "GET", "/api/trials?q=neuroblastoma" },
        { "GET", "/api/places?q=Lyon" },
        { "GET", "/openapi/v1.json" },
        { "GET", "/feeds/0123456789abcdef0123456789abcdef0123456789abcdef" },
        { "GET", "/digest/unsubscribe/0123456789abcdef0123456789abcdef0123456789abcdef" },
        { "POST", "/account/login" },
        { "POST", "/account/forgot-password" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Over_its_budget_a_client_gets_429_with_retry_after_and_another_client_behind_the_proxy_does_not(string method, string path)
    {
        for (var i = 0; i < Budget; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SendAsync(method, path, from: Proxy, client: "203.0.113.7")).StatusCode);
        }

        var refused = await SendAsync(method, path, from: Proxy, client: "203.0.113.7");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        var body = await refused.Content.ReadAsStringAsync();
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(429, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        }
        else
        {
            Assert.Contains("Too many requests from your connection", WebUtility.HtmlDecode(body));
        }

        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SendAsync(method, path, from: Proxy, client: "203.0.113.8")).StatusCode);
    }

    [Fact]
    public async Task The_too_many_requests_page_speaks_french_to_french_visitors()
    {
        HttpResponseMessage response = null!;
        for (var i = 0; i <= Budget; i++)
        {
            var request = Request("GET", "/trials", from: Proxy, client: "203.0.113.20");
            request.Headers.AcceptLanguage.ParseAdd("fr-FR");
            response = await Client().SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("Trop de demandes depuis votre connexion", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_address_are_ignored_for_limits_and_scheme()
    {
        // Straight to the site over TLS, making up a new X-Forwarded-For each time: still one client.
        for (var i = 0; i < Budget; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/api/trials", from: Stranger, client: $"203.0.113.{100 + i}", https: true)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync("GET", "/api/trials", from: Stranger, client: "203.0.113.200", https: true)).StatusCode);

        // Over plain http its "X-Forwarded-Proto: https" is not believed: it is sent to the https address.
        var page = await SendAsync("GET", "/therapies?x=1", from: Stranger, client: "203.0.113.201");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode);
        Assert.Equal($"https://{PublicHost}/therapies?x=1", page.Headers.Location!.OriginalString);
        Assert.False(page.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/healthz", from: Stranger, client: "203.0.113.201")).StatusCode);
    }

    [Fact]
    public async Task Behind_the_proxy_https_is_seen_hsts_is_sent_cookies_are_secure_and_links_are_https()
    {
        var page = await SendAsync("GET", "/account/login", from: Proxy, client: "203.0.113.30");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var hsts = Assert.Single(page.Headers.GetValues("Strict-Transport-Security"));
        Assert.Contains("max-age=31536000", hsts);
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith(".TrialFinder.Antiforgery=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));

        var html = await page.Content.ReadAsStringAsync();
        var token = HtmlPages.Parse(html).AntiforgeryToken()!;
        const string password = "a long enough passphrase";
        var register = Request("POST", "/account/register", from: Proxy, client: "203.0.113.30",
            ("Email", "dr.https@example.org"), ("Password", password), ("ConfirmPassword", password),
            ("__RequestVerificationToken", WebUtility.HtmlDecode(token)));
        register.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        Assert.Equal(HttpStatusCode.OK, (await Client().SendAsync(register)).StatusCode);
        var link = await _host.Mail.LinkInAsync("dr.https@example.org", "Confirm");
        Assert.StartsWith($"https://{PublicHost}/account/confirm-email?", link);
    }

    /// <summary>A client of the site's own port, which speaks plain http (TLS ends at the proxy) unless <paramref name="https"/>.</summary>
    private HttpClient Client(bool https = false) =>
        _web.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri($"{(https ? "https" : "http")}://{PublicHost}"),
        });

    private Task<HttpResponseMessage> SendAsync(string method, string path, string from, string client, bool https = false) =>
        Client(https).SendAsync(Request(method, path, from, client));

    /// <summary>A request arriving from <paramref name="from"/>, carrying the headers a TLS proxy adds for <paramref name="client"/>.</summary>
    private static HttpRequestMessage Request(string method, string path, string from, string client, params (string Name, string Value)[] form)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add(PeerAddress.Header, from);
        request.Headers.Add("X-Forwarded-For", client);
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        }

        return request;
    }
}
