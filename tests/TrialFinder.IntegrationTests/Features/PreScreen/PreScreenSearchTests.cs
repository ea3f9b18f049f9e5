using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.PreScreening;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.PreScreen;

/// <summary>
/// "Tell us about the patient" on the search form and the API: each trial's verdict is what the pre-screen rule makes of
/// its stored eligibility facts, "may not fit" always quotes a sentence of the trial's own criteria, the filter hides
/// exactly those trials, bad answers are refused, and the trial page shows the checklist, in English and French.
/// </summary>
public sealed class PreScreenSearchTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private const string EveryStatus = "status=RECRUITING&status=NOT_YET_RECRUITING&status=ACTIVE_NOT_RECRUITING&status=COMPLETED"
        + "&status=ENROLLING_BY_INVITATION&status=SUSPENDED&status=TERMINATED&status=WITHDRAWN&status=UNKNOWN";

    // Answers that conflict with common neuroblastoma criteria: not MIBG-avid, already had anti-GD2 antibody.
    private const string Profile = "pt-mibg-avid=no&pt-prior-anti-gd2=yes&pt-disease-state=relapsed";

    [Fact]
    public async Task Without_a_profile_results_carry_no_verdict()
    {
        var response = await GetJsonAsync($"/api/trials?disease=neuroblastoma&{EveryStatus}&pageSize=100");

        var trials = response.GetProperty("trials").EnumerateArray().ToList();
        Assert.NotEmpty(trials);
        Assert.All(trials, t => Assert.Equal(JsonValueKind.Null, t.GetProperty("preScreen").ValueKind));
    }

    [Fact]
    public async Task With_a_profile_each_trials_verdict_is_the_rules_verdict_on_its_stored_facts_and_may_not_fit_quotes_its_criteria()
    {
        var response = await GetJsonAsync($"/api/trials?disease=neuroblastoma&{EveryStatus}&pageSize=100&{Profile}");

        var trials = response.GetProperty("trials").EnumerateArray().ToList();
        Assert.NotEmpty(trials);
        var (profile, _) = PatientProfile.Parse(name => System.Web.HttpUtility.ParseQueryString(Profile)[name]);
        await using var db = catalog.Database.CreateContext();
        var stored = await db.Studies.AsNoTracking().ToDictionaryAsync(s => s.NctId);
        var mayNotFit = 0;
        foreach (var trial in trials)
        {
            var study = stored[trial.GetProperty("nctId").GetString()!];
            var expected = TrialFinder.Core.PreScreening.PreScreen.Check(profile, study.EligibilityFacts, study.Diseases);
            var preScreen = trial.GetProperty("preScreen");
            Assert.Equal(Word(expected.Verdict), preScreen.GetProperty("verdict").GetString());
            var conflicts = preScreen.GetProperty("mayNotFit").EnumerateArray().ToList();
            Assert.Equal(expected.Conflicts.Select(c => c.Criterion), conflicts.Select(c => c.GetProperty("criterion").GetString()));
            foreach (var conflict in conflicts)
            {
                var reasons = conflict.GetProperty("reasons").EnumerateArray().ToList();
                Assert.NotEmpty(reasons);
                Assert.All(reasons, r => Assert.Contains(Normalize(r.GetProperty("quote").GetString()!), Normalize(study.EligibilityCriteria!)));
            }

            mayNotFit += conflicts.Count > 0 ? 1 : 0;
        }

        // The real records hold neuroblastoma trials that exclude earlier anti-GD2 antibody or require MIBG-avid disease.
        Assert.True(mayNotFit > 0, "no trial may not fit");
        Assert.Contains(trials, t => t.GetProperty("preScreen").GetProperty("verdict").GetString() != "may-not-fit");
    }

    [Fact]
    public async Task The_filter_hides_exactly_the_trials_that_may_not_fit_and_counts_them()
    {
        var all = await GetJsonAsync($"/api/trials?disease=neuroblastoma&{EveryStatus}&pageSize=100&{Profile}");
        var hidden = await GetJsonAsync($"/api/trials?disease=neuroblastoma&{EveryStatus}&pageSize=100&{Profile}&pt-hide-conflicts=true");

        var allTrials = all.GetProperty("trials").EnumerateArray().ToList();
        var kept = allTrials.Where(t => t.GetProperty("preScreen").GetProperty("verdict").GetString() != "may-not-fit")
            .Select(t => t.GetProperty("nctId").GetString()).ToList();
        Assert.True(kept.Count < allTrials.Count);
        Assert.Equal(kept, hidden.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("nctId").GetString()));
        Assert.Equal(kept.Count, hidden.GetProperty("total").GetInt32());

        // Paged: the second page of two starts where the first ended.
        var firstPage = await GetJsonAsync($"/api/trials?disease=neuroblastoma&{EveryStatus}&pageSize=2&{Profile}&pt-hide-conflicts=true");
        var secondPage = await GetJsonAsync($"/api/trials?disease=neuroblastoma&{EveryStatus}&pageSize=2&page=2&{Profile}&pt-hide-conflicts=true");
        Assert.Equal(kept.Take(4), firstPage.GetProperty("trials").EnumerateArray().Concat(secondPage.GetProperty("trials").EnumerateArray())
            .Select(t => t.GetProperty("nctId").GetString()));

        var page = await PageAsync($"/trials?disease=neuroblastoma&{EveryStatus}&pageSize=100&{Profile}&pt-hide-conflicts=true", "en");
        Assert.Contains($"{allTrials.Count - kept.Count} trial(s) that may not fit what you told us are hidden.", page.QuerySelector(".prescreen-hidden")!.TextContent);
    }

    [Theory]
    [InlineData("pt-ki67=abc", "pt-ki67")]
    [InlineData("pt-mibg-avid=perhaps", "pt-mibg-avid")]
    [InlineData("pt-performance-score=101", "pt-performance-score")]
    [InlineData("pt-hide-conflicts=often", "pt-hide-conflicts")]
    public async Task A_bad_answer_is_a_400_problem_on_the_api_and_a_message_on_the_page(string query, string field)
    {
        using var client = catalog.Web.CreateClient();

        var api = await client.GetAsync($"/api/trials?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));

        var page = await client.GetAsync($"/trials?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        Assert.Contains("We cannot read this answer", html.QuerySelector(".error-summary")!.TextContent);

        var trialApi = await client.GetAsync($"/api/trials/NCT02139397?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, trialApi.StatusCode);
    }

    [Theory]
    [InlineData("en", "Tell us about the patient (optional)", "May not fit", "these answers are medical information")]
    [InlineData("fr", "Parlez-nous du patient (facultatif)", "Pourrait ne pas correspondre", "ces réponses sont des informations médicales")]
    public async Task The_results_page_shows_the_form_section_the_verdicts_and_the_quotes_in_both_languages(
        string language, string formTitle, string mayNotFit, string privacy)
    {
        var page = await PageAsync($"/trials?disease=neuroblastoma&{EveryStatus}&pageSize=100&{Profile}", language);

        Assert.Equal(formTitle, page.QuerySelector("details.patient-profile > summary")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("details.patient-profile[open]"));
        Assert.Contains(privacy, page.QuerySelector(".privacy-note")!.TextContent);
        Assert.Equal("no", page.QuerySelector("select[name='pt-mibg-avid'] option[selected]")!.GetAttribute("value"));
        var conflict = page.QuerySelectorAll(".result .prescreen-may-not-fit").First();
        Assert.Equal(mayNotFit, conflict.QuerySelector(".prescreen-verdict")!.TextContent.Trim());
        Assert.False(string.IsNullOrWhiteSpace(conflict.QuerySelector(".prescreen-reasons q")!.TextContent));
        // The trial link carries the answers so that its page shows the checklist.
        var link = conflict.Closest(".result")!.QuerySelector("h2 a")!.GetAttribute("href")!;
        Assert.Contains("pt-mibg-avid=no", link);
    }

    [Fact]
    public async Task The_home_page_form_has_the_section_closed_with_every_question_at_dont_know()
    {
        var page = await PageAsync("/", "en");

        var section = page.QuerySelector("details.patient-profile")!;
        Assert.Null(section.GetAttribute("open"));
        var selects = section.QuerySelectorAll("select").ToList();
        Assert.Equal(PatientQuestions.All.Count(q => !q.IsNumber), selects.Count);
        Assert.All(selects, s => Assert.Equal("Don’t know", s.QuerySelector("option")!.TextContent.Trim()));
        Assert.All(selects, s => Assert.Null(s.QuerySelector("option[selected]")));
    }

    [Theory]
    [InlineData("en", "Could the patient join? Checklist", "May not fit", "What the trial says")]
    [InlineData("fr", "Le patient pourrait-il participer ? Liste de vérification", "Pourrait ne pas correspondre", "Ce que dit l’essai")]
    public async Task The_trial_page_shows_every_criterion_with_quote_answer_and_result(string language, string title, string mayNotFit, string trialColumn)
    {
        var (nctId, quote) = await TrialRequiringMibgAvidDiseaseAsync();

        var page = await PageAsync($"/trials/{nctId}?pt-mibg-avid=no", language);

        var checklist = page.QuerySelector(".prescreen-checklist")!;
        Assert.Equal(title, checklist.QuerySelector("h3")!.TextContent.Trim());
        Assert.Contains(trialColumn, checklist.QuerySelector("thead")!.TextContent);
        var rows = checklist.QuerySelectorAll("tbody tr").ToList();
        Assert.Equal(PatientQuestions.CriteriaOf("neuroblastoma"), rows.Select(r => r.GetAttribute("data-criterion")));
        var mibg = rows.Single(r => r.GetAttribute("data-criterion") == "mibg-avid");
        Assert.Equal(mayNotFit, mibg.QuerySelector(".outcome")!.TextContent.Trim());
        Assert.Equal(Normalize(quote), Normalize(mibg.QuerySelector("q")!.TextContent));
    }

    [Fact]
    public async Task Without_a_profile_the_trial_page_shows_the_stated_criteria_alone_and_the_api_gives_the_checklist()
    {
        var (nctId, quote) = await TrialRequiringMibgAvidDiseaseAsync();

        var page = await PageAsync($"/trials/{nctId}", "en");

        var checklist = page.QuerySelector(".prescreen-checklist")!;
        Assert.Equal("Key eligibility criteria, read from the text", checklist.QuerySelector("h3")!.TextContent.Trim());
        Assert.Null(checklist.QuerySelector(".outcome"));
        Assert.Contains(checklist.QuerySelectorAll("q"), q => Normalize(q.TextContent) == Normalize(quote));

        var api = await GetJsonAsync($"/api/trials/{nctId}?pt-mibg-avid=no");
        var line = api.GetProperty("checklist").GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("criterion").GetString() == "mibg-avid");
        Assert.Equal("may-not-fit", api.GetProperty("checklist").GetProperty("verdict").GetString());
        Assert.Equal("may-not-fit", line.GetProperty("outcome").GetString());
        Assert.Equal(quote, line.GetProperty("reasons")[0].GetProperty("quote").GetString());
    }

    [Theory]
    [InlineData("en", "Pre-screen sheet", "What you told us")]
    [InlineData("fr", "Fiche de pré-sélection", "Ce que vous nous avez dit")]
    public async Task The_print_sheet_lists_the_trials_that_may_fit_each_with_its_checklist_and_nearest_sites(string language, string title, string told)
    {
        const string Search = $"disease=neuroblastoma&{EveryStatus}&{Profile}&lat=40.7506&lon=-73.9972&radiusKm=20000";
        var kept = await GetJsonAsync($"/api/trials?{Search}&pt-hide-conflicts=true&pageSize={TrialFinder.Web.Features.PreScreen.PreScreenController.SheetTrials}");

        var sheet = await PageAsync($"/pre-screen/sheet?{Search}", language);

        Assert.Equal(title, sheet.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(told, sheet.QuerySelector(".sheet-answers h2")!.TextContent.Trim());
        var trials = sheet.QuerySelectorAll(".sheet-trial").ToList();
        Assert.Equal(kept.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("nctId").GetString()), trials.Select(t => t.GetAttribute("data-nct-id")));
        Assert.NotEmpty(trials);
        Assert.All(trials, t =>
        {
            var checklist = t.QuerySelector(".prescreen-checklist")!;
            Assert.Null(checklist.QuerySelector("tr.outcome-may-not-fit"));
            Assert.NotEmpty(checklist.QuerySelectorAll("tbody tr"));
        });
        Assert.NotEmpty(sheet.QuerySelectorAll(".sheet-sites li"));

        // The recorded trials list no site contacts; give the first trial's sites one, as the registry does for many.
        var first = trials[0].GetAttribute("data-nct-id")!;
        await using (var db = catalog.Database.CreateContext())
        {
            const string Contact = """[{"Name":"Study coordinator","Role":"CONTACT","Phone":"+1 555 0100","Email":"coordinator@example.org"}]""";
            await db.Database.ExecuteSqlAsync($"UPDATE sites SET contacts = {Contact}::jsonb WHERE nct_id = {first}");
        }

        var again = await PageAsync($"/pre-screen/sheet?{Search}", language);
        var shown = again.QuerySelectorAll($".sheet-trial[data-nct-id='{first}'] .sheet-sites .contact").Select(c => c.TextContent.Trim()).ToList();
        Assert.NotEmpty(shown);
        Assert.All(shown, c => Assert.Equal("Study coordinator · +1 555 0100 · coordinator@example.org", c));
        Assert.All(trials, t => Assert.True(t.QuerySelectorAll(".sheet-sites li").Length <= 3));
    }

    [Fact]
    public async Task The_print_sheet_needs_an_answer_and_the_results_page_links_to_it_only_with_one()
    {
        using var client = catalog.Web.CreateClient();
        var empty = await client.GetAsync("/pre-screen/sheet?disease=neuroblastoma");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Answer at least one question", await empty.Content.ReadAsStringAsync());

        var without = await PageAsync("/trials?disease=neuroblastoma", "en");
        Assert.Null(without.QuerySelector(".prescreen-sheet-link a"));
        var with = await PageAsync($"/trials?disease=neuroblastoma&{Profile}", "en");
        var href = with.QuerySelector(".prescreen-sheet-link a")!.GetAttribute("href")!;
        Assert.StartsWith("/pre-screen/sheet?", href);
        Assert.Contains("pt-mibg-avid=no", href);
    }

    private async Task<(string NctId, string Quote)> TrialRequiringMibgAvidDiseaseAsync()
    {
        await using var db = catalog.Database.CreateContext();
        var studies = await db.Studies.AsNoTracking().Where(s => s.IsListed).OrderBy(s => s.NctId).ToListAsync();
        var fact = studies.SelectMany(s => s.EligibilityFacts.Select(f => (s.NctId, Fact: f)))
            .First(x => x.Fact.Criterion == "mibg-avid" && x.Fact.Value == "required");
        return (fact.NctId, fact.Fact.Quote);
    }

    private static string? Word(PreScreenVerdict? verdict) => verdict switch
    {
        PreScreenVerdict.Fits => "fits",
        PreScreenVerdict.MayNotFit => "may-not-fit",
        PreScreenVerdict.NotStated => "not-stated",
        _ => null,
    };

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var client = catalog.Web.CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<IDocument> PageAsync(string path, string language)
    {
        using var client = catalog.Web.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return new HtmlParser().ParseDocument(await client.GetStringAsync(path));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
