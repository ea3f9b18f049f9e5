using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrialFinder.Core.Geo;
using TrialFinder.Core.Studies;
using TrialFinder.Core.SyncRuns;
using TrialFinder.Data.Search;
using TrialFinder.Infrastructure.Jobs;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Syncing;
using TrialFinder.Testing;
using Xunit.Abstractions;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>
/// Searches over a generated catalogue of 2,000 studies (about 20,000 sites at real places) ingested through the real
/// sync path: reading the nearest trials first gives exactly the page the whole radius gives, and a search that
/// matches more trials than it counts says "more than" instead of an exact figure.
/// </summary>
public sealed class ScaleSearchTests(ScaleSearchTests.Catalogue catalogue, ITestOutputHelper output) : IClassFixture<ScaleSearchTests.Catalogue>
{
    private static readonly GeoPoint Paris = new(48.8566, 2.3522);

    public sealed class Catalogue : IAsyncLifetime
    {
        public TestDatabase Database { get; } = new();
        public WebTestHost Web { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            await using (var replay = await RegistryReplay.StartAsync(ScaleCatalog.Generate(2_000, seed: 11)))
            {
                using var host = SyncHost.Create(Database, replay, pageSize: 200, timeoutSeconds: 30, queries: SyncOptions.DefaultQueries);
                var summary = await host.SyncAsync(RunSync.Command.Full());
                Assert.Equal(SyncOutcome.Succeeded, summary.Outcome);
            }

            Web = new WebTestHost(Database);
        }

        public async Task DisposeAsync()
        {
            await Web.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reading_the_nearest_trials_first_gives_the_page_total_and_site_counts_of_the_whole_radius()
    {
        await using var connection = new NpgsqlConnection(catalogue.Database.ConnectionString);
        await connection.OpenAsync();
        var places = await SitePlacesAsync(connection);
        var filters = new Func<StudySearchCriteria, StudySearchCriteria>[]
        {
            c => c,
            c => c with { AgeYears = 5 },
            c => c with { Statuses = ["RECRUITING", "NOT_YET_RECRUITING"] },
            c => c with { Therapies = ["chemotherapy"], AgeYears = 12 },
        };
        (int Page, int Size)[] pages = [(1, 20), (2, 20), (1, 5), (40, 20)];
        var cases = 0;
        var answeredWithinASmallerReach = 0;
        var widenedAtLeastOnce = 0;
        foreach (var place in places)
        {
            foreach (var radius in new double[] { 100, 500, 2000, 20_000 })
            {
                foreach (var filter in filters)
                {
                    foreach (var (page, size) in pages)
                    {
                        var criteria = filter(new StudySearchCriteria { Near = place, RadiusKm = radius, Sort = StudySort.Distance, Page = page, PageSize = size });
                        var whole = await WholeRadiusAsync(connection, criteria);

                        var answer = await StudySearchQuery.RunAsync(connection, criteria, CancellationToken.None);

                        var description = $"{place} {radius} km, page {page} of {size}, {criteria.AgeYears} {string.Join('+', criteria.Statuses)} {string.Join('+', criteria.Therapies)}";
                        Assert.True(whole.Rows.Select(r => r.NctId).SequenceEqual(answer.Hits.Select(h => h.NctId)), description);
                        Assert.Equal(whole.Rows.Select(r => (r.NearestKm, r.Within)), answer.Hits.Select(h => (h.NearestSiteKm!.Value, h.SitesWithinRadius)));
                        var expectedTotal = whole.Rows.Count > 0 ? whole.Total : (await WholeRadiusAsync(connection, criteria with { Page = 1, PageSize = 1 })).Total;
                        Assert.Equal((Math.Min(expectedTotal, StudySearchQuery.CountLimit), expectedTotal > StudySearchQuery.CountLimit), (answer.Total, answer.MoreThanTotal));

                        cases++;
                        var reaches = StudySearchQuery.ReachesOf(criteria);
                        var first = await WholeRadiusAsync(connection, criteria, reaches[0]);
                        if (reaches.Count > 1 && first.Rows.Count == size)
                        {
                            answeredWithinASmallerReach++;
                        }
                        else if (reaches.Count > 1 && answer.Hits.Count > 0)
                        {
                            widenedAtLeastOnce++;
                        }
                    }
                }
            }
        }

        output.WriteLine($"{cases} searches: {answeredWithinASmallerReach} answered within the first reach, {widenedAtLeastOnce} after widening it");
        Assert.True(answeredWithinASmallerReach >= 20, "the comparison covers pages read within a small reach");
        Assert.True(widenedAtLeastOnce >= 20, "the comparison covers pages read after widening");
    }

    [Fact]
    public async Task Totals_are_exact_up_to_the_count_limit_and_say_more_than_past_it()
    {
        await using var db = catalogue.Database.CreateContext();
        var listed = await db.Studies.CountAsync(s => s.IsListed);
        var completed = await db.Studies.CountAsync(s => s.IsListed && s.OverallStatus == "COMPLETED");
        Assert.True(listed > StudySearchQuery.CountLimit && completed is > 0 and <= StudySearchQuery.CountLimit, $"{listed} listed, {completed} completed");
        var search = new StudySearchQuery(db);

        var everything = await search.RunAsync(new StudySearchCriteria(), CancellationToken.None);
        var completedOnly = await search.RunAsync(new StudySearchCriteria { Statuses = ["COMPLETED"] }, CancellationToken.None);
        var pastTheEnd = await search.RunAsync(new StudySearchCriteria { Statuses = ["COMPLETED"], Page = 500 }, CancellationToken.None);
        var newestFirstNearParis = await search.RunAsync(new StudySearchCriteria { Near = Paris, RadiusKm = 20_000, Sort = StudySort.Updated }, CancellationToken.None);

        Assert.Equal((StudySearchQuery.CountLimit, true, 20), (everything.Total, everything.MoreThanTotal, everything.Hits.Count));
        Assert.Equal((completed, false), (completedOnly.Total, completedOnly.MoreThanTotal));
        Assert.Equal((completed, false, 0), (pastTheEnd.Total, pastTheEnd.MoreThanTotal, pastTheEnd.Hits.Count));
        Assert.Equal((StudySearchQuery.CountLimit, true), (newestFirstNearParis.Total, newestFirstNearParis.MoreThanTotal));
        foreach (var text in new[] { "neuroblastoma", "lutetium", "dinutuximab" })
        {
            var byRelevance = await search.RunAsync(new StudySearchCriteria { Text = text, Sort = StudySort.Relevance }, CancellationToken.None);
            var byUpdate = await search.RunAsync(new StudySearchCriteria { Text = text, Sort = StudySort.Updated }, CancellationToken.None);
            Assert.True(byRelevance.Total > 0, text);
            Assert.Equal((byUpdate.Total, byUpdate.MoreThanTotal), (byRelevance.Total, byRelevance.MoreThanTotal));
            Assert.Equal(byUpdate.Hits.Count, byRelevance.Hits.Count);
        }

        var newest = await db.Studies.Where(s => s.IsListed).OrderByDescending(s => s.LastUpdatePostedOn).ThenBy(s => s.NctId).Select(s => s.NctId).Take(20).ToListAsync();
        Assert.Equal(newest, everything.Hits.Select(h => h.NctId));
    }

    [Fact]
    public async Task A_text_search_reads_each_studys_words_from_its_row_not_from_the_toast_table()
    {
        // A synced study's row is far over PostgreSQL's 2 KB slot (registry JSON, eligibility text), and the default
        // storage moved search_vector out of line with the rest: ranking the matches then read the TOAST table once
        // per match (at 100,000 studies, 29,125 buffers and 40 ms for one word).
        await using var db = catalogue.Database.CreateContext();
        var storage = await db.Database.SqlQueryRaw<string>("""
            SELECT attstorage::text AS "Value" FROM pg_attribute WHERE attrelid = 'studies'::regclass AND attname = 'search_vector'
            """).SingleAsync();
        var widest = await db.Database.SqlQueryRaw<int>("""
            SELECT max(octet_length(raw_json::text)) AS "Value" FROM studies
            """).SingleAsync();

        Assert.Equal("m", storage);
        Assert.True(widest > 2_000, $"the generated studies carry registry records wide enough to be toasted ({widest} bytes)");
    }

    [Fact]
    public async Task A_family_is_told_more_than_a_thousand_trials_match_can_page_past_the_counted_pages_and_sees_it_in_widenings()
    {
        var client = catalogue.Web.CreateClient();
        var everywhereAnyStatus = "lat=48.8566&lon=2.3522&radiusKm=20000" + string.Concat(RegistryStatuses.All.Select(s => $"&status={s}"));

        var first = WebUtility.HtmlDecode(await client.GetStringAsync("/trials?" + everywhereAnyStatus));
        var past = await client.GetAsync("/trials?" + everywhereAnyStatus + "&page=51");
        var api = JsonDocument.Parse(await client.GetStringAsync("/api/trials?" + everywhereAnyStatus)).RootElement;
        var frenchClient = catalogue.Web.CreateClient();
        frenchClient.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        var french = WebUtility.HtmlDecode(await frenchClient.GetStringAsync("/trials?" + everywhereAnyStatus));

        Assert.Contains("More than 1000 trials with a site within", first);
        Assert.Contains("Page 1 of more than 50", first);
        Assert.Contains("rel=\"next\"", first);
        Assert.Equal(HttpStatusCode.OK, past.StatusCode);
        var pastText = WebUtility.HtmlDecode(await past.Content.ReadAsStringAsync());
        Assert.Contains("Page 51 of more than 50", pastText);
        Assert.Equal((1000, true), (api.GetProperty("total").GetInt32(), api.GetProperty("moreThanTotal").GetBoolean()));
        Assert.Contains("Plus de 1000 essais avec un centre", french);
        var nothing = WebUtility.HtmlDecode(await client.GetStringAsync("/trials?q=zzqqxxvv" + string.Concat(RegistryStatuses.All.Select(s => $"&status={s}"))));
        Assert.Contains("Without the keywords (more than 1000 trials)", nothing);
    }

    /// <summary>Places where the generated sites are: Paris and four of the generated sites (every 997th).</summary>
    private static async Task<IReadOnlyList<GeoPoint>> SitePlacesAsync(NpgsqlConnection connection)
    {
        var places = new List<GeoPoint> { Paris };
        await using var command = new NpgsqlCommand(
            "SELECT latitude, longitude FROM (SELECT latitude, longitude, row_number() OVER (ORDER BY id) AS n FROM sites WHERE latitude IS NOT NULL) s WHERE n % 997 = 0 LIMIT 4",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            places.Add(new GeoPoint(reader.GetDouble(0), reader.GetDouble(1)));
        }

        return places;
    }

    private sealed record Row(string NctId, double NearestKm, int Within);

    /// <summary>One statement of the search read directly: within the whole radius unless a reach is given.</summary>
    private static async Task<(IReadOnlyList<Row> Rows, long Total)> WholeRadiusAsync(NpgsqlConnection connection, StudySearchCriteria criteria, double? reachKm = null)
    {
        await using var command = StudySearchQuery.CreateCommand(criteria, connection, reachKm ?? criteria.RadiusKm);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        long total = 0;
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetString(0), reader.GetDouble(1), reader.GetInt32(2)));
            total = reader.GetInt64(3);
        }

        return (rows, total);
    }
}
