using System.Text;
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
/// Never a 500 on input: every GET route the site exposes (found in its endpoint data source, pages and API,
/// the Hangfire dashboard included) gets generated query strings — blank, repeated, huge, markup, SQL-looking,
/// broken percent-encoding and odd Unicode values, for the parameter names the site knows and for random
/// ones — from an anonymous visitor and from an admin. No answer may be a 5xx, and no HTML page may carry a
/// script or markup that came from the input. The cases come from one seed (printed; set TF_FUZZ_SEED to
/// replay a run, TF_FUZZ_CASES for more cases), so a failing run is reproduced exactly.
/// </summary>
public sealed partial class QueryStringPropertyTests(QueryStringPropertyTests.Site site, ITestOutputHelper output)
    : IClassFixture<QueryStringPropertyTests.Site>
{
    public const int DefaultCases = 1200;

    /// <summary>Every query parameter some route reads, and a few that look important.</summary>
    private static readonly string[] KnownNames =
    [
        "age", "ageMonths", "near", "lat", "lon", "radiusKm", "radius", "unit", "therapy", "disease", "refractory", "status",
        "phase", "country", "q", "sort", "page", "pageSize", "limit", "list", "query", "returnUrl", "ReturnUrl", "userId", "token",
        "email", "seen", "culture", "ui-culture", "from", "count", "id", "__RequestVerificationToken",
    ];

    /// <summary>Values as they go on the wire: raw fragments (kept as they are) or text (percent-encoded as UTF-8).</summary>
    public static readonly Gen<string> Values = Gen.Frequency(
        (3, Gen.OneOf("", " ", "  ", "\t", "\r\n").Select(Encode)),
        (2, Gen.OneOf("+", "%", "%2", "%zz", "%00", "%C3%28", "%FF%FE", "%ED%A0%80", "%E2%80%AE", "%EF%BF%BF", "&", "==", "=", ";")),
        (3, Gen.OneOf(
            "<script>alert(1)</script>", "\"><script>alert(1)</script>", "'><img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
            "javascript:alert(1)", "</textarea><script>alert(1)</script>", "{{7*7}}", "${7*7}", "@(7*7)").Select(Encode)),
        (3, Gen.OneOf(
            "' OR '1'='1", "'; DROP TABLE studies; --", "1; SELECT pg_sleep(5)", "\" OR \"\"=\"", "%' --", "1 UNION SELECT password_hash FROM \"AspNetUsers\"",
            "\\", "\\'", "NULL", "null", "undefined").Select(Encode)),
        (3, Gen.OneOf(
            "-1", "0", "1e308", "-1e308", "NaN", "Infinity", "99999999999999999999999", "3.5", "3,5", "0x10", "١٢", "３", "½", "1_000",
            "9223372036854775808", "-0", "+5", "2147483648").Select(Encode)),
        (3, Gen.OneOf(
            "anti-gd2", "mibg", "lu177-prrt", "RECRUITING", "PHASE2", "neuroblastoma", "net", "true", "false", "Lyon", "75001", "10001",
            "Paris, TX", "km", "mi", "distance", "updated", "relevance", "NCT04711135", "/bookmarks", "//evil.example", "https://evil.example").Select(Encode)),
        (2, Gen.OneOf("\u202Eevil", "👶🏽", "e\u0301", "\u200B", "\u00A0", "Ω", "ß", "İ", "\uFEFF", "\u0000", "\uFFFF", "\u0007").Select(Encode)),
        (2, Gen.OneOf(new string('9', 3000), new string('a', 9000), string.Concat(Enumerable.Repeat("Lyon ", 2000)), string.Concat(Enumerable.Repeat("<b>", 1000))).Select(Encode)),
        (4, Gen.String[0, 40].Select(Encode)));

    private static readonly Gen<string> Names = Gen.Frequency(
        (6, Gen.OneOf(KnownNames)),
        (1, Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.[]"], 1, 16]),
        (1, Gen.String[0, 12].Select(Encode)));

    /// <summary>One parameter: name=value, a bare name, a bare =value, or name= (blank).</summary>
    private static readonly Gen<string> Pairs = Gen.Select(Names, Values, Gen.Int[0, 9], (name, value, shape) => shape switch
    {
        0 => name,
        1 => "=" + value,
        2 => name + "=",
        _ => name + "=" + value,
    });

    private static readonly Gen<string> QueryStrings = Gen.Select(Pairs.Array[0, 8], Gen.Int[0, 4], (pairs, repeat) =>
        // Sometimes one parameter many times over (repeatable filters and their binders).
        string.Join("&", repeat == 0 && pairs.Length > 0 ? Enumerable.Repeat(pairs[0], 30).Concat(pairs) : pairs));

    [Fact]
    public async Task No_get_route_answers_a_5xx_or_echoes_markup_for_any_query_string()
    {
        var seed = Environment.GetEnvironmentVariable("TF_FUZZ_SEED") is { Length: > 0 } given
            ? given
            : new PCG((uint)Random.Shared.Next(), (ulong)Random.Shared.NextInt64()).ToString();
        var cases = int.TryParse(Environment.GetEnvironmentVariable("TF_FUZZ_CASES"), out var wanted) && wanted > 0 ? wanted : DefaultCases;
        output.WriteLine($"TF_FUZZ_SEED={seed} ({cases} cases over {site.Routes.Count} GET routes)");

        var routes = site.Routes;
        var gen = Gen.Select(Gen.Int[0, routes.Count - 1], Gen.Int[0, 9], QueryStrings, Gen.Bool,
            (route, sample, query, asAdmin) => (Path: routes[route].Sample(sample), Query: query, AsAdmin: asAdmin));
        var pcg = PCG.Parse(seed);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < cases; i++)
        {
            var (path, query, asAdmin) = gen.Generate(pcg, null!, out _);
            var url = query.Length == 0 ? path : path + "?" + query;
            var session = asAdmin ? site.Admin : site.Anonymous;
            string? problem;
            try
            {
                using var response = await session.Client.GetAsync(new Uri(url, UriKind.Relative));
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var body = await response.Content.ReadAsStringAsync();
                problem = status >= 500 ? $"answered {status}"
                    : response.Content.Headers.ContentType?.MediaType == "text/html" && InjectedMarkup().Match(body) is { Success: true } markup
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
                failures.Add($"case {i} ({(asAdmin ? "admin" : "anonymous")}) GET {Shorten(url)}: {problem}");
            }
        }

        output.WriteLine("Answers: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0,
            $"TF_FUZZ_SEED={seed}: {failures.Count} of {cases} cases failed:\n{string.Join("\n", failures.Take(25))}");
    }

    /// <summary>Text as a query value: UTF-8 bytes, every byte outside the unreserved set percent-encoded (lone surrogates become U+FFFD).</summary>
    private static string Encode(string text)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static string Shorten(string url) => url.Length > 300 ? url[..300] + "…" : url;

    /// <summary>A script element that is not one of the site's own files, or an event handler / markup from the generated values.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=""/)[^>]*>|<img src=x|<svg onload", RegexOptions.IgnoreCase)]
    private static partial Regex InjectedMarkup();

    /// <summary>A GET route and the path values to try in it (valid ones and garbage).</summary>
    public sealed record Route(string Pattern, IReadOnlyList<string> Paths)
    {
        public string Sample(int index) => Paths[index % Paths.Count];
    }

    /// <summary>The site with the shipped catalogue, its GET routes, an anonymous visitor and an admin (who may open every page).</summary>
    public sealed partial class Site : IAsyncLifetime
    {
        private static readonly Dictionary<string, string[]> ParameterSamples = new()
        {
            ["nctId"] = ["NCT04711135", "NCT03363373", "nct04711135", "NCT0000", "NCT99999999", "%3Cscript%3E", "NCT04711135%20", "%E2%80%AE"],
            ["slug"] = ["anti-gd2", "mibg", "lu177-prrt", "homeopathy", "%3Cscript%3E", "..%2F..%2Fetc"],
            ["token"] = [SecretToken.New(), "0123456789abcdef0123456789abcdef0123456789abcdef", "short", "%3Cscript%3E", new string('f', 48), new string('A', 48)],
            ["id"] = ["1", "999999", "0", "-1", "9223372036854775807"],
            ["status"] = ["404", "500", "429", "0", "-1"],
            ["documentName"] = ["v1", "v2", "%3Cscript%3E"],
            ["path"] = ["", "jobs/enqueued", "jobs/succeeded", "recurring", "servers", "retries", "jobs/details/1", "jobs/enqueued/fetched/default"],
        };

        private readonly TestDatabase _database = new();
        private TestSite _site = null!;

        public WebSession Anonymous { get; private set; } = null!;
        public WebSession Admin { get; private set; } = null!;
        public IReadOnlyList<Route> Routes { get; private set; } = [];

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            await TestSite.LoadCatalogAsync(_database);
            _site = new TestSite(_database);
            Anonymous = _site.Visitor();
            Admin = await WebSession.SignedInAsync(_site.Web, "admin@example.org", Roles.Admin);
            Routes = _site.Web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is not { } methods || methods.Contains("GET"))
                .Select(e => new Route(e.RoutePattern.RawText!, Fill("/" + e.RoutePattern.RawText!.TrimStart('/'))))
                .OrderBy(r => r.Pattern, StringComparer.Ordinal)
                .ToList();
            Assert.Contains(Routes, r => r.Pattern.Contains("api/trials", StringComparison.Ordinal));
            Assert.Contains(Routes, r => r.Pattern.Contains("hangfire", StringComparison.Ordinal));
        }

        public async Task DisposeAsync()
        {
            await _site.DisposeAsync();
            await _database.DisposeAsync();
        }

        /// <summary>The pattern with each {parameter} replaced by each of its samples.</summary>
        private static IReadOnlyList<string> Fill(string pattern)
        {
            var parameter = Parameter().Match(pattern);
            if (!parameter.Success)
            {
                return [pattern];
            }

            var name = parameter.Groups[1].Value;
            var samples = ParameterSamples.TryGetValue(name, out var known)
                ? known
                : throw new InvalidOperationException($"No samples for route parameter '{name}' in {pattern}: add some to ParameterSamples.");
            return samples.SelectMany(sample => Fill(pattern[..parameter.Index] + sample + pattern[(parameter.Index + parameter.Length)..])).ToList();
        }

        [GeneratedRegex(@"\{\*{0,2}([A-Za-z]+)(?::[^}]*)?\}")]
        private static partial Regex Parameter();
    }
}
