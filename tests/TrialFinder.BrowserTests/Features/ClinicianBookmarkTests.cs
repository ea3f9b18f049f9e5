using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TrialFinder.BrowserTests.Infrastructure;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;
using static Microsoft.Playwright.Assertions;
using TrialFinder.Infrastructure.Email;
using TrialFinder.Sync.Syncing;

namespace TrialFinder.BrowserTests.Features;

/// <summary>Issue 5: a clinician signs up, bookmarks a trial from a search, keeps a note and is told when the trial changes.</summary>
public sealed class ClinicianBookmarkTests : IAsyncLifetime
{
    private const string Password = "a long and private passphrase";

    private readonly TestDatabase _database = new();
    private readonly Mailbox _mail = new();
    private RegistryReplay? _replay;
    private SyncHost? _worker;
    private RunningSite? _site;
    private Chromium? _chromium;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _replay = await RegistryReplay.StartAsync(RegistryRecords.Corpus());
        _worker = SyncHost.Create(_database, _replay);
        await SyncAsync(RunSync.Command.Full());
        _site = await RunningSite.StartAsync(_database, _replay, configure: builder =>
        {
            // The site's e-mails land in this mailbox (the product never logs their links).
            builder.Services.AddSingleton<IEmailSender>(_mail);
        });
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_site is not null)
        {
            await _site.DisposeAsync();
        }

        _worker?.Dispose();
        if (_replay is not null)
        {
            await _replay.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_clinician_signs_up_bookmarks_a_trial_from_a_search_adds_a_note_and_sees_the_change_badge_after_a_sync()
    {
        const string email = "dr.martin@example.org";
        await using var context = await _chromium!.NewContextAsync(_site!);
        var page = await context.NewPageAsync();

        // Sign up; the confirmation link arrives by (logged) e-mail.
        await page.GotoAsync("/account/register");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password (at least 12 characters)").FillAsync(Password);
        await page.GetByLabel("Type the password again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check your e-mail");

        // The link names Site:BaseUrl; the test site listens on another port, so the path is followed there.
        var confirmation = await _mail.LinkInAsync(email, "Confirm");
        Assert.Contains("/account/confirm-email?", confirmation);
        await page.GotoAsync(Mailbox.PathOf(confirmation));
        await Expect(page.GetByText("Your e-mail address is confirmed. You can now sign in.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).Last.ClickAsync();
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password (at least 12 characters)").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My bookmarks");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        // Search, and bookmark the first result in place.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Find a trial" }).ClickAsync();
        await page.GetByLabel("Age of the patient in years").FillAsync("3");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Anti-GD2 immunotherapy" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Find trials" }).ClickAsync();
        var result = page.Locator("ol.results > li.result").First;
        await Expect(result).ToBeVisibleAsync();
        var title = await result.Locator("h2 a").InnerTextAsync();
        var nctId = Regex.Match(await result.Locator("h2 a").GetAttributeAsync("href") ?? "", @"NCT\d{8}").Value;
        Assert.Matches(@"^NCT\d{8}$", nctId);
        var bookmark = result.GetByRole(AriaRole.Button, new() { Name = "Bookmark this trial" });
        await bookmark.ClickAsync();
        await Expect(result.GetByRole(AriaRole.Button, new() { Name = "Bookmarked – remove" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(result.Locator(".bookmark-status")).ToHaveTextAsync("Bookmarked.");

        // A private note, from the bookmarks page.
        await page.GotoAsync("/bookmarks");
        var entry = page.Locator("li.bookmark", new() { HasText = nctId });
        await Expect(entry.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Expect(entry.Locator(".note")).ToHaveTextAsync("No note.");
        await Expect(entry.Locator(".badge.changed")).ToHaveCountAsync(0);
        await entry.GetByRole(AriaRole.Link, new() { Name = "Note and list" }).ClickAsync();
        const string note = "Ask the site about travel support for the family.";
        await page.GetByLabel("Private note").FillAsync(note);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the note" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "The note is saved." })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Bookmarks", Exact = true }).ClickAsync();
        await Expect(entry.Locator(".note")).ToHaveTextAsync(note);

        // The registry changes the study's status; the next sync tells the clinician.
        var before = _replay!.Get(nctId)["protocolSection"]!["statusModule"]!["overallStatus"]!.GetValue<string>();
        _replay.Update(nctId, DateOnly.FromDateTime(DateTime.UtcNow), study =>
            study["protocolSection"]!["statusModule"]!["overallStatus"] = "ACTIVE_NOT_RECRUITING");
        await SyncAsync(RunSync.Command.Incremental());

        await page.ReloadAsync();
        await Expect(entry.Locator(".badge.changed")).ToHaveTextAsync("Changed since you last looked (1)");
        await Expect(entry.Locator(".changes-new .history li")).ToContainTextAsync($"Status changed from {before} to ACTIVE_NOT_RECRUITING");
        await Expect(entry.Locator(".badge.status-active_not_recruiting")).ToHaveTextAsync("Active, not recruiting");
        await Expect(page.GetByText("1 bookmarked trials, 1 changed since you last looked.")).ToBeVisibleAsync();

        await entry.GetByRole(AriaRole.Button, new() { Name = "Mark as seen", Exact = true }).ClickAsync();

        await Expect(page.GetByText("1 bookmarked trials, 0 changed since you last looked.")).ToBeVisibleAsync();
        await Expect(entry.Locator(".badge.changed")).ToHaveCountAsync(0);
        await Expect(entry.Locator(".changes-new")).ToHaveCountAsync(0);
        await Expect(entry.Locator(".note")).ToHaveTextAsync(note);
    }

    private async Task SyncAsync(RunSync.Command command)
    {
        var summary = await _worker!.SyncAsync(command);
        Assert.Equal(Core.SyncRuns.SyncOutcome.Succeeded, summary.Outcome);
    }
}
