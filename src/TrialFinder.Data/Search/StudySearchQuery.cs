using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TrialFinder.Core.Studies;

namespace TrialFinder.Data.Search;

/// <summary>
/// The catalogue search in one SQL statement. Distance uses PostgreSQL's earthdistance/cube: a GiST
/// index over each site's <c>ll_to_earth</c> point narrows candidates with <c>earth_box</c> (a cube in
/// 3-D space, so it is correct across the antimeridian and at the poles), then the exact
/// great-circle (haversine) distance decides, the same formula as <c>GeoDistance</c> in Core.
/// earthdistance was chosen over PostGIS because it ships with PostgreSQL's contrib package on every
/// Debian server, needs no extra install, and points-within-radius is all the product asks of it.
/// </summary>
public sealed class StudySearchQuery(TrialFinderDbContext db)
{
    private const string Haversine = """
        2 * 6371.0088 * asin(least(1, sqrt(
            power(sin(radians(si.latitude - @lat) / 2), 2)
            + cos(radians(@lat)) * cos(radians(si.latitude)) * power(sin(radians(si.longitude - @lon) / 2), 2))))
        """;

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
            await using var command = CreateCommand(criteria, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var hits = new List<StudySearchHit>();
            var total = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add(new StudySearchHit(
                    reader.GetString(0),
                    NullableDouble(reader, 1),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    reader.GetInt32(3)));
                total = (int)reader.GetInt64(4);
            }

            if (hits.Count == 0 && criteria.Page > 1)
            {
                total = await CountAsync(criteria, cancellationToken);
            }

            return new StudySearchPage(hits, total);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>The search's one SQL statement with its parameters, as <see cref="RunAsync"/> runs it (benchmarks EXPLAIN it).</summary>
    public static NpgsqlCommand CreateCommand(StudySearchCriteria criteria, NpgsqlConnection connection)
    {
        var parameters = new List<NpgsqlParameter>();
        NpgsqlParameter Parameter(string name, object value, NpgsqlDbType? type = null)
        {
            var parameter = type is { } t ? new NpgsqlParameter(name, t) { Value = value } : new NpgsqlParameter(name, value);
            parameters.Add(parameter);
            return parameter;
        }

        var sql = new StringBuilder();
        var statuses = criteria.Statuses.ToArray();
        if (criteria.Near is { } near)
        {
            Parameter("lat", near.Latitude);
            Parameter("lon", near.Longitude);
            Parameter("radius_km", criteria.RadiusKm);
            Parameter("box_m", criteria.RadiusKm * 1000 * 1.01);
            Parameter("study_open", RegistryStatuses.StudyOpen.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            Parameter("site_closed", RegistryStatuses.SiteClosed.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            // The study's own status decides whether it matches; a site only stops counting when it says it is
            // closed while its study is open (RegistryStatuses.SiteCounts). The site rows come from the GiST
            // index; the rule is a plain filter on them and the study they join by primary key.
            sql.Append($"""
                WITH matching_sites AS (
                    SELECT si.nct_id, si.id, {Haversine} AS km
                    FROM sites si
                    JOIN studies st ON st.nct_id = si.nct_id
                    WHERE si.latitude IS NOT NULL AND si.longitude IS NOT NULL
                      AND earth_box(ll_to_earth(@lat, @lon), @box_m) @> ll_to_earth(si.latitude, si.longitude)
                      AND (st.overall_status = ANY(@study_open) AND si.recruitment_status = ANY(@site_closed)) IS NOT TRUE
                ),
                per_study AS (
                    SELECT nct_id, min(km) AS nearest_km, count(*)::int AS within, (array_agg(id ORDER BY km, id))[1] AS nearest_site
                    FROM matching_sites
                    WHERE km <= @radius_km
                    GROUP BY nct_id
                )
                SELECT s.nct_id, p.nearest_km, p.nearest_site, p.within, count(*) OVER () AS total
                FROM studies s JOIN per_study p ON p.nct_id = s.nct_id
                """);
        }
        else
        {
            sql.Append("""
                SELECT s.nct_id, NULL::float8 AS nearest_km, NULL::bigint AS nearest_site, 0 AS within, count(*) OVER () AS total
                FROM studies s
                """);
        }

        var where = new List<string> { "s.is_listed" };
        if (statuses.Length > 0)
        {
            Parameter("statuses", statuses, NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Add("s.overall_status = ANY(@statuses)");
        }

        if (criteria.AgeYears is { } age)
        {
            Parameter("age", age);
            where.Add("(s.minimum_age_years IS NULL OR s.minimum_age_years <= @age) AND (s.maximum_age_years IS NULL OR s.maximum_age_years >= @age)");
        }

        if (criteria.Therapies.Count > 0)
        {
            Parameter("therapies", criteria.Therapies.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Add("s.therapy_types && @therapies");
        }

        if (criteria.Disease is { } disease)
        {
            Parameter("disease", new[] { disease }, NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Add("(s.diseases @> @disease OR s.net_subtypes @> @disease)");
        }

        if (criteria.TakesRefractory is { } refractory)
        {
            Parameter("refractory", refractory);
            where.Add("s.takes_refractory = @refractory");
        }

        if (criteria.Phases.Count > 0)
        {
            Parameter("phases", criteria.Phases.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Add("s.phases && @phases");
        }

        if (criteria.Country is { } country)
        {
            Parameter("country", country);
            where.Add("EXISTS (SELECT 1 FROM sites c WHERE c.nct_id = s.nct_id AND lower(c.country) = lower(@country))");
        }

        var rank = "0";
        if (criteria.Text is { } text)
        {
            Parameter("text", text);
            Parameter("text_like", "%" + EscapeLike(text) + "%");
            const string document = """
                to_tsvector('english', s.brief_title || ' ' || coalesce(s.official_title, '') || ' ' || coalesce(s.acronym, '') || ' '
                    || array_to_string(s.conditions, ' ') || ' ' || array_to_string(s.keywords, ' ') || ' ' || coalesce(s.interventions::text, ''))
                """;
            where.Add($"({document} @@ plainto_tsquery('english', @text) OR s.nct_id ILIKE @text_like OR s.brief_title ILIKE @text_like)");
            rank = $"ts_rank({document}, plainto_tsquery('english', @text))";
        }

        sql.Append("\nWHERE ").AppendJoin("\n  AND ", where);
        sql.Append("\nORDER BY ").Append(criteria.Sort switch
        {
            StudySort.Distance when criteria.Near is not null => "p.nearest_km, s.nct_id",
            StudySort.Relevance when criteria.Text is not null => $"{rank} DESC, s.last_update_posted_on DESC NULLS LAST, s.nct_id",
            _ => "s.last_update_posted_on DESC NULLS LAST, s.nct_id",
        });
        Parameter("limit", criteria.PageSize);
        Parameter("offset", (criteria.Page - 1) * criteria.PageSize);
        sql.Append("\nLIMIT @limit OFFSET @offset");

        var command = new NpgsqlCommand(sql.ToString(), connection);
        command.Parameters.AddRange(parameters.ToArray());
        return command;
    }

    /// <summary>The total for a page past the end, where the window count has no row to ride on.</summary>
    private async Task<int> CountAsync(StudySearchCriteria criteria, CancellationToken cancellationToken)
    {
        var firstPage = await new StudySearchQuery(db).RunAsync(criteria with { Page = 1, PageSize = 1 }, cancellationToken);
        return firstPage.Total;
    }

    private static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
