using System.Net;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Data.Accounts;
using TrialFinder.IntegrationTests.Features.Accounts;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Web.Features.Security;

namespace TrialFinder.IntegrationTests.Features.Security;

/// <summary>
/// Who may do what, as data: every endpoint the site exposes (read from its endpoint data source, the
/// Hangfire dashboard included) has a row giving what an anonymous visitor, a clinician and an admin get,
/// and the rate-limit family that guards it. A new endpoint without a row, a row without an endpoint, or an
/// endpoint that answers otherwise fails. POSTs are sent without an anti-forgery token: whoever may reach
/// them gets 400. The README's access table is this table.
/// </summary>
public sealed class AccessTableTests(AccessTableTests.Site site) : IClassFixture<AccessTableTests.Site>
{
    private const string Login = "302 /account/login";
    private const string Denied = "302 /account/denied";
    private const string SampleStudy = "NCT04711135";
    private const string SampleToken = "0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>
    /// Method ("*": any; checked with GET), route pattern, the path requested, then the answer to an anonymous
    /// visitor, a clinician and an admin ("302 /path" is a redirect), and the rate-limit policy.
    /// </summary>
    public static readonly AccessRule[] Table =
    [
        new("GET", "/", "/?q=neuroblastoma", "200", "200", "200", RateLimits.Pages),
        new("GET", "/trials", "/trials?age=4&therapy=anti-gd2", "200", "200", "200", RateLimits.Pages),
        new("GET", "/trials/{nctId}", $"/trials/{SampleStudy}", "200", "200", "200", RateLimits.Pages),
        new("GET", "/pre-screen/sheet", "/pre-screen/sheet?pt-mibg-avid=no", "200", "200", "200", RateLimits.Pages),
        new("GET", "/therapies", "/therapies", "200", "200", "200", RateLimits.Pages),
        new("GET", "/therapies/{slug}", "/therapies/anti-gd2", "200", "200", "200", RateLimits.Pages),
        new("POST", "/language", "/language", "400", "400", "400", RateLimits.Pages),
        new("GET", "/api/trials", "/api/trials?q=neuroblastoma", "200", "200", "200", RateLimits.Api),
        new("GET", "/api/trials/{nctId}", $"/api/trials/{SampleStudy}", "200", "200", "200", RateLimits.Api),
        new("GET", "/api/places", "/api/places?q=Lyon", "200", "200", "200", RateLimits.Places),
        new("GET", "/openapi/{documentName}.json", "/openapi/v1.json", "200", "200", "200", RateLimits.Api),
        new("GET", "/feeds/{token}", $"/feeds/{SampleToken}", "404", "404", "404", RateLimits.Feeds),
        new("GET", "/digest/unsubscribe/{token}", $"/digest/unsubscribe/{SampleToken}", "404", "404", "404", RateLimits.Unsubscribe),
        new("POST", "/digest/unsubscribe/{token}", $"/digest/unsubscribe/{SampleToken}", "400", "400", "400", RateLimits.Unsubscribe),
        new("GET", "/account/register", "/account/register", "200", "200", "200", RateLimits.Pages),
        new("POST", "/account/register", "/account/register", "400", "400", "400", RateLimits.Accounts),
        new("GET", "/account/confirm-email", "/account/confirm-email?userId=x&token=y", "200", "200", "200", RateLimits.Pages),
        new("GET", "/account/login", "/account/login", "200", "200", "200", RateLimits.Pages),
        new("POST", "/account/login", "/account/login", "400", "400", "400", RateLimits.Accounts),
        new("POST", "/account/logout", "/account/logout", "400", "400", "400", RateLimits.Pages),
        new("GET", "/account/forgot-password", "/account/forgot-password", "200", "200", "200", RateLimits.Pages),
        new("POST", "/account/forgot-password", "/account/forgot-password", "400", "400", "400", RateLimits.Accounts),
        new("GET", "/account/reset-password", "/account/reset-password?email=a@example.org&token=y", "200", "200", "200", RateLimits.Pages),
        new("POST", "/account/reset-password", "/account/reset-password", "400", "400", "400", RateLimits.Accounts),
        new("GET", "/account/denied", "/account/denied", "403", "403", "403", RateLimits.Pages),
        new("GET", "/bookmarks", "/bookmarks", Login, "200", "200", null),
        new("GET", "/bookmarks/print", "/bookmarks/print", Login, "200", "200", null),
        new("GET", "/bookmarks/export.csv", "/bookmarks/export.csv", Login, "200", "200", null),
        new("GET", "/bookmarks/{id:long}", "/bookmarks/999999", Login, "404", "404", null),
        new("GET", "/bookmarks/lists", "/bookmarks/lists", Login, "200", "200", null),
        new("POST", "/bookmarks/add", "/bookmarks/add", Login, "400", "400", null),
        new("POST", "/bookmarks/remove", "/bookmarks/remove", Login, "400", "400", null),
        new("POST", "/bookmarks/{id:long}/note", "/bookmarks/999999/note", Login, "400", "400", null),
        new("POST", "/bookmarks/{id:long}/list", "/bookmarks/999999/list", Login, "400", "400", null),
        new("POST", "/bookmarks/{id:long}/seen", "/bookmarks/999999/seen", Login, "400", "400", null),
        new("POST", "/bookmarks/seen", "/bookmarks/seen", Login, "400", "400", null),
        new("POST", "/bookmarks/lists", "/bookmarks/lists", Login, "400", "400", null),
        new("POST", "/bookmarks/lists/{id:long}/rename", "/bookmarks/lists/999999/rename", Login, "400", "400", null),
        new("POST", "/bookmarks/lists/{id:long}/delete", "/bookmarks/lists/999999/delete", Login, "400", "400", null),
        new("GET", "/saved-searches", "/saved-searches", Login, "200", "200", null),
        new("GET", "/saved-searches/new", "/saved-searches/new?query=%3Fq%3Dneuroblastoma", Login, "200", "200", null),
        new("POST", "/saved-searches", "/saved-searches", Login, "400", "400", null),
        new("POST", "/saved-searches/{id:long}/delete", "/saved-searches/999999/delete", Login, "400", "400", null),
        new("POST", "/saved-searches/{id:long}/feed-token", "/saved-searches/999999/feed-token", Login, "400", "400", null),
        new("GET", "/settings", "/settings", Login, "200", "200", null),
        new("POST", "/settings", "/settings", Login, "400", "400", null),
        new("GET", "/admin", "/admin", Login, Denied, "200", null),
        new("GET", "/admin/progress", "/admin/progress", Login, Denied, "200", null),
        new("POST", "/admin/sync/incremental", "/admin/sync/incremental", Login, Denied, "400", null),
        new("POST", "/admin/sync/full", "/admin/sync/full", Login, Denied, "400", null),
        new("POST", "/admin/sync/refresh", "/admin/sync/refresh", Login, Denied, "400", null),
        new("POST", "/admin/sync/cancel", "/admin/sync/cancel", Login, Denied, "400", null),
        new("POST", "/admin/reclassify", "/admin/reclassify", Login, Denied, "400", null),
        new("*", "/hangfire/{**path}", "/hangfire", Login, Denied, "200", null),
        new("*", "/healthz", "/healthz", "200", "200", "200", null),
        new("*", "/readyz", "/readyz", "200", "200", "200", null),
        new("*", "/error", "/error", "404", "404", "404", null),
        new("*", "/error/{status:int}", "/error/500", "404", "404", "404", null),
    ];

    /// <summary>Not rate-limited although anonymous: probes (load balancers call them often) and error pages (only re-executed).</summary>
    private static readonly string[] Unlimited = ["/healthz", "/readyz", "/error", "/error/{status:int}"];

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var rule in Table)
        {
            rows.Add(rule.Method, rule.Pattern);
        }

        return rows;
    }

    [Fact]
    public void Every_endpoint_has_a_row_and_every_row_an_endpoint()
    {
        var endpoints = site.Endpoints().Select(e => $"{e.Method} {e.Pattern}").Order().ToList();
        var rows = Table.Select(r => $"{r.Method} {r.Pattern}").Order().ToList();

        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Empty(endpoints.Except(rows)); // an endpoint nobody decided about
        Assert.Empty(rows.Except(endpoints)); // a row for an endpoint that is gone
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_role_gets_what_the_table_says(string method, string pattern)
    {
        var rule = Table.Single(r => r.Method == method && r.Pattern == pattern);

        var answers = new[]
        {
            await AnswerAsync(site.Anonymous, rule),
            await AnswerAsync(site.Clinician, rule),
            await AnswerAsync(site.Admin, rule),
        };

        Assert.Equal([rule.Anonymous, rule.Clinician, rule.Admin], answers);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_endpoint_has_the_rate_limit_the_table_says_and_every_anonymous_one_has_one(string method, string pattern)
    {
        var rule = Table.Single(r => r.Method == method && r.Pattern == pattern);
        var endpoint = site.Endpoints().Single(e => e.Method == method && e.Pattern == pattern);

        Assert.Equal(rule.RateLimit, endpoint.RateLimit);
        if (rule.Anonymous != Login && !Unlimited.Contains(pattern))
        {
            Assert.NotNull(rule.RateLimit);
        }
    }

    [Fact]
    public async Task The_hangfire_dashboards_own_actions_refuse_a_post_without_the_anti_forgery_token()
    {
        var response = await site.Admin.Client.PostAsync("/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "daily-digest")]));

        Assert.False(response.IsSuccessStatusCode, $"answered {(int)response.StatusCode}");
    }

    private static async Task<string> AnswerAsync(WebSession session, AccessRule rule)
    {
        var response = rule.Method == "POST"
            ? await session.Client.PostAsync(rule.Sample, new FormUrlEncodedContent([]))
            : await session.Client.GetAsync(rule.Sample);
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            return status;
        }

        var location = response.Headers.Location!;
        return $"{status} {(location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0])}";
    }

    public sealed record AccessRule(string Method, string Pattern, string Sample, string Anonymous, string Clinician, string Admin, string? RateLimit);

    /// <summary>A site with the shipped catalogue, an anonymous visitor, a clinician and an admin.</summary>
    public sealed class Site : IAsyncLifetime
    {
        private readonly TestDatabase _database = new();
        private TestSite _site = null!;

        public WebSession Anonymous { get; private set; } = null!;
        public WebSession Clinician { get; private set; } = null!;
        public WebSession Admin { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            await TestSite.LoadCatalogAsync(_database);
            _site = new TestSite(_database);
            Anonymous = _site.Visitor();
            Clinician = await WebSession.SignedInAsync(_site.Web, "clinician@example.org");
            Admin = await WebSession.SignedInAsync(_site.Web, "admin@example.org", Roles.Admin);
        }

        /// <summary>Each route endpoint as method ("*" for any), pattern with a leading slash, and rate-limit policy.</summary>
        public IReadOnlyList<(string Method, string Pattern, string? RateLimit)> Endpoints() =>
            _site.Web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(method =>
                    (method, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName)))
                .ToList();

        public async Task DisposeAsync()
        {
            await _site.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
