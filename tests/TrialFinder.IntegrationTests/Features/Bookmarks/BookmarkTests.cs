using TrialFinder.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Core.Geo;
using TrialFinder.IntegrationTests.Features.Accounts;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Bookmarks;

/// <summary>A clinician bookmarks trials from results and trial pages, keeps notes, groups them in lists and exports them.</summary>
public sealed partial class BookmarkTests : IAsyncLifetime
{
    private const string Search = "/trials?q=neuroblastoma&pageSize=100";
    private const string Siopen = "NCT04221035";      // recruiting, nine sites
    private const string Maintenance = "NCT02679144"; // recruiting, five sites

    private readonly TestDatabase _database = new();
    private TestSite _site = null!;
    private WebSession _clinician = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await TestSite.LoadCatalogAsync(_database);
        _site = new TestSite(_database);
        _clinician = await _site.SignUpAsync("dr.bernard@example.org");
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_trial_is_bookmarked_from_the_results_with_a_plain_form_that_returns_to_the_results()
    {
        var results = await _clinician.TextAsync(Search);
        Assert.Contains($"name=\"nctId\" value=\"{Siopen}\"", results);
        Assert.Equal("/bookmarks/add", Pages.ToggleAction(results, Siopen));

        var posted = await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Siopen), ("returnUrl", Search));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(Search, posted.Headers.Location!.OriginalString);
        var after = await _clinician.TextAsync(Search);
        Assert.Equal("/bookmarks/remove", Pages.ToggleAction(after, Siopen));
        Assert.Equal("/bookmarks/add", Pages.ToggleAction(after, Maintenance));
        var page = await _clinician.TextAsync("/bookmarks");
        var entry = Pages.EntryFor(page, Siopen);
        Assert.Contains("High-Risk Neuroblastoma Study 2 of SIOP-Europa-Neuroblastoma", entry);
        Assert.Contains("Recruiting", entry);
        Assert.DoesNotContain("Changed since you last looked", entry);

        // Anonymous visitors get no bookmark buttons.
        Assert.DoesNotContain("/bookmarks/add", await _site.Visitor().TextAsync(Search));
    }

    [Fact]
    public async Task The_trial_page_toggles_the_bookmark_in_place_through_json_and_shows_its_state()
    {
        var trialPage = $"/trials/{Siopen}";
        Assert.Contains("Bookmark this trial", await _clinician.TextAsync(trialPage));
        var token = await _clinician.AntiforgeryTokenAsync(trialPage);

        var added = await PostJsonAsync("/bookmarks/add", Siopen, token);
        Assert.True(added.GetProperty("bookmarked").GetBoolean());
        Assert.Equal("Bookmarked.", added.GetProperty("message").GetString());
        Assert.Contains("Bookmarked – remove", await _clinician.TextAsync(trialPage));
        Assert.NotEmpty(Pages.EntryFor(await _clinician.TextAsync("/bookmarks"), Siopen));

        var removed = await PostJsonAsync("/bookmarks/remove", Siopen, token);
        Assert.False(removed.GetProperty("bookmarked").GetBoolean());
        Assert.Empty(Pages.EntryFor(await _clinician.TextAsync("/bookmarks"), Siopen));
        Assert.Contains("Bookmark this trial", await _clinician.TextAsync(trialPage));
    }

    [Fact]
    public async Task Bookmarking_sends_back_only_to_pages_of_this_site_and_refuses_unknown_studies()
    {
        var offsite = await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Siopen), ("returnUrl", "https://evil.example/phish"));
        Assert.Equal("/bookmarks", offsite.Headers.Location!.OriginalString);

        var unknown = await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", "NCT09999999"), ("returnUrl", Search));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var malformed = await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", "'; drop table bookmarks; --"), ("returnUrl", Search));
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        await using var db = _database.CreateContext();
        Assert.Equal([Siopen], await db.Bookmarks.Select(b => b.NctId).ToListAsync());
    }

    [Fact]
    public async Task A_private_note_is_kept_shown_as_text_and_limited_to_4000_characters()
    {
        await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Siopen), ("returnUrl", Search));
        var id = await _clinician.BookmarkIdAsync(Siopen);
        var editPage = $"/bookmarks/{id}";
        const string note = "Ask Dr Dupont about slots <script>alert(1)</script>\nCall back Tuesday";

        var saved = await _clinician.PostAsync(editPage, $"/bookmarks/{id}/note", ("Note", note));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var edit = await _clinician.Client.GetStringAsync(editPage);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", edit);
        Assert.DoesNotContain("<script>alert(1)", edit);
        Assert.Contains("The note is saved.", WebUtility.HtmlDecode(edit));
        Assert.Contains("Call back Tuesday", Pages.EntryFor(await _clinician.TextAsync("/bookmarks"), Siopen));

        var tooLong = await _clinician.PostAsync(editPage, $"/bookmarks/{id}/note", ("Note", new string('x', 4001)));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("A note can have at most 4000 characters.", await tooLong.TextAsync());
        Assert.Contains("Call back Tuesday", Pages.EntryFor(await _clinician.TextAsync("/bookmarks"), Siopen));

        var exactly = await _clinician.PostAsync(editPage, $"/bookmarks/{id}/note", ("Note", new string('y', 4000)));
        Assert.Equal(HttpStatusCode.Redirect, exactly.StatusCode);
        var cleared = await _clinician.PostAsync(editPage, $"/bookmarks/{id}/note", ("Note", "  "));
        Assert.Equal(HttpStatusCode.Redirect, cleared.StatusCode);
        Assert.Contains("No note.", Pages.EntryFor(await _clinician.TextAsync("/bookmarks"), Siopen));
    }

    [Fact]
    public async Task Named_lists_group_bookmarks_and_can_be_renamed_and_deleted_without_losing_bookmarks()
    {
        await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Siopen), ("returnUrl", Search));
        await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Maintenance), ("returnUrl", Search));
        var created = await _clinician.PostAsync("/bookmarks/lists", "/bookmarks/lists", ("Name", "Patient A"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var duplicate = await _clinician.PostAsync("/bookmarks/lists", "/bookmarks/lists", ("Name", " Patient A "));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("You already have a list with this name.", await duplicate.TextAsync());
        var empty = await _clinician.PostAsync("/bookmarks/lists", "/bookmarks/lists", ("Name", ""));
        Assert.Contains("This field is required.", await empty.TextAsync());
        var listId = await _clinician.ListIdAsync("Patient A");

        var bookmarkId = await _clinician.BookmarkIdAsync(Siopen);
        var moved = await _clinician.PostAsync($"/bookmarks/{bookmarkId}", $"/bookmarks/{bookmarkId}/list", ("listId", listId.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);

        var inList = await _clinician.TextAsync($"/bookmarks?list={listId}");
        Assert.Contains("Bookmarks: Patient A", inList);
        Assert.NotEmpty(Pages.EntryFor(inList, Siopen));
        Assert.Empty(Pages.EntryFor(inList, Maintenance));
        Assert.Contains("List: Patient A", Pages.EntryFor(await _clinician.TextAsync("/bookmarks"), Siopen));

        var renamed = await _clinician.PostAsync("/bookmarks/lists", $"/bookmarks/lists/{listId}/rename", ("Name", "Patient B"));
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        Assert.Contains("Bookmarks: Patient B", await _clinician.TextAsync($"/bookmarks?list={listId}"));

        var deleted = await _clinician.PostAsync("/bookmarks/lists", $"/bookmarks/lists/{listId}/delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clinician.Client.GetAsync($"/bookmarks?list={listId}")).StatusCode);
        var all = await _clinician.TextAsync("/bookmarks");
        Assert.DoesNotContain("List: Patient B", Pages.EntryFor(all, Siopen));
        Assert.NotEmpty(Pages.EntryFor(all, Siopen));
        Assert.NotEmpty(Pages.EntryFor(all, Maintenance));
    }

    [Fact]
    public async Task The_csv_export_lists_each_bookmark_with_its_note_quoted_and_defused_against_formulas()
    {
        await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Siopen), ("returnUrl", Search));
        await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Maintenance), ("returnUrl", Search));
        await _clinician.PostAsync("/bookmarks/lists", "/bookmarks/lists", ("Name", "Patient A, left kidney"));
        var listId = await _clinician.ListIdAsync("Patient A, left kidney");
        var siopenId = await _clinician.BookmarkIdAsync(Siopen);
        await _clinician.PostAsync($"/bookmarks/{siopenId}", $"/bookmarks/{siopenId}/list", ("listId", listId.ToString()));
        const string note = "=HYPERLINK(\"http://evil.example\",\"click\")\nSecond line, with \"quotes\" – é";
        await _clinician.PostAsync($"/bookmarks/{siopenId}", $"/bookmarks/{siopenId}/note", ("Note", note));
        var maintenanceId = await _clinician.BookmarkIdAsync(Maintenance);
        await _clinician.PostAsync($"/bookmarks/{maintenanceId}", $"/bookmarks/{maintenanceId}/note", ("Note", "@SUM(1+1)"));

        var response = await _clinician.Client.GetAsync("/bookmarks/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("bookmarks.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(["NCT number", "Title", "Status", "List", "Note", "Nearest site", "Distance (km)", "Changes not yet seen", "Bookmarked on", "Link"], rows[0]);
        Assert.Equal(3, rows.Count);
        var siopen = Assert.Single(rows, r => r[0] == Siopen);
        Assert.Equal("High-Risk Neuroblastoma Study 2 of SIOP-Europa-Neuroblastoma (SIOPEN)", siopen[1]);
        Assert.Equal("Recruiting", siopen[2]);
        Assert.Equal("Patient A, left kidney", siopen[3]);
        Assert.Equal("'" + note, siopen[4]);
        Assert.Equal($"http://localhost/trials/{Siopen}", siopen[9]);
        Assert.Equal("'@SUM(1+1)", Assert.Single(rows, r => r[0] == Maintenance)[4]);

        var listOnly = await _clinician.Client.GetAsync($"/bookmarks/export.csv?list={listId}");
        var listRows = ParseCsv(Encoding.UTF8.GetString((await listOnly.Content.ReadAsByteArrayAsync())[3..]));
        Assert.Equal([Siopen], listRows.Skip(1).Select(r => r[0]));
        Assert.Equal("bookmarks-patient-a--left-kidney.csv", listOnly.Content.Headers.ContentDisposition!.FileNameStar ?? listOnly.Content.Headers.ContentDisposition.FileName);
    }

    [Fact]
    public async Task The_printable_view_shows_the_bookmarks_with_their_notes_without_the_site_navigation()
    {
        await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Siopen), ("returnUrl", Search));
        var id = await _clinician.BookmarkIdAsync(Siopen);
        await _clinician.PostAsync($"/bookmarks/{id}", $"/bookmarks/{id}/note", ("Note", "Eligible after induction"));

        var print = await _clinician.TextAsync("/bookmarks/print");

        Assert.Contains("High-Risk Neuroblastoma Study 2 of SIOP-Europa-Neuroblastoma", print);
        Assert.Contains("Eligible after induction", print);
        Assert.Contains("Printed from TrialFinder on", print);
        Assert.DoesNotContain("class=\"site-header\"", print);
    }

    [Fact]
    public async Task The_home_place_is_resolved_from_the_gazetteer_and_gives_each_bookmark_its_nearest_site()
    {
        await _clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Siopen), ("returnUrl", Search));
        Assert.Contains("Save your home place", await _clinician.TextAsync("/bookmarks"));

        var unknown = await _clinician.PostAsync("/settings", "/settings", ("HomePlace", "Qwxzyville"), ("DailyDigest", "false"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("We could not find “Qwxzyville”", await unknown.TextAsync());

        var saved = await _clinician.PostAsync("/settings", "/settings", ("HomePlace", "Lyon"), ("DailyDigest", "false"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var label = (await _clinician.DocumentAsync("/settings")).InputValue("HomePlace");
        Assert.StartsWith("Lyon", label);

        await using var db = _database.CreateContext();
        var user = await db.Users.SingleAsync();
        var sites = await db.Sites.Where(s => s.NctId == Siopen && s.Latitude != null).ToListAsync();
        var nearest = sites.MinBy(s => GeoDistance.HaversineKm(user.HomeLatitude!.Value, user.HomeLongitude!.Value, s.Latitude!.Value, s.Longitude!.Value))!;
        var km = GeoDistance.HaversineKm(user.HomeLatitude!.Value, user.HomeLongitude!.Value, nearest.Latitude!.Value, nearest.Longitude!.Value);
        var entry = Pages.EntryFor(await _clinician.TextAsync("/bookmarks"), Siopen);
        Assert.Contains(nearest.Describe(), entry);
        Assert.Contains($"{Math.Round(km, km < 10 ? 1 : 0)} km", entry);
        Assert.Contains($"Distances from {label}.", await _clinician.TextAsync("/bookmarks"));
    }

    private async Task<JsonElement> PostJsonAsync(string action, string nctId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, action)
        {
            Content = new FormUrlEncodedContent([new("nctId", nctId), new("__RequestVerificationToken", token)]),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await _clinician.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>RFC 4180 reading, independent of the product's writer.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }

        Assert.Empty(row);
        Assert.Equal(0, cell.Length);
        return rows;
    }
}
