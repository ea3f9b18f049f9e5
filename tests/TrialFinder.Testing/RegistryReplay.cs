using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
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
/// Faults (429 with Retry-After, 500, 503, slow answers, stalls, malformed or truncated JSON, dropped
/// connections, expired page tokens, truncated queries) can be scheduled.
/// Built for catalogues of 100,000 studies: records are kept as UTF-8 bytes, each study's searchable
/// text and last-update date are computed once when it is stored, and the ordered ids a query selects
/// are cached until the catalogue changes, so serving a page costs the page, not the catalogue.
/// </summary>
public sealed partial class RegistryReplay : IAsyncDisposable
{
    public const string DataTimestamp = "2026-11-24T09:12:53";

    private const string AnyLoopbackPort = "http://127.0.0.1:0";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, StoredStudy> _studies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _searchTexts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Selection> _selections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PageCursor> _cursors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, Fault> _faults = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _lookupFaults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _truncatedQueries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private int _studiesRequests;
    private int _tokensExpiredThroughRequest;
    private long _catalogueVersion;

    private RegistryReplay(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public IReadOnlyCollection<RecordedRequest> Requests => _requests.ToArray();
    public IReadOnlyCollection<string> SpecViolations => _violations.ToArray();
    public int StudiesRequests => Volatile.Read(ref _studiesRequests);

    /// <summary>How many studies the replay serves.</summary>
    public int Count => _studies.Count;

    /// <summary>Called after a page of /studies has been sent; tests use it to stop a run between pages.</summary>
    public Action<int>? AfterStudiesPage { get; set; }

    /// <summary>Delay added to every /studies answer, to keep a run going while a test acts on it.</summary>
    public TimeSpan PageDelay { get; set; }

    /// <summary>
    /// When set, a page token expires once more than this many /studies requests have arrived since the
    /// request that issued it (1: only the very next request may use it). Null: tokens never expire.
    /// </summary>
    public int? PageTokenLifetime { get; set; }

    public static Task<RegistryReplay> StartAsync(IEnumerable<JsonObject> studies) =>
        StartAsync(studies.Select(StudyRecord.FromJson));

    /// <summary>Starts a replay of the given records (read lazily, one at a time) listening on <paramref name="url"/>.</summary>
    public static async Task<RegistryReplay> StartAsync(IEnumerable<StudyRecord> records, string url = AnyLoopbackPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var replay = new RegistryReplay(app);
        foreach (var record in records)
        {
            replay.Put(record);
        }

        app.MapGet("/api/v2/studies", (Delegate)replay.SearchAsync);
        app.MapGet("/api/v2/studies/{nctId}", (Delegate)replay.GetStudyAsync);
        app.MapGet("/api/v2/version", (Delegate)replay.GetVersion);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        replay.BaseUrl = address.TrimEnd('/') + "/api/v2/";
        return replay;
    }

    public void Put(JsonObject study) => Put(StudyRecord.FromJson(study));

    public void Put(StudyRecord record)
    {
        using (var document = JsonDocument.Parse(record.Utf8Json))
        {
            var searchText = Normalize(string.Join('\n', ConditionTexts(document.RootElement)));
            _studies[record.NctId] = new StoredStudy(record, _searchTexts.GetOrAdd(searchText, searchText), LastUpdate(document.RootElement));
        }

        // After the store, so a selection computed meanwhile is never cached as current.
        Interlocked.Increment(ref _catalogueVersion);
    }

    public void Remove(string nctId)
    {
        _studies.TryRemove(nctId, out _);
        Interlocked.Increment(ref _catalogueVersion);
    }

    public JsonObject Get(string nctId) => _studies[nctId].Record.ToJsonObject();

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

    /// <summary>A burst: <paramref name="count"/> consecutive /studies requests, the first being the n-th from now (1 = the next one), fail with the fault.</summary>
    public void FailStudiesRequests(int fromNth, int count, Fault fault)
    {
        var first = StudiesRequests + fromNth;
        for (var number = first; number < first + count; number++)
        {
            _faults[number] = fault;
        }
    }

    /// <summary>The next <paramref name="times"/> requests for <c>/studies/{nctId}</c> fail with the fault (<see cref="Fault.NotFound"/> answers as for an unknown id).</summary>
    public void FailStudyLookup(string nctId, Fault fault, int times = 1)
    {
        var queue = _lookupFaults.GetOrAdd(nctId, _ => new ConcurrentQueue<Fault>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>
    /// A truncated catalogue: paging through the query whose <c>query.cond</c> is exactly <paramref name="condition"/>
    /// ends (a last page without nextPageToken) after <paramref name="servedStudies"/> studies, while <c>totalCount</c>
    /// still reports every study the query matches.
    /// </summary>
    public void TruncateQuery(string condition, int servedStudies)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(servedStudies);
        _truncatedQueries[condition] = servedStudies;
    }

    /// <summary>Ends a <see cref="TruncateQuery"/>: the query pages through all its studies again.</summary>
    public void RestoreQuery(string condition) => _truncatedQueries.TryRemove(condition, out _);

    /// <summary>Every page token issued so far is rejected from now on (400), as after the registry forgot them.</summary>
    public void ExpirePageTokens() => Volatile.Write(ref _tokensExpiredThroughRequest, StudiesRequests);

    /// <summary>The NCT ids the registry would return for a condition query (and optional update date), in served order, ignoring <see cref="TruncateQuery"/>.</summary>
    public IReadOnlyList<string> Matching(string condition, DateOnly? updatedSince = null) => Array.AsReadOnly(Select(condition, updatedSince));

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

        _faults.TryRemove(number, out var fault);
        if (await AnswerFaultAsync(fault, context, notFoundMessage: "Not Found") is { } faulted)
        {
            return faulted;
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

            // Assumption: the registry answers a token it no longer honours as it answers any bad
            // parameter, 400 with a JSON {"message": ...} body; its documentation does not say.
            if (cursor.IssuedByRequest <= Volatile.Read(ref _tokensExpiredThroughRequest)
                || (PageTokenLifetime is { } lifetime && number - cursor.IssuedByRequest > lifetime))
            {
                return Problem("pageToken has expired; start the query again without it");
            }

            offset = cursor.Offset;
        }

        var matching = Select(condition, since);
        var served = condition is not null && _truncatedQueries.TryGetValue(condition, out var limit)
            ? Math.Min(limit, matching.Length)
            : matching.Length;
        var from = Math.Min(offset, served);
        var to = Math.Min(from + pageSize, served);
        string? next = null;
        if (to < served)
        {
            next = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            _cursors[next] = new PageCursor(queryKey, to, number);
        }

        var totalCount = offset == 0 && string.Equals(query["countTotal"].FirstOrDefault(), "true", StringComparison.Ordinal)
            ? matching.Length
            : (int?)null;
        var body = PageBody(matching, from, to, next, totalCount);
        AfterStudiesPage?.Invoke(number);
        return new JsonAnswer(body, fault);
    }

    private async Task<IResult> GetStudyAsync(HttpContext context, string nctId)
    {
        var request = Record(context, "/studies/{nctId}");
        if (request.Violation is { } violation)
        {
            return Problem(violation);
        }

        var notFound = $"NCT number {nctId} not found";
        Fault? fault = null;
        if (_lookupFaults.TryGetValue(nctId, out var faults))
        {
            faults.TryDequeue(out fault);
        }

        if (await AnswerFaultAsync(fault, context, notFound) is { } faulted)
        {
            return faulted;
        }

        return _studies.TryGetValue(nctId, out var study)
            ? new JsonAnswer(study.Record.Utf8Json, fault)
            : NotFound(notFound);
    }

    private IResult GetVersion(HttpContext context)
    {
        var request = Record(context, "/version");
        return request.Violation is { } violation
            ? Problem(violation)
            : Results.Json(new { apiVersion = "2.0.4", dataTimestamp = DataTimestamp });
    }

    /// <summary>The answer a fault replaces the normal one with, or null when the normal answer follows (possibly altered as it is written).</summary>
    private static async Task<IResult?> AnswerFaultAsync(Fault? fault, HttpContext context, string notFoundMessage)
    {
        switch (fault)
        {
            case Fault.TooManyRequests(var retryAfter):
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return Results.Text("Too Many Requests", statusCode: 429);
            case Fault.ServiceUnavailable:
                return Results.Text("Service Unavailable", statusCode: 503);
            case Fault.InternalServerError:
                return Results.Text("Internal Server Error", statusCode: 500);
            case Fault.NotFound:
                return NotFound(notFoundMessage);
            case Fault.Slow(var delay):
                await Task.Delay(delay, context.RequestAborted);
                return null;
            case Fault.MalformedJson:
                return Results.Text("{\"studies\": [{\"protocolSection\": {\"identificationModule\": ", "application/json", statusCode: 200);
            default:
                return null;
        }
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

    /// <summary>The ids a query selects in served order, computed once per catalogue version.</summary>
    private string[] Select(string? condition, DateOnly? updatedSince)
    {
        var key = $"{condition}\n{updatedSince:yyyy-MM-dd}";
        var version = Interlocked.Read(ref _catalogueVersion);
        if (_selections.TryGetValue(key, out var cached) && cached.CatalogueVersion == version)
        {
            return cached.Ids;
        }

        var terms = (condition ?? "").Split(" OR ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => Normalize(t.Trim('"', '(', ')')))
            .ToList();
        var ids = _studies
            .Where(s => terms.Count == 0 || terms.Any(t => s.Value.SearchText.Contains(t, StringComparison.Ordinal)))
            .Where(s => updatedSince is null || s.Value.LastUpdate >= updatedSince)
            .Select(s => s.Key)
            .ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        _selections[key] = new Selection(version, ids);
        return ids;
    }

    /// <summary>The page as a sequence of byte segments: the stored records are written out as they are, never copied into one buffer.</summary>
    private List<ReadOnlyMemory<byte>> PageBody(string[] ids, int from, int to, string? nextPageToken, int? totalCount)
    {
        var body = new List<ReadOnlyMemory<byte>>(2 * (to - from) + 3) { "{\"studies\":["u8.ToArray() };
        var comma = ","u8.ToArray();
        for (var i = from; i < to; i++)
        {
            if (!_studies.TryGetValue(ids[i], out var study))
            {
                continue; // removed since the selection was made
            }

            if (body.Count > 1)
            {
                body.Add(comma);
            }

            body.Add(study.Record.Utf8Json);
        }

        var tail = new StringBuilder("]");
        if (nextPageToken is not null)
        {
            tail.Append(CultureInfo.InvariantCulture, $",\"nextPageToken\":\"{nextPageToken}\"");
        }

        if (totalCount is { } total)
        {
            tail.Append(CultureInfo.InvariantCulture, $",\"totalCount\":{total}");
        }

        body.Add(Encoding.UTF8.GetBytes(tail.Append('}').ToString()));
        return body;
    }

    /// <summary>Stands in for the registry's synonym matching: British spellings and hyphenation.</summary>
    private static string Normalize(string text) =>
        text.ToLowerInvariant().Replace("tumour", "tumor", StringComparison.Ordinal)
            .Replace("neoplasia", "neoplasm", StringComparison.Ordinal).Replace('-', ' ');

    /// <summary>The registry's ConditionSearch area: conditions, keywords and titles.</summary>
    private static IEnumerable<string> ConditionTexts(JsonElement study)
    {
        if (!study.TryGetProperty("protocolSection", out var protocol))
        {
            yield break;
        }

        if (protocol.TryGetProperty("conditionsModule", out var conditions))
        {
            foreach (var name in new[] { "conditions", "keywords" })
            {
                if (conditions.TryGetProperty(name, out var texts) && texts.ValueKind == JsonValueKind.Array)
                {
                    foreach (var text in texts.EnumerateArray())
                    {
                        yield return text.GetString() ?? "";
                    }
                }
            }
        }

        if (protocol.TryGetProperty("identificationModule", out var identification))
        {
            foreach (var name in new[] { "briefTitle", "officialTitle" })
            {
                if (identification.TryGetProperty(name, out var title) && title.ValueKind == JsonValueKind.String)
                {
                    yield return title.GetString()!;
                }
            }
        }
    }

    private static DateOnly LastUpdate(JsonElement study)
    {
        if (!study.TryGetProperty("protocolSection", out var protocol)
            || !protocol.TryGetProperty("statusModule", out var status)
            || !status.TryGetProperty("lastUpdatePostDateStruct", out var lastUpdate)
            || !lastUpdate.TryGetProperty("date", out var date)
            || date.GetString() is not { } text)
        {
            return DateOnly.MinValue;
        }

        return DateOnly.ParseExact(text.Length == 7 ? text + "-01" : text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static IResult Problem(string message) =>
        Results.Text(new JsonObject { ["message"] = message }.ToJsonString(), "application/json", statusCode: (int)HttpStatusCode.BadRequest);

    private static IResult NotFound(string message) =>
        Results.Text(new JsonObject { ["message"] = message }.ToJsonString(), "application/json", statusCode: (int)HttpStatusCode.NotFound);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"^AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]$")]
    private static partial Regex LastUpdateRange();

    private sealed record StoredStudy(StudyRecord Record, string SearchText, DateOnly LastUpdate);

    private sealed record Selection(long CatalogueVersion, string[] Ids);

    private sealed record PageCursor(string QueryKey, int Offset, int IssuedByRequest);

    /// <summary>A 200 JSON answer made of byte segments, written whole or in the way a body fault says.</summary>
    private sealed class JsonAnswer(IReadOnlyList<ReadOnlyMemory<byte>> body, Fault? fault) : IResult
    {
        private const int FlushEvery = 64 * 1024;

        public JsonAnswer(ReadOnlyMemory<byte> body, Fault? fault)
            : this([body], fault)
        {
        }

        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            var aborted = context.RequestAborted;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
            var length = body.Sum(segment => (long)segment.Length);
            var half = length / 2;
            switch (fault)
            {
                case Fault.Stall(var stall):
                    response.ContentLength = length;
                    await WriteAsync(response, 0, half, aborted);
                    await Task.Delay(stall, aborted);
                    await WriteAsync(response, half, length, aborted);
                    break;
                case Fault.TruncatedBody:
                    // No Content-Length: the answer ends cleanly (chunked), so only the JSON shows the cut.
                    await WriteAsync(response, 0, half, aborted);
                    break;
                case Fault.DroppedConnection:
                    response.ContentLength = length;
                    await WriteAsync(response, 0, half, aborted);
                    context.Abort();
                    break;
                default:
                    response.ContentLength = length;
                    await WriteAsync(response, 0, length, aborted);
                    break;
            }
        }

        /// <summary>Writes bytes [from, to) of the body, flushing as it goes.</summary>
        private async Task WriteAsync(HttpResponse response, long from, long to, CancellationToken cancellationToken)
        {
            var writer = response.BodyWriter;
            long position = 0, unflushed = 0;
            foreach (var segment in body)
            {
                var start = Math.Max(from, position);
                var end = Math.Min(to, position + segment.Length);
                if (start < end)
                {
                    writer.Write(segment.Span[(int)(start - position)..(int)(end - position)]);
                    unflushed += end - start;
                    if (unflushed >= FlushEvery)
                    {
                        await writer.FlushAsync(cancellationToken);
                        unflushed = 0;
                    }
                }

                position += segment.Length;
            }

            await writer.FlushAsync(cancellationToken);
        }
    }

    public abstract record Fault
    {
        /// <summary>429 with a Retry-After header.</summary>
        public sealed record TooManyRequests(int RetryAfterSeconds) : Fault;

        /// <summary>503.</summary>
        public sealed record ServiceUnavailable : Fault;

        /// <summary>500.</summary>
        public sealed record InternalServerError : Fault;

        /// <summary>404 with the registry's {"message"} body, as for an unknown id.</summary>
        public sealed record NotFound : Fault;

        /// <summary>Nothing at all (not even headers) for the delay, then the normal answer.</summary>
        public sealed record Slow(TimeSpan Delay) : Fault;

        /// <summary>Headers and the first half of the normal body, then nothing for the delay, then the rest.</summary>
        public sealed record Stall(TimeSpan Delay) : Fault;

        /// <summary>A 200 whose body is a fixed fragment of JSON.</summary>
        public sealed record MalformedJson : Fault;

        /// <summary>A 200 whose body is the first half of the real answer and ends there cleanly.</summary>
        public sealed record TruncatedBody : Fault;

        /// <summary>A 200 announcing the full length whose connection is dropped after half the body.</summary>
        public sealed record DroppedConnection : Fault;
    }
}

public sealed record RecordedRequest(DateTimeOffset At, string PathAndQuery, string UserAgent, string? Violation);
