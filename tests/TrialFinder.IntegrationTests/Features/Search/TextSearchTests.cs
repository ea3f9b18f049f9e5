using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>
/// Free text finds a word wherever the study names it (titles, acronym, conditions, keywords, interventions),
/// part of a title or an NCT id, and sorts by relevance on request; expectations are read from the records.
/// </summary>
public sealed class TextSearchTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private const string AllStatuses = "status=RECRUITING&status=NOT_YET_RECRUITING&status=ACTIVE_NOT_RECRUITING&status=COMPLETED"
        + "&status=TERMINATED&status=WITHDRAWN&status=UNKNOWN&status=SUSPENDED&status=ENROLLING_BY_INVITATION";

    [Theory]
    [InlineData("lutetium")]
    [InlineData("dinutuximab")]
    [InlineData("pheochromocytoma")]
    public async Task A_word_finds_every_study_that_names_it_in_its_titles_conditions_keywords_or_interventions(string word)
    {
        var ids = await IdsAsync($"/api/trials?q={word}&{AllStatuses}&pageSize=100");

        var expected = Listed.Where(r => Regex.IsMatch(Searchable(r), $"(?<![a-z]){word}", RegexOptions.IgnoreCase)).Select(Id).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), ids.Order());
    }

    [Fact]
    public async Task Part_of_an_NCT_id_or_of_a_title_word_finds_the_studies_that_contain_it()
    {
        var prefix = Id(Listed.First())[..8];
        var byId = await IdsAsync($"/api/trials?q={prefix}&{AllStatuses}&pageSize=100");
        Assert.Equal(Listed.Select(Id).Where(id => id.Contains(prefix, StringComparison.OrdinalIgnoreCase)).Order(), byId.Order());

        const string Fragment = "euroblastom"; // inside "neuroblastoma", which the word search alone would not match
        var byTitle = await IdsAsync($"/api/trials?q={Fragment}&{AllStatuses}&pageSize=100");
        var titled = Listed.Where(r => Title(r).Contains(Fragment, StringComparison.OrdinalIgnoreCase)).Select(Id).ToList();
        Assert.NotEmpty(titled);
        Assert.Superset(titled.ToHashSet(), byTitle.ToHashSet());
    }

    [Fact]
    public async Task Relevance_puts_the_studies_that_name_the_word_most_first()
    {
        var ids = await IdsAsync($"/api/trials?q=lutetium&sort=relevance&{AllStatuses}&pageSize=100");

        var counts = ids.Select(id => Regex.Matches(Searchable(catalog.Records.Single(r => Id(r) == id)), "(?<![a-z])lutetium", RegexOptions.IgnoreCase).Count).ToList();
        Assert.True(counts[0] >= counts[^1], $"mentions in relevance order: {string.Join(", ", counts)}");
    }

    /// <summary>The records whose status the searches below ask for.</summary>
    private IEnumerable<JsonObject> Listed => catalog.Records.Where(r =>
        AllStatuses.Contains("=" + r["protocolSection"]!["statusModule"]!["overallStatus"]!.GetValue<string>() + "&", StringComparison.Ordinal)
        || AllStatuses.EndsWith("=" + r["protocolSection"]!["statusModule"]!["overallStatus"]!.GetValue<string>(), StringComparison.Ordinal));

    private static string Id(JsonObject record) => record["protocolSection"]!["identificationModule"]!["nctId"]!.GetValue<string>();

    private static string Title(JsonObject record) => record["protocolSection"]!["identificationModule"]!["briefTitle"]!.GetValue<string>();

    /// <summary>The parts of a record that free text reads, as the README says.</summary>
    private static string Searchable(JsonObject record)
    {
        var protocol = record["protocolSection"]!;
        var identification = protocol["identificationModule"]!;
        var parts = new List<string?>
        {
            identification["briefTitle"]?.GetValue<string>(), identification["officialTitle"]?.GetValue<string>(), identification["acronym"]?.GetValue<string>(),
        };
        parts.AddRange((protocol["conditionsModule"]?["conditions"]?.AsArray() ?? []).Select(n => n!.GetValue<string>()));
        parts.AddRange((protocol["conditionsModule"]?["keywords"]?.AsArray() ?? []).Select(n => n!.GetValue<string>()));
        foreach (var intervention in protocol["armsInterventionsModule"]?["interventions"]?.AsArray() ?? [])
        {
            parts.Add(intervention!["name"]?.GetValue<string>());
            parts.Add(intervention["description"]?.GetValue<string>());
            parts.AddRange((intervention["otherNames"]?.AsArray() ?? []).Select(n => n!.GetValue<string>()));
        }

        return string.Join(' ', parts.Where(p => p is not null));
    }

    private async Task<List<string>> IdsAsync(string url)
    {
        using var client = catalog.Web.CreateClient();
        var json = await client.GetFromJsonAsync<JsonElement>(url);
        return json.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("nctId").GetString()!).ToList();
    }
}
