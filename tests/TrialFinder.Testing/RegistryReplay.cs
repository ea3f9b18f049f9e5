using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TrialFinder.Testing;

/// <summary>
/// An in-process stand-in for ClinicalTrials.gov API v2 over real HTTP, serving real study records
/// with the registry's behaviour: <c>query.cond</c> matching, <c>filter.advanced</c> on
/// LastUpdatePostDate, paging with opaque <c>nextPageToken</c>s tied to their query, <c>countTotal</c>
/// on the first page, 404 for unknown ids, 400 for bad parameters. Requests naming a parameter the
/// registry's OpenAPI spec does not list are answered 400 and recorded as spec violations.
/// Faults (429 with Retry-After, 503, slow answers, malformed JSON) can be scheduled on /studies requests.
/// </summary>
public sealed partial class RegistryReplay : IAsyncDisposable
{
    public const string DataTimestamp = "2026-11-24T09:12:53";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _studies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PageCursor> _cursors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, Fault> _faults = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private int _studiesRequests;

    private RegistryReplay(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public IReadOnlyCollection<RecordedRequest> Requests => _requests.ToArray();
    public IReadOnlyCollection<string> SpecViolations => _violations.ToArray();
    public int StudiesRequests => Volatile.Read(ref _studiesRequests);

    /// <summary>Called after a page of /studies has been sent; tests use it to stop a run between pages.</summary>
    public Action<int>? AfterStudiesPage { get; set; }

    /// <summary>Delay added to every /studies answer, to keep a run going while a test acts on it.</summary>
    public TimeSpan PageDelay { get; set; }

    public static async Task<RegistryReplay> StartAsync(IEnumerable<JsonObject> studies)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var replay = new RegistryReplay(app);
        foreach (var study in studies)
        {
            replay.Put(study);
        }

        app.MapGet("/api/v2/studies", (Delegate)replay.SearchAsync);
        app.MapGet("/api/v2/studies/{nctId}", (Delegate)replay.GetStudy);
        app.MapGet("/api/v2/version", (Delegate)replay.GetVersion);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        replay.BaseUrl = address.TrimEnd('/') + "/api/v2/";
        return replay;
    }

    public void Put(JsonObject study) => _studies[RegistryRecords.NctId(study)] = (JsonObject)study.DeepClone();

    public void Remove(string nctId) => _studies.TryRemove(nctId, out _);

    public JsonObject Get(string nctId) => (JsonObject)_studies[nctId].DeepClone();

    /// <summary>Changes a served record the way a registry update would, bumping its last-update date.</summary>
    public void Update(string nctId, DateOnly postedOn, Action<JsonObject> change)
    {
        var study = Get(nctId);
        change(study);
        var status = study["protocolSection"]!["statusModule"]!.AsObject();
        status["lastUpdatePostDateStruct"] = new JsonObject { ["date"] = postedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["type"] = "ACTUAL" };
        Put(study);
    }

    /// <summary>Makes the n-th /studies request from now (1 = the next one) fail with the given fault.</summary>
    public void FailStudiesRequest(int nthFromNow, Fault fault) => _faults[StudiesRequests + nthFromNow] = fault;

    /// <summary>The NCT ids the registry would return for a condition query (and optional update date), in served order.</summary>
    public IReadOnlyList<string> Matching(string condition, DateOnly? updatedSince = null) =>
        Select(condition, updatedSince).Select(RegistryRecords.NctId).ToList();

    private async Task<IResult> SearchAsync(HttpContext context)
    {
        var request = Record(context, "/studies");
        var number = Interlocked.Increment(ref _studiesRequests);
        if (request.Violation is { } violation)
        {
            return Problem(violation);
        }

        if (PageDelay > TimeSpan.Zero)
        {
            await Task.Delay(PageDelay, context.RequestAborted);
        }

        if (_faults.TryRemove(number, out var fault))
        {
            switch (fault)
            {
                case Fault.TooManyRequests(var retryAfter):
                    context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                    return Results.Text("Too Many Requests", statusCode: 429);
                case Fault.ServiceUnavailable:
                    return Results.Text("Service Unavailable", statusCode: 503);
                case Fault.Slow(var delay):
                    await Task.Delay(delay, context.RequestAborted);
                    break;
                case Fault.MalformedJson:
                    return Results.Text("{\"studies\": [{\"protocolSection\": {\"identificationModule\": ", "application/json", statusCode: 200);
            }
        }

        var query = context.Request.Query;
        if (!int.TryParse(query["pageSize"].FirstOrDefault() ?? "10", NumberStyles.None, CultureInfo.InvariantCulture, out var pageSize)
            || pageSize is < 1 or > 1000)
        {
            return Problem("pageSize must be a number from 1 to 1000");
        }

        DateOnly? since = null;
        if (query["filter.advanced"].FirstOrDefault() is { } advanced)
        {
            var match = LastUpdateRange().Match(advanced);
            if (!match.Success)
            {
                return Problem($"the replay supports only AREA[LastUpdatePostDate]RANGE[date,MAX], not '{advanced}'");
            }

            since = DateOnly.ParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        var condition = query["query.cond"].FirstOrDefault();
        var queryKey = $"{condition}|{query["query.term"]}|{query["filter.advanced"]}|{pageSize}";
        var offset = 0;
        if (query["pageToken"].FirstOrDefault() is { } token)
        {
            if (!_cursors.TryGetValue(token, out var cursor) || cursor.QueryKey != queryKey)
            {
                return Problem("pageToken is unknown or belongs to another query");
            }

            offset = cursor.Offset;
        }

        var matching = Select(condition, since);
        var page = matching.Skip(offset).Take(pageSize).ToList();
        var body = new JsonObject { ["studies"] = new JsonArray(page.Select(s => (JsonNode)s.DeepClone()).ToArray()) };
        if (offset + pageSize < matching.Count)
        {
            var next = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            _cursors[next] = new PageCursor(queryKey, offset + pageSize);
            body["nextPageToken"] = next;
        }

        if (offset == 0 && string.Equals(query["countTotal"].FirstOrDefault(), "true", StringComparison.Ordinal))
        {
            body["totalCount"] = matching.Count;
        }

        AfterStudiesPage?.Invoke(number);
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private IResult GetStudy(HttpContext context, string nctId)
    {
        var request = Record(context, "/studies/{nctId}");
        if (request.Violation is { } violation)
        {
            return Problem(violation);
        }

        return _studies.TryGetValue(nctId, out var study)
            ? Results.Text(study.ToJsonString(), "application/json")
            : Results.Text($"{{\"message\":\"NCT number {nctId} not found\"}}", "application/json", statusCode: 404);
    }

    private IResult GetVersion(HttpContext context)
    {
        var request = Record(context, "/version");
        return request.Violation is { } violation
            ? Problem(violation)
            : Results.Json(new { apiVersion = "2.0.4", dataTimestamp = DataTimestamp });
    }

    private RecordedRequest Record(HttpContext context, string specPath)
    {
        var allowed = RegistryOpenApi.Spec.QueryParameters(specPath);
        var unknown = context.Request.Query.Keys.Where(k => !allowed.Contains(k)).ToList();
        var violation = unknown.Count == 0 ? null : $"{specPath}: parameter(s) not in the registry's spec: {string.Join(", ", unknown)}";
        if (violation is not null)
        {
            _violations.Enqueue(violation);
        }

        var recorded = new RecordedRequest(
            DateTimeOffset.UtcNow, context.Request.Path + context.Request.QueryString, context.Request.Headers.UserAgent.ToString(), violation);
        _requests.Enqueue(recorded);
        return recorded;
    }

    private List<JsonObject> Select(string? condition, DateOnly? updatedSince)
    {
        var terms = (condition ?? "").Split(" OR ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => Normalize(t.Trim('"', '(', ')')))
            .ToList();
        return _studies.Values
            .Where(s => terms.Count == 0 || terms.Any(t => ConditionTexts(s).Any(text => Normalize(text).Contains(t, StringComparison.Ordinal))))
            .Where(s => updatedSince is null || LastUpdate(s) >= updatedSince)
            .OrderBy(RegistryRecords.NctId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Stands in for the registry's synonym matching: British spellings and hyphenation.</summary>
    private static string Normalize(string text) =>
        text.ToLowerInvariant().Replace("tumour", "tumor", StringComparison.Ordinal)
            .Replace("neoplasia", "neoplasm", StringComparison.Ordinal).Replace('-', ' ');

    /// <summary>The registry's ConditionSearch area: conditions, keywords and titles.</summary>
    private static IEnumerable<string> ConditionTexts(JsonObject study)
    {
        var protocol = study["protocolSection"]!;
        foreach (var node in protocol["conditionsModule"]?["conditions"]?.AsArray() ?? [])
        {
            yield return node!.GetValue<string>();
        }

        foreach (var node in protocol["conditionsModule"]?["keywords"]?.AsArray() ?? [])
        {
            yield return node!.GetValue<string>();
        }

        yield return protocol["identificationModule"]?["briefTitle"]?.GetValue<string>() ?? "";
        yield return protocol["identificationModule"]?["officialTitle"]?.GetValue<string>() ?? "";
    }

    private static DateOnly LastUpdate(JsonObject study)
    {
        var text = study["protocolSection"]?["statusModule"]?["lastUpdatePostDateStruct"]?["date"]?.GetValue<string>();
        if (text is null)
        {
            return DateOnly.MinValue;
        }

        return DateOnly.ParseExact(text.Length == 7 ? text + "-01" : text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static IResult Problem(string message) =>
        Results.Text(new JsonObject { ["message"] = message }.ToJsonString(), "application/json", statusCode: (int)HttpStatusCode.BadRequest);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"^AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]$")]
    private static partial Regex LastUpdateRange();

    private sealed record PageCursor(string QueryKey, int Offset);

    public abstract record Fault
    {
        public sealed record TooManyRequests(int RetryAfterSeconds) : Fault;
        public sealed record ServiceUnavailable : Fault;
        public sealed record Slow(TimeSpan Delay) : Fault;
        public sealed record MalformedJson : Fault;
    }
}

public sealed record RecordedRequest(DateTimeOffset At, string PathAndQuery, string UserAgent, string? Violation);
