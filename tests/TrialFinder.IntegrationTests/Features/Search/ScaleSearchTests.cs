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

    /// <summary>Search points whose circles cross the antimeridian (two rectangles) or reach a pole (a band).</summary>
    private static readonly GeoPoint[] EdgesOfTheMap = [new(-17.8, 179.9), new(84.0, 10.0)];

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
            c => c with { Text = "neuroblastoma", Sort = StudySort.Distance },
        };
        (int Page, int Size)[] pages = [(1, 20), (2, 20), (1, 5), (40, 20)];
        var cases = 0;
        var answeredWithinASmallerReach = 0;
        var widenedAtLeastOnce = 0;
        var startedInACrowdedReach = 0;
        var nearestPlacesFirst = 0;
        var nearestPlacesFirstInACrowdedReach = 0;
        var nearestPlacesFirstOverTheRadiusAlone = 0;
        var siteBySite = 0;
        foreach (var place in places)
        {
            foreach (var radius in new double[] { 30, 100, 500, 2000, 20_000 })
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
                        foreach (var reach in reaches)
                        {
                            // Each reach read both ways gives the same rows, and the same capped total once its page is full
                            // (a short page's total is that of the reach alone, widened and never shown).
                            var sitesRead = await WholeRadiusAsync(connection, criteria, reach);
                            var placesRead = await WholeRadiusAsync(connection, criteria, reach, nearestPlacesFirst: true);
                            Assert.Equal(sitesRead.Rows, placesRead.Rows);
                            Assert.Equal(Math.Min(sitesRead.Total, StudySearchQuery.CountLimit + 1), Math.Min(placesRead.Total, StudySearchQuery.CountLimit + 1));
                        }

                        var first = await WholeRadiusAsync(connection, criteria, reaches[0]);
                        var crowded = reaches.Count > 1 && await IsCrowdedAsync(connection, place, reaches[0]!.Value);
                        if (await StudySearchQuery.ReadsNearestPlacesFirstAsync(connection, criteria, CancellationToken.None))
                        {
                            nearestPlacesFirst++;
                            nearestPlacesFirstInACrowdedReach += crowded ? 1 : 0;
                            nearestPlacesFirstOverTheRadiusAlone += reaches.Count == 1 ? 1 : 0;
                        }
                        else if (crowded)
                        {
                            startedInACrowdedReach++;
                        }
                        else if (reaches.Count > 1)
                        {
                            siteBySite++;
                        }

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

        output.WriteLine($"{cases} searches: {answeredWithinASmallerReach} answered within the first reach, {widenedAtLeastOnce} after widening it; "
            + $"{nearestPlacesFirst} read nearest place first ({nearestPlacesFirstInACrowdedReach} of them from a crowded first reach, {nearestPlacesFirstOverTheRadiusAlone} within a radius "
            + $"below the first reach), {startedInACrowdedReach} others in a crowded first reach, {siteBySite} others site by site");
        Assert.True(answeredWithinASmallerReach >= 20, "the comparison covers pages read within a small reach");
        Assert.True(widenedAtLeastOnce >= 20, "the comparison covers pages read after widening");
        Assert.True(nearestPlacesFirstInACrowdedReach >= 20, "the comparison covers broad filters, read nearest place first, in crowded reaches");
        Assert.True(nearestPlacesFirst - nearestPlacesFirstInACrowdedReach >= 20, "the comparison covers broad filters read nearest place first in sparse reaches");
        Assert.True(startedInACrowdedReach >= 20, "the comparison covers narrow filters in crowded reaches, whose studies are read once and hashed");
        Assert.True(nearestPlacesFirstOverTheRadiusAlone >= 10, "the comparison covers radii read nearest place first in one statement, whose totals it counts");
        Assert.True(siteBySite >= 20, "the comparison covers reaches that look each site's study up");
    }

    [Fact]
    public async Task A_crowded_reach_ranks_trials_by_their_nearest_site_that_still_counts()
    {
        await using var connection = new NpgsqlConnection(catalogue.Database.ConnectionString);
        await connection.OpenAsync();
        var crowded = (await SitePlacesAsync(connection))[1];
        Assert.True(await IsCrowdedAsync(connection, crowded, StudySearchQuery.ReachesOf(new StudySearchCriteria { Near = crowded, RadiusKm = 100, Sort = StudySort.Distance })[0]!.Value));

        // Generated sites of open trials are never closed, so a third of the recruiting trials' sites near the point
        // close, inside a transaction that is rolled back. Then the recruiting trials near the point are worked out
        // here from every site: a closed site of an open trial does not count, so such a trial is as near as its
        // nearest other site.
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var close = new NpgsqlCommand(
            """
            UPDATE sites SET recruitment_status = 'COMPLETED'
            WHERE id IN (SELECT si.id FROM sites si JOIN studies st ON st.nct_id = si.nct_id
                         WHERE st.overall_status = 'RECRUITING' AND si.id % 3 = 0
                           AND point(si.longitude, si.latitude) <@ box(point(@lon - 1, @lat - 1), point(@lon + 1, @lat + 1)))
            """,
            connection, transaction))
        {
            close.Parameters.AddWithValue("lat", crowded.Latitude);
            close.Parameters.AddWithValue("lon", crowded.Longitude);
            Assert.True(await close.ExecuteNonQueryAsync() > 0);
        }

        var sites = new List<(string NctId, double Km, bool Counts)>();
        await using (var command = new NpgsqlCommand(
            "SELECT si.nct_id, si.latitude, si.longitude, si.recruitment_status = ANY(@site_closed) FROM sites si JOIN studies st ON st.nct_id = si.nct_id WHERE st.is_listed AND st.overall_status = 'RECRUITING' AND si.latitude IS NOT NULL AND si.longitude IS NOT NULL",
            connection, transaction))
        {
            command.Parameters.AddWithValue("site_closed", RegistryStatuses.SiteClosed.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var km = GeoDistance.HaversineKm(crowded.Latitude, crowded.Longitude, reader.GetDouble(1), reader.GetDouble(2));
                sites.Add((reader.GetString(0), km, Counts: reader.IsDBNull(3) || !reader.GetBoolean(3)));
            }
        }

        var nearest = sites.Where(s => s.Counts).GroupBy(s => s.NctId).Select(g => (NctId: g.Key, Km: g.Min(s => s.Km)))
            .Where(s => s.Km <= 50).OrderBy(s => s.Km).ThenBy(s => s.NctId, StringComparer.Ordinal).ToList();
        var nearestOfAll = sites.GroupBy(s => s.NctId).ToDictionary(g => g.Key, g => g.Min(s => s.Km));
        var nearerClosedSite = nearestOfAll.Count(s => s.Value <= 50 && !nearest.Any(n => n.NctId == s.Key && n.Km == s.Value));
        Assert.True(nearest.Count >= 20 && nearerClosedSite > 0, $"{nearest.Count} recruiting trials within 50 km, {nearerClosedSite} with a closed site nearer than the sites that count");

        var criteria = new StudySearchCriteria { Near = crowded, RadiusKm = 100, Sort = StudySort.Distance, Statuses = ["RECRUITING"], PageSize = nearest.Count };
        var answer = await StudySearchQuery.RunAsync(connection, criteria, CancellationToken.None);
        var withinTheFirstReach = await WholeRadiusAsync(connection, criteria, StudySearchQuery.ReachesOf(criteria)[0]);
        var nearestPlacesFirst = await WholeRadiusAsync(connection, criteria, StudySearchQuery.ReachesOf(criteria)[0], nearestPlacesFirst: true);
        await transaction.RollbackAsync();

        Assert.Equal(nearest.Select(n => n.NctId), answer.Hits.Select(h => h.NctId));
        Assert.Equal(nearest.Select(n => Math.Round(n.Km, 6)), answer.Hits.Select(h => Math.Round(h.NearestSiteKm!.Value, 6)));
        Assert.Equal(nearest.Select(n => (n.NctId, Math.Round(n.Km, 6))), withinTheFirstReach.Rows.Select(r => (r.NctId, Math.Round(r.NearestKm, 6))));
        Assert.Equal(nearest.Select(n => (n.NctId, Math.Round(n.Km, 6))), nearestPlacesFirst.Rows.Select(r => (r.NctId, Math.Round(r.NearestKm, 6))));
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

    /// <summary>
    /// Places where the generated sites are: Paris, the point that holds the most sites (its reaches are crowded) and
    /// four of the generated sites (every 997th); then the edges of the map.
    /// </summary>
    private static async Task<IReadOnlyList<GeoPoint>> SitePlacesAsync(NpgsqlConnection connection)
    {
        var places = new List<GeoPoint> { Paris };
        await using var command = new NpgsqlCommand(
            """
            SELECT latitude, longitude FROM (
                (SELECT 0 AS place, latitude, longitude FROM sites WHERE latitude IS NOT NULL GROUP BY latitude, longitude ORDER BY count(*) DESC, latitude LIMIT 1)
                UNION ALL
                (SELECT n, latitude, longitude FROM (SELECT latitude, longitude, row_number() OVER (ORDER BY id) AS n FROM sites WHERE latitude IS NOT NULL) s WHERE n % 997 = 0 ORDER BY n LIMIT 4)
            ) places
            ORDER BY place
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            places.Add(new GeoPoint(reader.GetDouble(0), reader.GetDouble(1)));
        }

        places.AddRange(EdgesOfTheMap);
        return places;
    }

    /// <summary>
    /// Whether a reach holds enough sites for the search to read its filtered studies once rather than look each site's
    /// study up (<see cref="StudySearchQuery.CrowdedReachSitesPerStudy"/>), counted over the reach's rectangles.
    /// </summary>
    private static async Task<bool> IsCrowdedAsync(NpgsqlConnection connection, GeoPoint place, double reachKm)
    {
        var boxes = GeoBoxes.Around(place.Latitude, place.Longitude, reachKm);
        await using var command = new NpgsqlCommand(
            $"""
            SELECT (SELECT count(*) FROM sites WHERE latitude IS NOT NULL AND longitude IS NOT NULL
                      AND ({string.Join(" OR ", boxes.Select((_, i) => $"point(longitude, latitude) <@ @box{i}"))}))
                   >= greatest(@minimum, (SELECT reltuples FROM pg_class WHERE oid = 'studies'::regclass) * @per_study)
            """,
            connection);
        command.Parameters.AddWithValue("minimum", StudySearchQuery.CrowdedReachMinimumSites);
        command.Parameters.AddWithValue("per_study", StudySearchQuery.CrowdedReachSitesPerStudy);
        for (var i = 0; i < boxes.Count; i++)
        {
            command.Parameters.AddWithValue($"box{i}", new NpgsqlTypes.NpgsqlBox(boxes[i].North, boxes[i].East, boxes[i].South, boxes[i].West));
        }

        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private sealed record Row(string NctId, double NearestKm, int Within);

    /// <summary>
    /// One statement of the search read directly: within the whole radius unless a reach is given, its sites read (a
    /// radius whole) unless the nearest places are read first.
    /// </summary>
    private static async Task<(IReadOnlyList<Row> Rows, long Total)> WholeRadiusAsync(
        NpgsqlConnection connection, StudySearchCriteria criteria, double? reachKm = null, bool nearestPlacesFirst = false)
    {
        await using var command = StudySearchQuery.CreateCommand(criteria, connection, reachKm ?? criteria.RadiusKm, nearestPlacesFirst);
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
