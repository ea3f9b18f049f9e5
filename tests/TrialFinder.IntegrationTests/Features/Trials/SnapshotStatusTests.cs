using TrialFinder.Core.Studies;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Catalog;
using TrialFinder.Sync.Syncing;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Features.Trials;

/// <summary>
/// The shipped snapshot as a first run imports it: a snapshot study shows the date and source of its status, how
/// many of the reported sites it lists and whether its criteria are an excerpt, until the registry writes it.
/// The facts asserted are those of the shipped provenance (see Snapshot/STATUS-REVIEW.md).
/// </summary>
public sealed class SnapshotStatusTests : IAsyncLifetime
{
    private const string Cabinet = "NCT03375320";
    private const string CabinetStatusSource = "https://www.pathway.md/studies/cabinet-extrapancreatic-neuroendocrine-tumors-recT7K5aWY1xwFQNi";
    private const string NetterP = "NCT04711135";
    private const string Radiant4 = "NCT01524783";

    private readonly TestDatabase _database = new();
    private RegistryReplay _replay = null!;
    private WebTestHost _site = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(RegistryRecords.Corpus());
        using (var host = SyncHost.Create(_database, _replay))
        {
            var imported = await host.SendAsync(new ImportSnapshot.Command(null));
            Assert.True(imported is { Succeeded: true }, imported?.ToString());
        }

        _site = new WebTestHost(_database);
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _replay.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_trial_page_of_CABINET_shows_its_corrected_status_with_the_date_and_source_it_was_read_from()
    {
        var page = await PageAsync($"/trials/{Cabinet}", "en");

        Assert.Equal("Active, not recruiting", page.QuerySelector(".badges .badge")!.TextContent.Trim());
        var asOf = page.QuerySelector(".status-as-of")!;
        Assert.StartsWith("Status as of 16 September 2024 (", Normalize(asOf.TextContent));
        var source = asOf.QuerySelector("a")!;
        Assert.Equal(CabinetStatusSource, source.GetAttribute("href"));
        Assert.StartsWith("Pathway: CABINET", source.TextContent);
    }

    [Theory]
    [InlineData("en", "Status as of 16 September 2024", "2 of about 492 sites listed")]
    [InlineData("fr", "Statut au 16 septembre 2024", "2 centres listés sur environ 492")]
    public async Task A_partial_site_list_says_how_many_of_the_reported_sites_it_lists(string language, string statusAsOf, string partial)
    {
        var page = await PageAsync($"/trials/{Cabinet}", language);

        Assert.Equal(2, page.QuerySelectorAll("ol.sites > li").Length);
        Assert.Equal(partial, Normalize(page.QuerySelector(".sites-partial")!.TextContent));
        Assert.StartsWith(statusAsOf, Normalize(page.QuerySelector(".status-as-of")!.TextContent));
    }

    [Theory]
    [InlineData("en", "Eligibility criteria (excerpt — read the full text in the registry)", "Full eligibility criteria (as written in the registry)")]
    [InlineData("fr", "Critères d’éligibilité (extrait — lisez le texte complet dans le registre)", "Critères d’éligibilité complets (tels qu’écrits dans le registre)")]
    public async Task Criteria_cut_short_are_headed_as_an_excerpt_with_a_link_to_the_full_text_and_complete_ones_are_not(
        string language, string excerptHeading, string fullHeading)
    {
        var excerpt = await PageAsync($"/trials/{Cabinet}", language);
        var complete = await PageAsync($"/trials/{Radiant4}", language);

        Assert.Equal(excerptHeading, excerpt.QuerySelector("details.criteria > summary")!.TextContent.Trim());
        Assert.Equal($"https://clinicaltrials.gov/study/{Cabinet}", excerpt.QuerySelector(".criteria-excerpt a")!.GetAttribute("href"));
        Assert.Equal(fullHeading, complete.QuerySelector("details.criteria > summary")!.TextContent.Trim());
        Assert.Null(complete.QuerySelector(".criteria-excerpt"));
    }

    [Fact]
    public async Task The_results_list_shows_the_status_date_and_the_partial_site_count_of_snapshot_data()
    {
        var page = await PageAsync("/trials?q=cabozantinib&status=ACTIVE_NOT_RECRUITING&lat=27.95&lon=-82.46&radiusKm=100", "en");

        var result = page.QuerySelectorAll("li.result").Single(r => r.QuerySelector($"a[href^='/trials/{Cabinet}']") is not null);
        Assert.StartsWith("Status as of 16 September 2024", Normalize(result.QuerySelector(".status-as-of")!.TextContent));
        Assert.Equal(CabinetStatusSource, result.QuerySelector(".status-as-of a")!.GetAttribute("href"));
        Assert.Equal("(2 of about 492 sites listed)", Normalize(result.QuerySelector(".sites-partial")!.TextContent));
    }

    [Fact]
    public async Task While_the_catalogue_is_a_snapshot_the_header_says_statuses_may_have_changed_and_links_to_the_registry()
    {
        var page = await PageAsync("/", "en");

        var notice = page.QuerySelector(".data-source .snapshot-statuses")!;
        Assert.Contains("may have changed", notice.TextContent);
        Assert.Equal("https://clinicaltrials.gov/search", notice.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task After_the_registry_writes_the_study_the_status_date_partial_sites_and_excerpt_label_are_gone()
    {
        // CABINET comes back changed; NETTER-P comes back exactly as the snapshot has it (the unchanged path).
        _replay.Update(Cabinet, new DateOnly(2026, 11, 20), study => study["protocolSection"]!["statusModule"]!["overallStatus"] = "COMPLETED");
        var before = await PageAsync($"/trials/{NetterP}", "en");
        Assert.Equal("1 of about 12 sites listed", Normalize(before.QuerySelector(".sites-partial")!.TextContent));

        using (var host = SyncHost.Create(_database, _replay))
        {
            var refreshed = await host.SyncAsync(RunSync.Command.Refresh([Cabinet, NetterP]));
            Assert.True(refreshed.Succeeded, refreshed.ToString());
        }

        foreach (var id in new[] { Cabinet, NetterP })
        {
            var page = await PageAsync($"/trials/{id}", "en");
            Assert.Null(page.QuerySelector(".status-as-of"));
            Assert.Null(page.QuerySelector(".sites-partial"));
            Assert.Null(page.QuerySelector(".criteria-excerpt"));
            Assert.Equal("Full eligibility criteria (as written in the registry)", page.QuerySelector("details.criteria > summary")!.TextContent.Trim());
        }

        Assert.Equal("Completed", (await PageAsync($"/trials/{Cabinet}", "en")).QuerySelector(".badges .badge")!.TextContent.Trim());
        await using var db = _database.CreateContext();
        var stored = db.Studies.Where(s => s.NctId == Cabinet || s.NctId == NetterP)
            .Select(s => new { Source = s.Source.Stored(), s.SnapshotStatusAsOf, s.SnapshotStatusSourceUrl, s.SnapshotReportedSiteCount, s.SnapshotCriteriaIsExcerpt })
            .ToList();
        Assert.All(stored, s => Assert.Equal(("registry", (DateOnly?)null, (string?)null, (int?)null, false),
            (s.Source, s.SnapshotStatusAsOf, s.SnapshotStatusSourceUrl, s.SnapshotReportedSiteCount, s.SnapshotCriteriaIsExcerpt)));
    }

    private async Task<IDocument> PageAsync(string path, string language)
    {
        var client = _site.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var html = await client.GetStringAsync(path);
        return new HtmlParser().ParseDocument(html);
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
