using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.PreScreening;
using TrialFinder.IntegrationTests.Features.Bookmarks;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.PreScreen;

/// <summary>
/// A clinician may keep a patient's answers with a saved search (off by default); the daily digest and the feed then
/// say whether a newly matching trial fits them. Without the choice, the answers are not stored.
/// </summary>
public sealed partial class PatientAlertTests : IAsyncLifetime
{
    private const string NewStudy = "NCT05489887"; // "Naxitamab Added to Induction for Newly Diagnosed High-Risk Neuroblastoma"
    private const string Email = "dr.lefevre@example.org";
    private const string Search = "/trials?q=neuroblastoma&pt-disease-state=newly-diagnosed";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private SyncedSite _synced = null!;

    public async Task InitializeAsync() => _synced = await SyncedSite.StartAsync(withheld: NewStudy);

    public async Task DisposeAsync() => await _synced.DisposeAsync();

    [Fact]
    public async Task Answers_are_kept_only_when_chosen_and_the_digest_and_feed_say_a_new_trial_fits_them()
    {
        var clinician = await _synced.Site.SignUpAsync(Email);
        await clinician.PostAsync("/settings", "/settings", ("HomePlace", ""), ("DailyDigest", "true"));
        var results = await clinician.TextAsync(Search);
        var query = WebUtility.HtmlDecode(Regex.Match(results, @"name=""QueryString"" value=""([^""]*)""").Groups[1].Value);
        Assert.Contains("pt-disease-state=newly-diagnosed", query);
        Assert.Matches(@"<input type=""checkbox"" name=""KeepPatient"" value=""true""(?! checked)", results);

        Assert.Equal(HttpStatusCode.Redirect, (await clinician.PostAsync(Search, "/saved-searches", ("Name", "Not kept"), ("QueryString", query))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect,
            (await clinician.PostAsync(Search, "/saved-searches", ("Name", "Kept"), ("QueryString", query), ("KeepPatient", "true"))).StatusCode);
        await using (var db = _synced.Database.CreateContext())
        {
            var stored = await db.SavedSearches.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.QueryString);
            Assert.Equal("?q=neuroblastoma", stored["Not kept"]);
            Assert.Equal("?q=neuroblastoma&pt-disease-state=newly-diagnosed", stored["Kept"]);
        }

        var searches = await clinician.TextAsync("/saved-searches");
        // The feed address is shown once, after saving: this one is the "Kept" search's.
        var feedPath = "/feeds/" + FeedToken().Match(searches).Groups[1].Value;
        var sentBefore = _synced.Site.Emails.Messages.Count;

        _synced.Publish(NewStudy);
        await _synced.SyncAsync(RunSync.Command.Incremental());
        await _synced.RunDigestAsync();

        // The new trial takes newly diagnosed patients, as its stored criteria say.
        await using (var db = _synced.Database.CreateContext())
        {
            var study = await db.Studies.AsNoTracking().SingleAsync(s => s.NctId == NewStudy);
            var (profile, _) = PatientProfile.Parse(name => name == "pt-disease-state" ? "newly-diagnosed" : null);
            Assert.Equal(PreScreenVerdict.Fits, TrialFinder.Core.PreScreening.PreScreen.Check(profile, study.EligibilityFacts, study.Diseases).Verdict);
        }

        var digest = Assert.Single(_synced.Site.Emails.Messages.Skip(sentBefore));
        var kept = digest.Body[digest.Body.IndexOf("“Kept”", StringComparison.Ordinal)..digest.Body.IndexOf("“Not kept”", StringComparison.Ordinal)];
        Assert.Contains($"{NewStudy} — Naxitamab Added to Induction for Newly Diagnosed High-Risk Neuroblastoma{Environment.NewLine}    Fits the patient’s answers kept with this search", kept);
        var notKept = digest.Body[digest.Body.IndexOf("“Not kept”", StringComparison.Ordinal)..];
        Assert.Contains(NewStudy, notKept);
        Assert.DoesNotContain("patient’s answers", notKept);
        Assert.DoesNotContain("newly-diagnosed", digest.Body);

        var xml = await _synced.Site.Visitor().Client.GetStringAsync(feedPath);
        var feed = XDocument.Parse(xml);
        Assert.Equal("TrialFinder: Kept", feed.Root!.Element(Atom + "title")!.Value);
        var entry = feed.Root!.Elements(Atom + "entry").Single(e => e.Element(Atom + "link")!.Attribute("href")!.Value.EndsWith(NewStudy, StringComparison.Ordinal));
        Assert.Contains("Fits the patient’s answers kept with this search", entry.Element(Atom + "summary")!.Value);
        // Feed readers may be third parties: the answers themselves never appear in the feed.
        Assert.DoesNotContain("pt-", xml);
    }

    [GeneratedRegex(@"/feeds/([0-9a-f]{48})")]
    private static partial Regex FeedToken();
}
