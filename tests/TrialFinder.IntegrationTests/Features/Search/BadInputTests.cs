using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrialFinder.IntegrationTests.Infrastructure;

namespace TrialFinder.IntegrationTests.Features.Search;

/// <summary>Bad input gets a clear message (page) or a 400 problem+json (API), never a 500, and changes nothing.</summary>
public sealed class BadInputTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "age=-3", "age", "Enter the age in years" },
        { "age=500", "age", "Enter the age in years" },
        { "age=abc", "age", "Enter the age in years" },
        { "ageMonths=-1", "ageMonths", "Enter the age in months" },
        { "age=3&ageMonths=36", "age", "not both" },
        { "radiusKm=0", "radiusKm", "The distance must be" },
        { "radiusKm=50000", "radiusKm", "The distance must be" },
        { "lat=91&lon=0", "lat", "Latitude must be" },
        { "lat=10&lon=181", "lon", "Longitude must be" },
        { "lat=10", "lat", "both latitude and longitude" },
        { "therapy=homeopathy", "therapy", "is not a treatment type we know" },
        { "disease=flu", "disease", "is not a disease we know" },
        { "status=OPEN", "status", "is not a trial status" },
        { "phase=PHASE9", "phase", "is not a trial phase" },
        { "pageSize=1000", "pageSize", "from 1 to 100" },
        { "page=0", "page", "whole number" },
        { "sort=random", "sort", "Choose an order" },
        { "refractory=maybe", "refractory", "true or false" },
        { "q=" + "x'; DROP TABLE studies; --" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "q", "too long" },
        { "near=" + "Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon Lyon", "near", "too long" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_api_answers_400_problem_json_naming_the_field(string query, string field, string message)
    {
        var response = await catalog.Web.CreateClient().GetAsync($"/api/trials?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(errors, e => e!.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_page_shows_the_message_beside_the_form(string query, string field, string message)
    {
        var response = await catalog.Web.CreateClient().GetAsync($"/trials?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("error-summary", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(message), html);
        Assert.Contains("<form", html);
        Assert.NotNull(field);
    }

    [Theory]
    [InlineData("/trials?status=")]
    [InlineData("/?therapy=+")]
    [InlineData("/trials?status=&phase=")]
    [InlineData("/trials?therapy=&therapy=anti-gd2&status=%20")]
    [InlineData("/?status=&phase=&therapy=")]
    public async Task Blank_repeated_filters_mean_no_choice_and_the_page_answers(string url)
    {
        var response = await catalog.Web.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"get\" action=\"/trials\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Markup_in_a_field_is_shown_as_text_never_as_markup()
    {
        var response = await catalog.Web.CreateClient().GetAsync("/trials?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public async Task Sql_in_the_keywords_is_just_text_and_the_catalogue_is_intact()
    {
        var before = await CatalogState.ReadAsync(catalog.Database);

        var response = await catalog.Web.CreateClient().GetAsync("/api/trials?q=" + Uri.EscapeDataString("'; DELETE FROM studies; --"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        CatalogState.AssertSame(before, await CatalogState.ReadAsync(catalog.Database));
    }

    [Theory]
    [InlineData("/trials/NCT0000", HttpStatusCode.NotFound)]
    [InlineData("/trials/NCT99999999", HttpStatusCode.NotFound)]
    [InlineData("/therapies/homeopathy", HttpStatusCode.NotFound)]
    [InlineData("/api/trials/NCT99999999", HttpStatusCode.NotFound)]
    [InlineData("/api/trials/not-an-id", HttpStatusCode.BadRequest)]
    public async Task Unknown_trials_and_slugs_get_a_clear_not_found_or_bad_request(string url, HttpStatusCode expected)
    {
        var response = await catalog.Web.CreateClient().GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
        if (url.StartsWith("/api/", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            Assert.Contains("We could not find this page", await response.Content.ReadAsStringAsync());
        }
    }
}
