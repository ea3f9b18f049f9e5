using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.TestInfrastructure;

/// <summary>The replay's faults and paging over HTTP, as a client sees them (what the product does with them is tested elsewhere).</summary>
public sealed class RegistryReplayTests : IAsyncLifetime
{
    private const string Neuroblastoma = "neuroblastoma OR ganglioneuroblastoma";

    private readonly HttpClient _http = new();
    private RegistryReplay _replay = null!;

    public async Task InitializeAsync() => _replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(300, seed: 11));

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _replay.DisposeAsync();
    }

    [Fact]
    public async Task A_truncated_query_ends_its_paging_early_while_countTotal_reports_every_study()
    {
        var matching = _replay.Matching(Neuroblastoma);
        Assert.True(matching.Count > 40, $"the catalogue should match more than 40 studies, not {matching.Count}");
        _replay.TruncateQuery(Neuroblastoma, 25);

        var (pages, ids) = await PageThroughAsync(Neuroblastoma, pageSize: 10);

        Assert.Equal(matching.Take(25), ids);
        Assert.Equal([10, 10, 5], pages.Select(p => p["studies"]!.AsArray().Count));
        Assert.Equal(matching.Count, pages[0]["totalCount"]!.GetValue<int>());
        Assert.Null(pages[^1]["nextPageToken"]);

        _replay.RestoreQuery(Neuroblastoma);
        Assert.Equal(matching, (await PageThroughAsync(Neuroblastoma, pageSize: 10)).Ids);
    }

    [Fact]
    public async Task Expired_page_tokens_are_rejected_with_400_and_a_message_while_a_new_query_pages_again()
    {
        var first = await GetJsonAsync(SearchUrl(Neuroblastoma, 10));
        var token = first["nextPageToken"]!.GetValue<string>();

        _replay.ExpirePageTokens();
        var (status, text) = await GetAsync(SearchUrl(Neuroblastoma, 10, token));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("expired", JsonNode.Parse(text)!["message"]!.GetValue<string>());
        var again = await GetJsonAsync(SearchUrl(Neuroblastoma, 10));
        var second = await GetJsonAsync(SearchUrl(Neuroblastoma, 10, again["nextPageToken"]!.GetValue<string>()));
        Assert.Equal(_replay.Matching(Neuroblastoma).Skip(10).Take(10), Ids(second));
    }

    [Fact]
    public async Task Page_tokens_older_than_their_lifetime_in_requests_are_rejected()
    {
        _replay.PageTokenLifetime = 2;
        var old = (await GetJsonAsync(SearchUrl(Neuroblastoma, 10)))["nextPageToken"]!.GetValue<string>();
        await GetJsonAsync(SearchUrl("carcinoid", 10));
        await GetJsonAsync(SearchUrl("carcinoid", 10));

        var (status, text) = await GetAsync(SearchUrl(Neuroblastoma, 10, old));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(JsonNode.Parse(text)!["message"]);
        var fresh = (await GetJsonAsync(SearchUrl(Neuroblastoma, 10)))["nextPageToken"]!.GetValue<string>();
        await GetJsonAsync(SearchUrl("carcinoid", 10));
        Assert.Equal(_replay.Matching(Neuroblastoma).Skip(10).Take(10), Ids(await GetJsonAsync(SearchUrl(Neuroblastoma, 10, fresh))));
    }

    [Fact]
    public async Task A_burst_of_server_errors_covers_exactly_the_scheduled_requests()
    {
        _replay.FailStudiesRequests(fromNth: 2, count: 3, new RegistryReplay.Fault.InternalServerError());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await GetAsync(SearchUrl(Neuroblastoma, 10))).Status);
        }

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK],
            statuses);
    }

    [Fact]
    public async Task A_stall_sends_the_headers_and_half_the_page_then_the_rest_after_the_delay()
    {
        _replay.FailStudiesRequest(1, new RegistryReplay.Fault.Stall(TimeSpan.FromSeconds(1.5)));
        var clock = Stopwatch.StartNew();

        using var response = await _http.GetAsync(_replay.BaseUrl + SearchUrl(Neuroblastoma, 20), HttpCompletionOption.ResponseHeadersRead);
        var headersAfter = clock.Elapsed;
        var body = await response.Content.ReadAsStringAsync();
        var bodyAfter = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(headersAfter < TimeSpan.FromSeconds(1), $"headers came after {headersAfter}");
        Assert.True(bodyAfter >= TimeSpan.FromSeconds(1.4), $"the whole body came after only {bodyAfter}");
        Assert.Equal(_replay.Matching(Neuroblastoma).Take(20), Ids(JsonNode.Parse(body)!.AsObject()));
    }

    [Fact]
    public async Task Slow_sends_nothing_until_the_delay_has_passed()
    {
        _replay.FailStudiesRequest(1, new RegistryReplay.Fault.Slow(TimeSpan.FromSeconds(1)));
        var clock = Stopwatch.StartNew();

        using var response = await _http.GetAsync(_replay.BaseUrl + SearchUrl(Neuroblastoma, 5), HttpCompletionOption.ResponseHeadersRead);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"headers came after only {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_truncated_body_is_a_200_holding_the_start_of_the_real_page_cut_in_the_middle()
    {
        _replay.FailStudiesRequest(1, new RegistryReplay.Fault.TruncatedBody());

        var (status, truncated) = await GetAsync(SearchUrl(Neuroblastoma, 10));
        var (_, whole) = await GetAsync(SearchUrl(Neuroblastoma, 10));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith(truncated, whole, StringComparison.Ordinal);
        Assert.InRange(truncated.Length, whole.Length * 0.4, whole.Length * 0.6);
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(truncated));
        Assert.Equal(10, JsonNode.Parse(whole)!["studies"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_dropped_connection_ends_the_answer_before_its_announced_length()
    {
        _replay.FailStudiesRequest(1, new RegistryReplay.Fault.DroppedConnection());

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _http.GetStringAsync(_replay.BaseUrl + SearchUrl(Neuroblastoma, 10)));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(SearchUrl(Neuroblastoma, 10))).Status);
    }

    [Fact]
    public async Task Study_lookups_fail_as_scheduled_then_answer_normally()
    {
        var nctId = _replay.Matching(Neuroblastoma)[0];
        _replay.FailStudyLookup(nctId, new RegistryReplay.Fault.NotFound());
        _replay.FailStudyLookup(nctId, new RegistryReplay.Fault.InternalServerError(), times: 2);

        var answers = new List<(HttpStatusCode Status, string Text)>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await GetAsync($"studies/{nctId}"));
        }

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK],
            answers.Select(a => a.Status));
        Assert.Equal($"NCT number {nctId} not found", JsonNode.Parse(answers[0].Text)!["message"]!.GetValue<string>());
        Assert.Equal(_replay.Get(nctId).ToJsonString(), answers[3].Text);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"studies/{_replay.Matching(Neuroblastoma)[1]}")).Status);
    }

    [Fact]
    public async Task Paging_through_thousands_of_studies_serves_each_once_in_order_and_follows_changes_to_the_catalogue()
    {
        await using var replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(5_000, seed: 3));
        var matching = replay.Matching(Neuroblastoma);
        Assert.InRange(matching.Count, 1_000, 5_000);

        var served = await PageThroughAsync(replay, Neuroblastoma, pageSize: 1000);

        Assert.Equal(matching, served.Ids);
        Assert.Equal(served.Ids.Count, served.Ids.Distinct().Count());

        var today = ScaleCatalog.LastDate.AddDays(1);
        replay.Update(matching[7], today, study => study["protocolSection"]!["identificationModule"]!["briefTitle"] = "Changed [generated test study]");
        replay.Remove(matching[8]);
        var since = (await PageThroughAsync(replay, Neuroblastoma, pageSize: 1000, today)).Ids;
        var after = (await PageThroughAsync(replay, Neuroblastoma, pageSize: 1000)).Ids;

        Assert.Equal([matching[7]], since);
        Assert.Equal(matching.Where((_, i) => i != 8), after);
    }

    private Task<(List<JsonObject> Pages, List<string> Ids)> PageThroughAsync(string condition, int pageSize) =>
        PageThroughAsync(_replay, condition, pageSize);

    private async Task<(List<JsonObject> Pages, List<string> Ids)> PageThroughAsync(
        RegistryReplay replay, string condition, int pageSize, DateOnly? since = null)
    {
        var pages = new List<JsonObject>();
        string? token = null;
        do
        {
            var url = replay.BaseUrl + SearchUrl(condition, pageSize, token, since) + (token is null ? "&countTotal=true" : "");
            var page = JsonNode.Parse(await _http.GetStringAsync(url))!.AsObject();
            pages.Add(page);
            token = page["nextPageToken"]?.GetValue<string>();
        }
        while (token is not null);

        return (pages, pages.SelectMany(Ids).ToList());
    }

    private async Task<JsonObject> GetJsonAsync(string relativeUrl) =>
        JsonNode.Parse(await _http.GetStringAsync(_replay.BaseUrl + relativeUrl))!.AsObject();

    private async Task<(HttpStatusCode Status, string Text)> GetAsync(string relativeUrl)
    {
        using var response = await _http.GetAsync(_replay.BaseUrl + relativeUrl);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string SearchUrl(string condition, int pageSize, string? pageToken = null, DateOnly? since = null) =>
        $"studies?query.cond={Uri.EscapeDataString(condition)}&pageSize={pageSize}"
        + (since is { } date ? "&filter.advanced=" + Uri.EscapeDataString($"AREA[LastUpdatePostDate]RANGE[{date:yyyy-MM-dd},MAX]") : "")
        + (pageToken is null ? "" : $"&pageToken={pageToken}");

    private static IEnumerable<string> Ids(JsonObject page) =>
        page["studies"]!.AsArray().Select(s => s!["protocolSection"]!["identificationModule"]!["nctId"]!.GetValue<string>());
}
