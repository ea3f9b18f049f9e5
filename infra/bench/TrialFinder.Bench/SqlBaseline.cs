using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using TrialFinder.Core.Geo;
using TrialFinder.Data.Search;

namespace TrialFinder.Bench;

/// <summary>
/// Each search kind's own SQL, run directly: the query string is parsed by <see cref="SearchFilter"/>
/// exactly as the site parses it; a place name or postcode is resolved by asking the running site's API the
/// same query and reading the place it chose; then <see cref="StudySearchQuery.CreateCommand"/> gives the one
/// statement the site runs, timed here over one open connection, reading every row, in turn with the site's
/// answer to the same query (one request, then one statement, and so on).
/// </summary>
internal static class SqlBaseline
{
    private const int WarmUpRuns = 3;
    private const int MinimumRuns = 5;

    public static async Task<int> RunAsync(CommandLine options)
    {
        var only = options.Optional("only");
        var queries = BenchQuery.Read(options.Required("queries"), options.Optional("trial"))
            .Where(q => q.IsSearch && (only is null || q.Kind == only))
            .ToList();
        if (queries.Count == 0)
        {
            throw new CommandLineException(only is null ? "the queries file has no search" : $"{only} is not a search kind of the queries file");
        }

        var maxRuns = options.Number("max-runs", 200, MinimumRuns, 100_000);
        var maxSeconds = options.Number("max-seconds", 10, 1, 3600);
        using var site = new HttpClient { BaseAddress = new Uri(options.Required("site")), Timeout = TimeSpan.FromMinutes(2) };
        await using var connection = new NpgsqlConnection(options.Required("connection"));
        await connection.OpenAsync();

        var tsv = new StringBuilder("kind\tsql_p50_ms\tsql_p95_ms\truns\trows\ttotal\tplace\tsite_p50_ms\tsite_p95_ms\n");
        var explain = new StringBuilder();
        foreach (var query in queries)
        {
            var (criteria, errors) = SearchFilter.FromQueryString(query.QueryString!).Parse();
            if (errors.Count > 0)
            {
                throw new CommandLineException($"{query.Kind}: the site would reject {query.Path}: {string.Join(", ", errors.Select(e => $"{e.Field}: {e.Problem}"))}");
            }

            var place = "-";
            if (criteria.Near is null && SearchFilter.FromQueryString(query.QueryString!).Near is { Length: > 0 })
            {
                var point = await ResolvePlaceAsync(site, query);
                criteria = criteria with { Near = point };
                place = $"{point.Latitude.ToString("0.####", CultureInfo.InvariantCulture)},{point.Longitude.ToString("0.####", CultureInfo.InvariantCulture)}";
            }

            var (rows, total) = (0, 0L);
            for (var i = 0; i < WarmUpRuns; i++)
            {
                (rows, total) = await ExecuteAsync(criteria, connection);
                await AskSiteAsync(site, query);
            }

            // The site's answer and the SQL alone, in turn: on a machine shared with other work both then see the
            // same load and the same pacing, so their ratio holds even when the absolute figures swing.
            var timings = new List<double>();
            var siteTimings = new List<double>();
            var budget = Stopwatch.StartNew();
            while (timings.Count < MinimumRuns || (timings.Count < maxRuns && budget.Elapsed.TotalSeconds < maxSeconds))
            {
                var clock = Stopwatch.StartNew();
                await AskSiteAsync(site, query);
                siteTimings.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                await ExecuteAsync(criteria, connection);
                timings.Add(clock.Elapsed.TotalMilliseconds);
            }

            timings.Sort();
            siteTimings.Sort();
            var (p50, p95) = (Percentile(timings, 50), Percentile(timings, 95));
            var (siteP50, siteP95) = (Percentile(siteTimings, 50), Percentile(siteTimings, 95));
            Console.Error.WriteLine($"  {query.Kind}: SQL p50 {p50:0.00} ms, p95 {p95:0.00} ms; site in turn p50 {siteP50:0.00} ms, p95 {siteP95:0.00} ms; " +
                $"{timings.Count} runs; {rows} rows of {total}");
            tsv.Append(CultureInfo.InvariantCulture, $"{query.Kind}\t{p50:0.00}\t{p95:0.00}\t{timings.Count}\t{rows}\t{total}\t{place}\t{siteP50:0.00}\t{siteP95:0.00}\n");
            explain.Append(await ExplainAsync(query, criteria, place, connection));
        }

        await File.WriteAllTextAsync(options.Required("out-tsv"), tsv.ToString());
        await File.WriteAllTextAsync(options.Required("out-explain"), explain.ToString());
        return 0;
    }

    /// <summary>One answer of the site to the query, read to its end; anything but 200 stops the run.</summary>
    private static async Task AskSiteAsync(HttpClient site, BenchQuery query)
    {
        using var response = await site.GetAsync(query.Path.TrimStart('/'), HttpCompletionOption.ResponseContentRead);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new CommandLineException($"{query.Kind}: the site answered {(int)response.StatusCode} to {query.Path}");
        }
    }

    /// <summary>The point the site chose for this query's place (the "place" of its API answer).</summary>
    private static async Task<GeoPoint> ResolvePlaceAsync(HttpClient site, BenchQuery query)
    {
        var answer = await site.GetFromJsonAsync<JsonElement>("api/trials?" + query.QueryString);
        return answer.TryGetProperty("place", out var place) && place.ValueKind == JsonValueKind.Object
            ? new GeoPoint(place.GetProperty("latitude").GetDouble(), place.GetProperty("longitude").GetDouble())
            : throw new CommandLineException($"{query.Kind}: the site resolved no place for {query.Path}");
    }

    private static async Task<(int Rows, long Total)> ExecuteAsync(StudySearchCriteria criteria, NpgsqlConnection connection)
    {
        var page = await StudySearchQuery.RunAsync(connection, criteria, CancellationToken.None);
        return (page.Hits.Count, page.Total);
    }

    /// <summary>
    /// The plan of each statement the search ran (a search by distance may widen its reach before the last), each run
    /// again as it ran, then under EXPLAIN.
    /// </summary>
    private static async Task<string> ExplainAsync(BenchQuery query, StudySearchCriteria criteria, string place, NpgsqlConnection connection)
    {
        var text = new StringBuilder($"""
            ### {query.Kind}

            `{query.Path}`{(place == "-" ? "" : $" — place resolved by the site to {place}")}


            """);
        var statements = new List<(double? Reach, bool NearestPlacesFirst, string Sql, NpgsqlParameter[] Parameters)>();
        await StudySearchQuery.RunAsync(connection, criteria, CancellationToken.None, ran => statements.Add(
            (ran.ReachKm, ran.NearestPlacesFirst, ran.Command.CommandText, ran.Command.Parameters.Select(p => p.Clone()).ToArray())));
        foreach (var (reach, nearestPlacesFirst, sql, statementParameters) in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(statementParameters);
            var parameters = string.Join("; ", command.Parameters.Select(p => $"@{p.ParameterName} = {Show(p.Value)}"));
            var rows = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows++;
                }
            }

            command.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + sql;
            var plan = new StringBuilder();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.AppendLine(reader.GetString(0));
                }
            }

            text.Append($"""
                {(reach is { } km ? $"Within {km.ToString(CultureInfo.InvariantCulture)} km{(nearestPlacesFirst ? ", nearest places first" : "")} ({rows} rows of a {criteria.PageSize}-row page)" : "The statement")}. Parameters: {parameters}

                <details><summary>SQL</summary>

                ```sql
                {sql}
                ```

                </details>

                ```
                {plan.ToString().TrimEnd()}
                ```


                """);
        }

        return text.ToString();
    }

    private static string Show(object? value) => value switch
    {
        null or DBNull => "null",
        string text => $"'{text}'",
        Array array => "{" + string.Join(",", array.Cast<object?>().Select(Show)) + "}",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
