using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TrialFinder.Core.Geo;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.Search;

/// <summary>
/// The catalogue search. Distance: a GiST index over each site's (longitude, latitude) point narrows candidates to the
/// latitude/longitude rectangles that hold the search circle (<see cref="GeoBoxes"/>: two across the antimeridian, a
/// band of every longitude over a pole, none when the circle covers the earth), then the exact great-circle
/// (haversine) distance decides, the same formula as <c>GeoDistance</c> in Core. A plain point index needs no
/// extension and costs a thirtieth of earthdistance's cube index to keep up during a sync.
/// <para>
/// Two things keep a search's cost tied to the page a family reads rather than to the size of the catalogue. Totals
/// are counted up to <see cref="CountLimit"/> ("more than 1,000 trials"), so no search visits every match to count it.
/// A search by distance reads the nearest trials first: it looks within a small reach of the place and widens it
/// (<see cref="ReachesOf"/>) until the reach holds a full page; since every trial outside a reach is farther than
/// every trial inside it, that page is the page the whole radius would give. With broad filters it reads even a
/// reach nearest place first and stops at the end of the page (<see cref="ReadsNearestPlacesFirstAsync"/>).
/// </para>
/// </summary>
public sealed class StudySearchQuery(TrialFinderDbContext db)
{
    /// <summary>Totals are exact up to this many trials; past it a search says "more than" this.</summary>
    public const int CountLimit = 1000;

    /// <summary>The first reach of a search by distance, and how much each next one widens it.</summary>
    private const double FirstReachKm = 50;
    private const double ReachGrowth = 4;

    /// <summary>
    /// A reach is crowded when it holds this many sites for each study in the catalogue, and at least
    /// <see cref="CrowdedReachMinimumSites"/>. Measured at 100,000 studies: a study looked up for each site costs about
    /// 4 µs; reading every listed study once to hash them about 1.4 µs a study.
    /// </summary>
    public const double CrowdedReachSitesPerStudy = 1.0 / 3;

    /// <summary>Below this many sites a reach is never crowded, however small the catalogue.</summary>
    public const int CrowdedReachMinimumSites = 500;

    /// <summary>
    /// A search reads the nearest places first when its filters match at least this many studies for each row down to
    /// the end of its page: then a page's trials are expected within the first few hundred sites of the nearest places,
    /// each looked up (about 4 µs), where reading a crowded reach whole costs tens of milliseconds at 100,000 studies.
    /// </summary>
    public const int NearestPlacesFirstStudiesPerRow = 40;

    /// <summary>Deeper pages than this (rows counted from the first) read the reach whole.</summary>
    public const int NearestPlacesFirstLastRow = 100;

    /// <summary>
    /// The fewest rows <see cref="NearestPlacesFirstStudiesPerRow"/> is counted for, so a one-row reading (a total for a
    /// page past the end, a search with no result widened) needs filters as broad as a page of results does.
    /// </summary>
    private const int NearestPlacesFirstFewestRows = 20;

    /// <summary>
    /// A total that a reading nearest place first must count is counted from the radius's sites, each looking its study
    /// up, when the radius holds no more sites than this (a few milliseconds); from the filtered studies otherwise.
    /// </summary>
    public const int CountSiteBySiteMostSites = 5_000;

    public async Task<StudySearchPage> RunAsync(StudySearchCriteria criteria, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            return await RunAsync(connection, criteria, cancellationToken);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>One statement a search ran: within which reach (null: its whole radius, or no place), and how it read it.</summary>
    public sealed record Statement(double? ReachKm, bool NearestPlacesFirst, NpgsqlCommand Command);

    /// <summary>
    /// The search over an open connection: one statement per reach until a reach holds the page. Each statement is
    /// shown to <paramref name="ran"/> once read (benchmarks EXPLAIN the very statements a search ran).
    /// </summary>
    public static async Task<StudySearchPage> RunAsync(
        NpgsqlConnection connection, StudySearchCriteria criteria, CancellationToken cancellationToken, Action<Statement>? ran = null)
    {
        StudySearchPage? page = null;
        var reaches = ReachesOf(criteria);
        var nearestPlacesFirst = await ReadsNearestPlacesFirstAsync(connection, criteria, cancellationToken);
        foreach (var reach in reaches)
        {
            await using var command = CreateCommand(criteria, connection, reach, nearestPlacesFirst);
            page = await ReadAsync(command, cancellationToken);
            ran?.Invoke(new Statement(reach, nearestPlacesFirst, command));
            if (page.Hits.Count == criteria.PageSize)
            {
                break;
            }

            // The nearest places held too few matches. Across a crowded reach that means the matches lie far away, and a
            // wider reach read nearest place first would read all of this one's sites again before reaching them.
            if (nearestPlacesFirst && reach is { } km && km < criteria.RadiusKm && criteria.Near is { } near
                && await IsCrowdedAsync(connection, near, km, cancellationToken))
            {
                nearestPlacesFirst = false;
            }
        }

        if (page!.Hits.Count == 0 && criteria.Page > 1)
        {
            // Past the last page there is no row to carry the total.
            var first = await RunAsync(connection, criteria with { Page = 1, PageSize = 1 }, cancellationToken);
            return page with { Total = first.Total, MoreThanTotal = first.MoreThanTotal };
        }

        return page;
    }

    /// <summary>
    /// The radii a search reads within, in turn: for a search by distance, growing reaches below its radius and then
    /// the radius itself; for any other search one statement (null).
    /// </summary>
    public static IReadOnlyList<double?> ReachesOf(StudySearchCriteria criteria)
    {
        if (criteria.Near is null || criteria.Sort != StudySort.Distance)
        {
            return [null];
        }

        var reaches = new List<double?>();
        for (var reach = FirstReachKm; reach < criteria.RadiusKm; reach *= ReachGrowth)
        {
            reaches.Add(reach);
        }

        reaches.Add(criteria.RadiusKm);
        return reaches;
    }

    /// <summary>
    /// Whether a search by distance reads its reaches and radius nearest place first (<see cref="NearestPlaces"/>): when its
    /// filters are broad enough for a page to fill within the nearest few places (<see
    /// cref="NearestPlacesFirstStudiesPerRow"/>), counted up to that many studies and no further. Not for a country
    /// filter, whose trials are far from the place as often as near it, nor for deep pages.
    /// </summary>
    public static async Task<bool> ReadsNearestPlacesFirstAsync(NpgsqlConnection connection, StudySearchCriteria criteria, CancellationToken cancellationToken)
    {
        var lastRow = criteria.Page * criteria.PageSize;
        if (criteria.Near is null || criteria.Sort != StudySort.Distance || criteria.Country is not null || lastRow > NearestPlacesFirstLastRow)
        {
            return false;
        }

        var enough = NearestPlacesFirstStudiesPerRow * Math.Max(lastRow, NearestPlacesFirstFewestRows);
        await using var command = new NpgsqlCommand { Connection = connection };
        var parameters = new StatementParameters(command);
        parameters.Add("enough", enough);
        command.CommandText = $"SELECT count(*) FROM (SELECT 1 FROM studies st WHERE {string.Join(" AND ", StudyFilters(criteria, "st", parameters))} LIMIT @enough) matches";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! >= enough;
    }

    private static async Task<StudySearchPage> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hits = new List<StudySearchHit>();
        long total = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(ReadHit(reader));
            total = reader.GetInt64(reader.GetOrdinal("total"));
        }

        return total > CountLimit
            ? new StudySearchPage(hits, CountLimit, MoreThanTotal: true)
            : new StudySearchPage(hits, (int)total);
    }

    /// <summary>
    /// The statement that reads a search's page within <paramref name="reachKm"/> of its place (null: its whole radius,
    /// or no place), nearest place first or not (<see cref="ReadsNearestPlacesFirstAsync"/>), with its parameters, as
    /// <see cref="RunAsync(NpgsqlConnection, StudySearchCriteria, CancellationToken)"/> runs it (benchmarks EXPLAIN it).
    /// </summary>
    public static NpgsqlCommand CreateCommand(StudySearchCriteria criteria, NpgsqlConnection connection, double? reachKm = null, bool nearestPlacesFirst = false)
    {
        var command = new NpgsqlCommand { Connection = connection };
        var parameters = new StatementParameters(command);
        parameters.Add("count_limit", CountLimit + 1);
        var sql = new StringBuilder();
        if (criteria.Near is { } near)
        {
            parameters.Add("lat", near.Latitude);
            parameters.Add("lon", near.Longitude);
            parameters.Add("radius_km", criteria.RadiusKm);
            parameters.Add("study_open", RegistryStatuses.StudyOpen.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            parameters.Add("site_closed", RegistryStatuses.SiteClosed.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            var reach = Math.Min(reachKm ?? criteria.RadiusKm, criteria.RadiusKm);
            sql.Append(nearestPlacesFirst && criteria.Sort == StudySort.Distance ? NearestPlaces(criteria, near, reach, parameters)
                : reach < criteria.RadiusKm ? WithinReach(criteria, near, reach, parameters)
                : WithinRadius(criteria, near, parameters));
        }
        else if (criteria.Text is not null && criteria.Sort == StudySort.Relevance)
        {
            // Ordering by relevance ranks every match anyway, so the matches are read once, for the page and the count.
            sql.Append($"""
                WITH matches AS MATERIALIZED (
                    SELECT s.nct_id, s.last_update_posted_on, ts_rank(s.search_vector, plainto_tsquery('english', @text)) AS rank
                    FROM studies s
                    WHERE {string.Join("\n      AND ", StudyFilters(criteria, "s", parameters))}
                ),
                hits AS (
                    SELECT s.nct_id, NULL::float8 AS nearest_km, (SELECT count(*) FROM matches) AS total
                    FROM matches s
                """);
        }
        else
        {
            // The capped count stops at the first CountLimit + 1 matches; the page is cut inside "hits".
            sql.Append($"""
                WITH hits AS (
                    SELECT s.nct_id, NULL::float8 AS nearest_km,
                           (SELECT count(*) FROM (SELECT 1 FROM studies m WHERE {string.Join(" AND ", StudyFilters(criteria, "m", parameters))} LIMIT @count_limit) matches) AS total
                    FROM studies s
                """);
            sql.Append("\nWHERE ").AppendJoin("\n  AND ", StudyFilters(criteria, "s", parameters));
        }

        // The page is ordered and cut inside "hits"; only its rows are then joined to what a result list shows.
        var rank = criteria.Text is null ? "0" : "ts_rank(s.search_vector, plainto_tsquery('english', @text))";
        var order = criteria.Sort switch
        {
            StudySort.Distance when criteria.Near is not null => "p.nearest_km, p.nct_id",
            StudySort.Relevance when criteria.Text is not null =>
                criteria.Near is null ? "s.rank DESC, s.last_update_posted_on DESC NULLS LAST, s.nct_id" : $"{rank} DESC, s.last_update_posted_on DESC NULLS LAST, s.nct_id",
            _ => criteria.Near is null ? "s.last_update_posted_on DESC NULLS LAST, s.nct_id" : "s.last_update_posted_on DESC NULLS LAST, p.nct_id",
        };
        if (criteria.Near is not null && criteria.Sort != StudySort.Distance)
        {
            // Ordering a place search by a study column needs the study row.
            sql.Append("\n    JOIN studies s ON s.nct_id = p.nct_id");
        }

        parameters.Add("limit", criteria.PageSize);
        parameters.Add("offset", (criteria.Page - 1) * criteria.PageSize);
        sql.Append($"""

                ORDER BY {order}
                LIMIT @limit OFFSET @offset
            )
            SELECT h.nct_id, h.nearest_km, {SitesWithinRadius(criteria)} AS within, h.total,
                   s.brief_title, s.acronym, s.overall_status, s.phases, s.diseases, s.net_subtypes, s.therapy_types,
                   s.takes_refractory, s.minimum_age_text, s.maximum_age_text, s.last_update_posted_on,
                   (SELECT count(*)::int FROM sites c WHERE c.nct_id = s.nct_id) AS site_count,
                   ns.facility, ns.city, ns.country, ns.recruitment_status, ns.id AS nearest_site_id,
                   s.source, s.snapshot_status_as_of, s.snapshot_status_source_title, s.snapshot_status_source_url,
                   s.snapshot_reported_site_count
            FROM hits h
            JOIN studies s ON s.nct_id = h.nct_id
            {NearestSiteJoin(criteria)}
            ORDER BY {FinalOrder(criteria)}
            """);

        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>
    /// A place search over its whole radius. The studies that match every other filter come first (read from the
    /// index that carries the filtered columns), so each site the GiST index finds in the box costs one hash or merge
    /// probe rather than a visit to its study's row. The study's own status decides whether it matches; a site only
    /// stops counting when it says it is closed while its study is open (<see cref="SiteCounts"/>). Every match is
    /// grouped here, so the total is the window count over them.
    /// </summary>
    private static string WithinRadius(StudySearchCriteria criteria, GeoPoint near, StatementParameters parameters) => $"""
        WITH candidates AS MATERIALIZED (
            SELECT st.nct_id, {StudyOpen("st")} AS study_open
            FROM studies st
            WHERE {string.Join("\n      AND ", StudyFilters(criteria, "st", parameters))}
        ),
        matching_sites AS (
            SELECT si.nct_id, {Haversine("si")} AS km
            FROM sites si
            JOIN candidates c ON c.nct_id = si.nct_id
            WHERE si.latitude IS NOT NULL AND si.longitude IS NOT NULL
              {InBoxes(GeoBoxes.Around(near.Latitude, near.Longitude, criteria.RadiusKm), "si", parameters)}
              AND {SiteCounts("c.study_open", "si")}
        ),
        per_study AS (
            SELECT nct_id, min(km) AS nearest_km
            FROM matching_sites
            GROUP BY nct_id
            HAVING min(km) <= @radius_km
        ),
        hits AS (
            SELECT p.nct_id, p.nearest_km, count(*) OVER () AS total
            FROM per_study p
        """;

    /// <summary>
    /// A search by distance within a reach smaller than its radius. Its sites are read from the location index and
    /// joined to their studies, which must match the filters, in one of two ways chosen as the statement runs. Most
    /// reaches hold a few hundred sites: each looks up its study. A crowded reach (a big city in a large catalogue: at
    /// 100,000 studies, 50 km around New York holds about 52,000 sites) instead reads the studies that match the filters
    /// once and hashes them, which costs less than one lookup a site once the reach holds a third as many sites as the
    /// catalogue holds studies (<see cref="CrowdedReachSitesPerStudy"/>). The site count stops at that threshold, so
    /// deciding costs a sparse reach no more than reading its sites once more from the index.
    /// <para>
    /// When the reach alone holds more trials than the count's limit that is the total; when it holds too few for the
    /// page it will be widened and its total is never used; otherwise the total is counted over the whole radius, one
    /// study at a time from the filtered ones (a site within the radius, read from the site index), and stops at the
    /// limit.
    /// </para>
    /// </summary>
    private static string WithinReach(StudySearchCriteria criteria, GeoPoint near, double reachKm, StatementParameters parameters)
    {
        parameters.Add("reach_km", reachKm);
        var reachBoxes = GeoBoxes.Around(near.Latitude, near.Longitude, reachKm);
        var boxes = InBoxes(reachBoxes, "si", parameters);
        var studyMatches = string.Join("\n      AND ", StudyFilters(criteria, "st", parameters));
        return $"""
            WITH reach AS MATERIALIZED (
                SELECT {IsCrowded(reachBoxes, parameters)} AS crowded
            ),
            matching_sites AS (
                SELECT si.nct_id, {Haversine("si")} AS km
                FROM sites si
                JOIN studies st ON st.nct_id = si.nct_id
                WHERE si.latitude IS NOT NULL AND si.longitude IS NOT NULL
                  {boxes}
                  AND {studyMatches}
                  AND {SiteCounts(StudyOpen("st"), "si")}
                  AND NOT (SELECT crowded FROM reach)
                UNION ALL
                SELECT si.nct_id, {Haversine("si")} AS km
                FROM sites si
                JOIN (
                    -- OFFSET 0 keeps the filtered studies a set of their own, read once, never looked up site by site.
                    SELECT st.nct_id, {StudyOpen("st")} AS study_open
                    FROM studies st
                    WHERE {studyMatches}
                    OFFSET 0
                ) candidates ON candidates.nct_id = si.nct_id
                WHERE si.latitude IS NOT NULL AND si.longitude IS NOT NULL
                  {boxes}
                  AND {SiteCounts("candidates.study_open", "si")}
                  AND (SELECT crowded FROM reach)
            ),
            per_study AS (
                SELECT nct_id, min(km) AS nearest_km
                FROM matching_sites
                GROUP BY nct_id
                HAVING min(km) <= @reach_km
            ),
            hits AS (
                SELECT p.nct_id, p.nearest_km,
                       CASE WHEN count(*) OVER () >= @count_limit OR count(*) OVER () < @offset + @limit THEN count(*) OVER ()
                            ELSE {CountWithinRadius(criteria, parameters)} END AS total
                FROM per_study p
            """;
    }

    /// <summary>
    /// A search by distance within a reach (or its whole radius), reading the places where sites are nearest first
    /// (<see cref="SiteLocation"/>) and each place's sites in NCT id order, looking each site's study up, until the
    /// page is full: its trials are those whose nearest counting site is at one of those places. A trial is listed at
    /// its nearest place only (ties go to the lower latitude, then longitude), and a place gives no more trials than
    /// the page can show, so the reading stops within the first places; New York's 51,771 sites within 50 km at
    /// 100,000 studies give a page from the first three of its 608 places. A reading that ends before the page does
    /// has found every trial within the reach, and that is the total; otherwise the total is counted over the whole
    /// radius, one filtered study at a time, up to the limit.
    /// </summary>
    private static string NearestPlaces(StudySearchCriteria criteria, GeoPoint near, double reachKm, StatementParameters parameters)
    {
        parameters.Add("reach_km", reachKm);
        return $"""
            WITH places AS MATERIALIZED (
                SELECT l.latitude, l.longitude, {Haversine("l")} AS km
                FROM site_locations l
                WHERE true {InBoxes(GeoBoxes.Around(near.Latitude, near.Longitude, reachKm), "l", parameters)}
            ),
            nearest AS MATERIALIZED (
                SELECT p.nct_id, l.km AS nearest_km
                FROM (SELECT * FROM places WHERE km <= @reach_km ORDER BY km, latitude, longitude) l
                CROSS JOIN LATERAL (
                    SELECT DISTINCT ON (si.nct_id) si.nct_id
                    FROM sites si
                    JOIN studies st ON st.nct_id = si.nct_id
                    WHERE si.latitude = l.latitude AND si.longitude = l.longitude
                      AND {string.Join("\n      AND ", StudyFilters(criteria, "st", parameters))}
                      AND {SiteCounts(StudyOpen("st"), "si")}
                      AND NOT EXISTS (
                          SELECT 1 FROM sites w
                          WHERE w.nct_id = si.nct_id AND w.latitude IS NOT NULL AND w.longitude IS NOT NULL
                            AND {SiteCounts(StudyOpen("st"), "w")}
                            AND ({Haversine("w")}, w.latitude, w.longitude) < (l.km, l.latitude, l.longitude))
                    ORDER BY si.nct_id
                    LIMIT @offset + @limit
                ) p
                ORDER BY l.km, p.nct_id
                LIMIT @offset + @limit
            ),
            hits AS (
                SELECT p.nct_id, p.nearest_km,
                       CASE WHEN (SELECT count(*) FROM nearest) < @offset + @limit THEN (SELECT count(*) FROM nearest)
                            WHEN {RadiusHoldsFewSites(criteria, near, parameters)} THEN {CountSitesWithinRadius(criteria, near, parameters)}
                            ELSE {CountWithinRadius(criteria, parameters)} END AS total
                FROM nearest p
            """;
    }

    /// <summary>
    /// Whether the radius's places hold at most <see cref="CountSiteBySiteMostSites"/> sites, reading places only until
    /// their running sum passes it (New York's radius of 500 km holds about 5,000 places).
    /// </summary>
    private static string RadiusHoldsFewSites(StudySearchCriteria criteria, GeoPoint near, StatementParameters parameters)
    {
        parameters.Add("few_sites", CountSiteBySiteMostSites);
        return $"""
            NOT EXISTS (
                SELECT 1 FROM (
                    SELECT sum(l.sites) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS sites_so_far
                    FROM site_locations l
                    WHERE true {InBoxes(GeoBoxes.Around(near.Latitude, near.Longitude, criteria.RadiusKm), "l", parameters, "radius_box")}) r
                WHERE r.sites_so_far > @few_sites)
            """;
    }

    /// <summary>
    /// The studies that match the filters and have a counting site within the radius, counted from the radius's sites,
    /// each looking its study up, no further than the count's limit.
    /// </summary>
    private static string CountSitesWithinRadius(StudySearchCriteria criteria, GeoPoint near, StatementParameters parameters) => $"""
        (SELECT count(*) FROM (
            SELECT DISTINCT si.nct_id
            FROM sites si
            JOIN studies m ON m.nct_id = si.nct_id
            WHERE si.latitude IS NOT NULL AND si.longitude IS NOT NULL
              {InBoxes(GeoBoxes.Around(near.Latitude, near.Longitude, criteria.RadiusKm), "si", parameters, "radius_box")}
              AND {string.Join("\n      AND ", StudyFilters(criteria, "m", parameters))}
              AND {SiteCounts(StudyOpen("m"), "si")}
              AND {Haversine("si")} <= @radius_km
            LIMIT @count_limit) matches)
        """;

    /// <summary>
    /// The studies that match the filters and have a counting site within the radius, counted one filtered study at a
    /// time (a site within the radius, read from the site index) and no further than the count's limit.
    /// </summary>
    private static string CountWithinRadius(StudySearchCriteria criteria, StatementParameters parameters) => $"""
        (SELECT count(*) FROM (
            SELECT 1 FROM studies m
            WHERE {string.Join("\n      AND ", StudyFilters(criteria, "m", parameters))}
              AND EXISTS (
                  SELECT 1 FROM sites w
                  WHERE w.nct_id = m.nct_id AND w.latitude IS NOT NULL AND w.longitude IS NOT NULL
                    AND {SiteCounts(StudyOpen("m"), "w")}
                    AND {Haversine("w")} <= @radius_km)
            LIMIT @count_limit) matches)
        """;

    /// <summary>
    /// Whether a reach's rectangles hold a third as many sites as the catalogue holds studies, and at least
    /// <see cref="CrowdedReachMinimumSites"/> (<see cref="CrowdedReachSitesPerStudy"/>), weighed from the places that
    /// hold them without reading a site.
    /// </summary>
    private static string IsCrowded(IReadOnlyList<GeoBox> reachBoxes, StatementParameters parameters)
    {
        parameters.Add("crowded_minimum_sites", CrowdedReachMinimumSites);
        parameters.Add("crowded_sites_per_study", CrowdedReachSitesPerStudy);
        return $"""
            (SELECT coalesce(sum(l.sites), 0) FROM site_locations l WHERE true {InBoxes(reachBoxes, "l", parameters)})
                >= (SELECT greatest(@crowded_minimum_sites, reltuples * @crowded_sites_per_study)::bigint FROM pg_class WHERE oid = 'studies'::regclass)
            """;
    }

    /// <summary>Whether the reach a search read nearest place first without filling its page is crowded (<see cref="IsCrowded"/>).</summary>
    private static async Task<bool> IsCrowdedAsync(NpgsqlConnection connection, GeoPoint near, double reachKm, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = connection };
        command.CommandText = "SELECT " + IsCrowded(GeoBoxes.Around(near.Latitude, near.Longitude, reachKm), new StatementParameters(command));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Whether the study under the alias given takes patients (<see cref="RegistryStatuses.StudyOpen"/>).</summary>
    private static string StudyOpen(string study) => $"{study}.overall_status = ANY(@study_open)";

    /// <summary>
    /// Whether a site counts for a place search: every site does but one that says it is closed (<see
    /// cref="RegistryStatuses.SiteClosed"/>) while its study is open; <paramref name="studyOpen"/> is <see cref="StudyOpen"/>
    /// or a column that holds it.
    /// </summary>
    private static string SiteCounts(string studyOpen, string site) => $"({studyOpen} AND {site}.recruitment_status = ANY(@site_closed)) IS NOT TRUE";

    /// <summary>The great-circle distance in km from the search's point to the site under the alias given.</summary>
    private static string Haversine(string site) => $"""
        2 * 6371.0088 * asin(least(1, sqrt(
            power(sin(radians({site}.latitude - @lat) / 2), 2)
            + cos(radians(@lat)) * cos(radians({site}.latitude)) * power(sin(radians({site}.longitude - @lon) / 2), 2))))
        """;

    /// <summary>How many of a page row's counting sites lie within the search's radius (0 without a place).</summary>
    private static string SitesWithinRadius(StudySearchCriteria criteria) => criteria.Near is null
        ? "0"
        : $"""
            (SELECT count(*)::int FROM sites w
             WHERE w.nct_id = h.nct_id AND w.latitude IS NOT NULL AND w.longitude IS NOT NULL
               AND {SiteCounts(StudyOpen("s"), "w")}
               AND {Haversine("w")} <= @radius_km)
            """;

    /// <summary>The sites inside the search circle's rectangles; nothing to narrow when one rectangle is the whole earth.</summary>
    private static string InBoxes(IReadOnlyList<GeoBox> boxes, string alias, StatementParameters parameters, string name = "box")
    {
        if (boxes is [{ South: <= -90, North: >= 90, West: <= -180, East: >= 180 }])
        {
            return "";
        }

        var tests = boxes.Select((box, i) =>
        {
            parameters.Add($"{name}{i}", new NpgsqlBox(box.North, box.East, box.South, box.West), NpgsqlDbType.Box);
            return $"point({alias}.longitude, {alias}.latitude) <@ @{name}{i}";
        });
        return $"AND ({string.Join(" OR ", tests)})";
    }

    /// <summary>
    /// A place search's nearest counting site of each row of the page (the same rule as the search: closed sites of
    /// open studies do not count; ties go to the lower site id); no site for a search without a place.
    /// </summary>
    private static string NearestSiteJoin(StudySearchCriteria criteria) => criteria.Near is null
        ? "LEFT JOIN sites ns ON false"
        : $"""
            LEFT JOIN LATERAL (
                SELECT si.id, si.facility, si.city, si.country, si.recruitment_status
                FROM sites si
                WHERE si.nct_id = h.nct_id AND si.latitude IS NOT NULL AND si.longitude IS NOT NULL
                  AND {SiteCounts(StudyOpen("s"), "si")}
                ORDER BY {Haversine("si")}, si.id
                LIMIT 1
            ) ns ON true
            """;

    /// <summary>The page's order again over its joined rows (a LIMIT's order does not survive a join).</summary>
    private static string FinalOrder(StudySearchCriteria criteria) => criteria.Sort switch
    {
        StudySort.Distance when criteria.Near is not null => "h.nearest_km, h.nct_id",
        StudySort.Relevance when criteria.Text is not null =>
            "ts_rank(s.search_vector, plainto_tsquery('english', @text)) DESC, s.last_update_posted_on DESC NULLS LAST, s.nct_id",
        _ => "s.last_update_posted_on DESC NULLS LAST, s.nct_id",
    };

    private static StudySearchHit ReadHit(DbDataReader reader)
    {
        var study = new StudyListing(
            reader.GetString(4),
            NullableString(reader, 5),
            reader.GetString(6),
            reader.GetFieldValue<string[]>(7),
            reader.GetFieldValue<string[]>(8),
            reader.GetFieldValue<string[]>(9),
            reader.GetFieldValue<string[]>(10),
            reader.GetBoolean(11),
            NullableString(reader, 12),
            NullableString(reader, 13),
            reader.IsDBNull(14) ? null : reader.GetFieldValue<DateOnly>(14),
            reader.GetInt32(15),
            StudySources.Names.Parse(reader.GetString(21)),
            reader.IsDBNull(22) ? null : reader.GetFieldValue<DateOnly>(22),
            NullableString(reader, 23),
            NullableString(reader, 24),
            reader.IsDBNull(25) ? null : reader.GetInt32(25));
        var km = NullableDouble(reader, 1);
        var nearest = km is { } distance && !reader.IsDBNull(20)
            ? new NearestSiteListing(NullableString(reader, 16), NullableString(reader, 17), NullableString(reader, 18), NullableString(reader, 19), distance)
            : null;
        return new StudySearchHit(reader.GetString(0), km, reader.GetInt32(2), study, nearest);
    }

    /// <summary>Every filter on the study itself, over the table alias given.</summary>
    private static List<string> StudyFilters(StudySearchCriteria criteria, string s, StatementParameters parameters)
    {
        var where = new List<string> { $"{s}.is_listed" };
        var statuses = criteria.Statuses.ToArray();
        if (statuses.Length > 0)
        {
            parameters.Add("statuses", statuses, NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Add($"{s}.overall_status = ANY(@statuses)");
        }

        if (criteria.AgeYears is { } age)
        {
            parameters.Add("age", age);
            where.Add($"({s}.minimum_age_years IS NULL OR {s}.minimum_age_years <= @age) AND ({s}.maximum_age_years IS NULL OR {s}.maximum_age_years >= @age)");
        }

        if (criteria.Therapies.Count > 0)
        {
            parameters.Add("therapies", criteria.Therapies.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Add($"{s}.therapy_types && @therapies");
        }

        if (criteria.Disease is { } disease)
        {
            parameters.Add("disease", new[] { disease }, NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Add($"({s}.diseases @> @disease OR {s}.net_subtypes @> @disease)");
        }

        if (criteria.TakesRefractory is { } refractory)
        {
            parameters.Add("refractory", refractory);
            where.Add($"{s}.takes_refractory = @refractory");
        }

        if (criteria.Phases.Count > 0)
        {
            parameters.Add("phases", criteria.Phases.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Add($"{s}.phases && @phases");
        }

        if (criteria.Country is { } country)
        {
            parameters.Add("country", country);
            where.Add($"EXISTS (SELECT 1 FROM sites c WHERE c.nct_id = {s}.nct_id AND lower(c.country) = lower(@country))");
        }

        if (criteria.Text is { } text)
        {
            parameters.Add("text", text);
            parameters.Add("text_like", "%" + EscapeLike(text) + "%");
            parameters.Add("text_like_lower", "%" + EscapeLike(text.ToLowerInvariant()) + "%");
            // Each alternative has its index: GIN over search_vector, trigram GIN over lower(nct_id) and the title.
            where.Add($"({s}.search_vector @@ plainto_tsquery('english', @text) OR lower({s}.nct_id) LIKE @text_like_lower OR {s}.brief_title ILIKE @text_like)");
        }

        return where;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}

/// <summary>A statement's parameters, added to its command once each however many of its fragments name them.</summary>
internal sealed class StatementParameters(NpgsqlCommand command)
{
    public NpgsqlParameter Add(string name, object value, NpgsqlDbType? type = null)
    {
        if (command.Parameters.TryGetValue(name, out var added))
        {
            return added;
        }

        var parameter = type is { } t ? new NpgsqlParameter(name, t) { Value = value } : new NpgsqlParameter(name, value);
        command.Parameters.Add(parameter);
        return parameter;
    }
}
