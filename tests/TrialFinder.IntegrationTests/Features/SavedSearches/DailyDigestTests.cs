using TrialFinder.Testing;
using System.Net;
using TrialFinder.IntegrationTests.Features.Bookmarks;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Sync.Notifications;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.IntegrationTests.Features.SavedSearches;

/// <summary>The daily digest e-mails what changed in bookmarks and new saved-search matches, once, and its link unsubscribes.</summary>
public sealed class DailyDigestTests : IAsyncLifetime
{
    private const string Lutathera = "NCT04711135";
    private const string NewStudy = "NCT05489887";
    private const string Email = "dr.moreau@example.org";

    private SyncedSite _synced = null!;

    public async Task InitializeAsync() => _synced = await SyncedSite.StartAsync(withheld: NewStudy);

    public async Task DisposeAsync() => await _synced.DisposeAsync();

    [Fact]
    public async Task The_digest_sends_one_email_with_the_changes_and_new_matches_and_its_link_unsubscribes()
    {
        var clinician = await _synced.Site.SignUpAsync(Email);
        var bystander = await _synced.Site.SignUpAsync("dr.no-digest@example.org");
        await bystander.PostAsync("/bookmarks", "/bookmarks/add", ("nctId", Lutathera));
        var turnedOn = await clinician.PostAsync("/settings", "/settings", ("HomePlace", ""), ("DailyDigest", "true"));
        Assert.Equal(HttpStatusCode.Redirect, turnedOn.StatusCode);
        Assert.Contains("name=\"DailyDigest\" value=\"true\" checked=\"checked\"", await clinician.TextAsync("/settings"));
        await clinician.PostAsync("/bookmarks", "/bookmarks/add", ("nctId", Lutathera));
        await clinician.PostAsync("/", "/saved-searches", ("Name", "Neuroblastoma watch"), ("QueryString", "?q=neuroblastoma"));
        var sentBefore = _synced.Site.Emails.Messages.Count;

        await _synced.RunDigestAsync();
        Assert.Equal(sentBefore, _synced.Site.Emails.Messages.Count); // nothing changed: nothing sent

        _synced.Replay.Update(Lutathera, SyncedSite.Today, study =>
            SyncedSite.Protocol(study)["statusModule"]!["overallStatus"] = "ACTIVE_NOT_RECRUITING");
        _synced.Publish(NewStudy);
        await _synced.SyncAsync(RunSync.Command.Incremental());
        await _synced.RunDigestAsync();

        var digest = Assert.Single(_synced.Site.Emails.Messages.Skip(sentBefore));
        Assert.Equal(Email, digest.To);
        Assert.Equal("TrialFinder: 1 bookmarked study changed", digest.Subject);
        Assert.Contains($"{Lutathera} — Study to Evaluate Safety and Dosimetry of Lutathera", digest.Body);
        Assert.Contains("Status changed from RECRUITING to ACTIVE_NOT_RECRUITING", digest.Body);
        Assert.Contains("“Neuroblastoma watch”: 1 new", digest.Body);
        Assert.Contains($"{NewStudy} — Naxitamab Added to Induction for Newly Diagnosed High-Risk Neuroblastoma", digest.Body);
        Assert.Contains($"{WebTestHost.BaseUrl}/trials/{NewStudy}", digest.Body);
        var unsubscribe = Assert.Single(Mailbox.Links(digest.Body), link => link.Contains("/digest/unsubscribe/", StringComparison.Ordinal));

        await _synced.RunDigestAsync();
        Assert.Single(_synced.Site.Emails.Messages.Skip(sentBefore)); // the same news is not sent twice

        var visitor = _synced.Site.Visitor(); // the link works signed out
        var path = Mailbox.PathOf(unsubscribe);
        var confirm = await visitor.TextAsync(path);
        Assert.Contains("Do you want to stop receiving the TrialFinder daily e-mail?", confirm);
        var unsubscribed = await visitor.PostAsync(path, path);
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        Assert.Contains("You are unsubscribed", await unsubscribed.TextAsync());
        Assert.DoesNotContain("checked", (await clinician.DocumentAsync("/settings")).QuerySelector("input[type=checkbox]")!.OuterHtml);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Client.GetAsync("/digest/unsubscribe/" + new string('a', 48))).StatusCode);

        _synced.Replay.Update(Lutathera, SyncedSite.Today, study =>
            SyncedSite.Protocol(study)["statusModule"]!["overallStatus"] = "COMPLETED");
        await _synced.SyncAsync(RunSync.Command.Incremental());
        await _synced.RunDigestAsync();
        Assert.Single(_synced.Site.Emails.Messages.Skip(sentBefore));
    }

    [Fact]
    public async Task The_digest_is_written_in_the_language_the_user_chose_on_the_site()
    {
        var clinician = await _synced.Site.SignUpAsync("dr.lefevre@example.org");
        var chosen = await clinician.PostAsync("/", "/language", ("language", "fr"), ("returnUrl", "/settings"));
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        await clinician.PostAsync("/settings", "/settings", ("HomePlace", ""), ("DailyDigest", "true"));
        await clinician.PostAsync("/bookmarks", "/bookmarks/add", ("nctId", Lutathera));
        var sentBefore = _synced.Site.Emails.Messages.Count;

        _synced.Replay.Update(Lutathera, SyncedSite.Today, study =>
            SyncedSite.Protocol(study)["statusModule"]!["overallStatus"] = "ACTIVE_NOT_RECRUITING");
        await _synced.SyncAsync(RunSync.Command.Incremental());
        await _synced.RunDigestAsync();

        var digest = Assert.Single(_synced.Site.Emails.Messages.Skip(sentBefore));
        Assert.Equal("TrialFinder : 1 essai favori a changé", digest.Subject);
        Assert.Contains("Changements dans vos essais favoris :", digest.Body);
        Assert.Contains($"{WebTestHost.BaseUrl}/trials/{Lutathera}", digest.Body);
        Assert.Contains($"Vos favoris : {WebTestHost.BaseUrl}/bookmarks", digest.Body);
        Assert.Single(Mailbox.Links(digest.Body), link => link.Contains("/digest/unsubscribe/", StringComparison.Ordinal));
    }
}
