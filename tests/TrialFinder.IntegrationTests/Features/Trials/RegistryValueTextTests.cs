using System.Net;
using Microsoft.EntityFrameworkCore;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Trials;

/// <summary>
/// A status or phase the registry adds before the site has words for it is shown as the registry wrote it, in
/// both languages, never as a translation key; known values keep their words.
/// </summary>
public sealed class RegistryValueTextTests : IAsyncLifetime
{
    private const string Study = "NCT04221035";
    private readonly CatalogFixture _catalog = new();

    public Task InitializeAsync() => _catalog.InitializeAsync();

    public Task DisposeAsync() => _catalog.DisposeAsync();

    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    public async Task An_unknown_status_and_phase_are_shown_as_the_registry_wrote_them(string language)
    {
        await using (var db = _catalog.Database.CreateContext())
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE studies SET overall_status = 'PAUSED_FOR_REVIEW', phases = ARRAY['PHASE5'] WHERE nct_id = {Study}");
        }

        var client = _catalog.Web.CreateClient();
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        var trial = WebUtility.HtmlDecode(await client.GetStringAsync($"/trials/{Study}"));

        Assert.Contains("PAUSED_FOR_REVIEW", trial);
        Assert.Contains("PHASE5", trial);
        Assert.DoesNotContain("status.PAUSED_FOR_REVIEW", trial);
        Assert.DoesNotContain("phase.PHASE5", trial);
    }

    [Fact]
    public async Task A_known_status_keeps_its_words()
    {
        var client = _catalog.Web.CreateClient();
        client.DefaultRequestHeaders.Add("Accept-Language", "fr");

        var trial = WebUtility.HtmlDecode(await client.GetStringAsync($"/trials/{Study}"));

        Assert.DoesNotContain(">RECRUITING<", trial);
        Assert.DoesNotContain("status.RECRUITING", trial);
    }
}
