using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFinder.IntegrationTests.Features.Accounts;
using TrialFinder.IntegrationTests.Features.Bookmarks;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Security;

/// <summary>
/// A NUL character (%00), which PostgreSQL cannot store or search, gets a 400 with a message — never a 500 from
/// deep inside a search or a save — and stored data stays as it was. The query-string fuzzer found the 500.
/// </summary>
public sealed class NulCharacterTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private TestSite _site = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await TestSite.LoadCatalogAsync(_database);
        _site = new TestSite(_database);
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("q=%00")]
    [InlineData("country=Fr%00ance")]
    [InlineData("near=Ly%00on")]
    [InlineData("age=5&x%00=1")]
    public async Task A_search_with_a_nul_character_is_answered_400_on_the_api_and_the_page(string query)
    {
        var visitor = _site.Visitor();

        var api = await visitor.Client.GetAsync($"/api/trials?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Contains("NUL character", (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        var page = await visitor.Client.GetAsync($"/trials?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_note_with_a_nul_character_is_refused_and_the_stored_note_is_kept()
    {
        var clinician = await _site.SignUpAsync("dr.nul@example.org");
        const string Search = "/trials?q=neuroblastoma&pageSize=100";
        const string Siopen = "NCT04221035";
        await clinician.PostAsync(Search, "/bookmarks/add", ("nctId", Siopen), ("returnUrl", Search));
        var id = await clinician.BookmarkIdAsync(Siopen);
        await clinician.PostAsync($"/bookmarks/{id}", $"/bookmarks/{id}/note", ("Note", "Call back Tuesday"));

        var refused = await clinician.PostAsync($"/bookmarks/{id}", $"/bookmarks/{id}/note", ("Note", "Call\0 back"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await using var db = _database.CreateContext();
        Assert.Equal("Call back Tuesday", await db.Bookmarks.Where(b => b.NctId == Siopen).Select(b => b.Note).SingleAsync());
    }
}
