using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Core.Accounts;
using TrialFinder.Data.Accounts;
using TrialFinder.IntegrationTests.Features.Accounts;
using TrialFinder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace TrialFinder.IntegrationTests.Features.Security;

/// <summary>
/// Never a 500 on form input: every POST route of the site (from its endpoint data source) gets generated
/// form fields — the names its forms use and random ones, with the values of <see cref="QueryStringPropertyTests"/>
/// — posted by a signed-in admin with a valid anti-forgery token, so the forms' own handling is what is
/// tested. Seeded like the query-string test (TF_FUZZ_SEED, TF_FUZZ_FORM_CASES).
/// </summary>
public sealed partial class FormFieldPropertyTests(FormFieldPropertyTests.Site site, ITestOutputHelper output) : IClassFixture<FormFieldPropertyTests.Site>
{
    public const int DefaultCases = 400;

    private static readonly string[] FieldNames =
    [
        "Email", "Password", "ConfirmPassword", "ReturnUrl", "Token", "Name", "QueryString", "HomePlace", "DailyDigest", "nctId",
        "Note", "listId", "nctIds", "language", "returnUrl", "userId",
    ];

    private static readonly Gen<string> Fields = Gen.Select(
        Gen.Frequency((6, Gen.OneOf(FieldNames)), (1, Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz[]._"], 1, 12])),
        QueryStringPropertyTests.Values, Gen.Int[0, 9],
        (name, value, shape) => shape == 0 ? name + "=" : name + "=" + value);

    [Fact]
    public async Task No_post_route_answers_a_5xx_or_echoes_markup_for_any_form()
    {
        var seed = Environment.GetEnvironmentVariable("TF_FUZZ_SEED") is { Length: > 0 } given
            ? given
            : new PCG((uint)Random.Shared.Next(), (ulong)Random.Shared.NextInt64()).ToString();
        var cases = int.TryParse(Environment.GetEnvironmentVariable("TF_FUZZ_FORM_CASES"), out var wanted) && wanted > 0 ? wanted : DefaultCases;
        output.WriteLine($"TF_FUZZ_SEED={seed} ({cases} cases over {site.Routes.Count} POST routes)");

        var token = Uri.EscapeDataString(await site.Admin.AntiforgeryTokenAsync("/bookmarks"));
        var gen = Gen.Select(Gen.Int[0, site.Routes.Count - 1], Fields.Array[0, 6], (route, fields) => (Path: site.Routes[route], Fields: fields));
        var pcg = PCG.Parse(seed);
        var failures = new List<string>();
        for (var i = 0; i < cases; i++)
        {
            var (path, fields) = gen.Generate(pcg, null!, out _);
            var body = string.Join("&", fields.Append("__RequestVerificationToken=" + token));
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
            string? problem;
            try
            {
                using var response = await site.Admin.Client.PostAsync(path, content);
                var status = (int)response.StatusCode;
                var html = await response.Content.ReadAsStringAsync();
                problem = status >= 500 ? $"answered {status}"
                    : response.Content.Headers.ContentType?.MediaType == "text/html" && InjectedMarkup().Match(html) is { Success: true } markup
                        ? $"echoed markup: {markup.Value}"
                        : null;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The in-memory server passes on what even the error page could not handle (a real server answers 500).
                problem = $"failed even in the error handler: {exception.GetType().Name}: {exception.Message}";
            }

            if (problem is not null)
            {
                failures.Add($"case {i} POST {path} {(body.Length > 300 ? body[..300] + "…" : body)}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, $"TF_FUZZ_SEED={seed}: {failures.Count} of {cases} cases failed:\n{string.Join("\n", failures.Take(25))}");
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=""/)[^>]*>|<img src=x|<svg onload", RegexOptions.IgnoreCase)]
    private static partial Regex InjectedMarkup();

    /// <summary>The site with the shipped catalogue, a signed-in admin (who may post every form), and the POST routes.</summary>
    public sealed class Site : IAsyncLifetime
    {
        private readonly TestDatabase _database = new();
        private TestSite _site = null!;

        public WebSession Admin { get; private set; } = null!;
        public IReadOnlyList<string> Routes { get; private set; } = [];

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            await TestSite.LoadCatalogAsync(_database);
            _site = new TestSite(_database);
            Admin = await WebSession.SignedInAsync(_site.Web, "admin@example.org", Roles.Admin);
            await Admin.PostFormAsync("/bookmarks", "/bookmarks/add", new() { ["nctId"] = "NCT04711135" });
            await Admin.PostFormAsync("/bookmarks/lists", "/bookmarks/lists", new() { ["Name"] = "A list" });
            var bookmark = (await Admin.BookmarkIdAsync("NCT04711135")).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var list = (await Admin.ListIdAsync("A list")).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Routes = _site.Web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
                .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
                .Where(path => path != "/account/logout") // would end the admin's session
                .SelectMany(path => path.Contains("{id:long}", StringComparison.Ordinal)
                    ? [path.Replace("{id:long}", bookmark, StringComparison.Ordinal), path.Replace("{id:long}", list, StringComparison.Ordinal), path.Replace("{id:long}", "999999", StringComparison.Ordinal)]
                    : path.Contains("{token}", StringComparison.Ordinal)
                        ? [path.Replace("{token}", SecretToken.New(), StringComparison.Ordinal), path.Replace("{token}", "not-a-token", StringComparison.Ordinal)]
                        : new[] { path })
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Contains("/saved-searches", Routes);
            Assert.Contains("/account/register", Routes);
        }

        public async Task DisposeAsync()
        {
            await _site.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
