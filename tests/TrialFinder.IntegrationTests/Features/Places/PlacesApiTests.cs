using TrialFinder.IntegrationTests.Infrastructure;
using System.Net;
using System.Text.Json;

namespace TrialFinder.IntegrationTests.Features.Places;

/// <summary><c>GET /api/places</c> through the site's whole HTTP pipeline.</summary>
public sealed class PlacesApiTests(PlacesFixture places) : IClassFixture<PlacesFixture>
{
    [Fact]
    public async Task Answers_json_places_with_label_coordinates_kind_and_country()
    {
        var response = await places.Web.CreateClient().GetAsync("/api/places?q=Lyon&limit=3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var first = json.RootElement.EnumerateArray().First();
        Assert.Equal(["label", "latitude", "longitude", "kind", "countryCode"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Lyon, Auvergne-Rhône-Alpes, France", first.GetProperty("label").GetString());
        Assert.Equal(45.75, first.GetProperty("latitude").GetDouble(), 0.05);
        Assert.Equal(4.85, first.GetProperty("longitude").GetDouble(), 0.05);
        Assert.Equal("city", first.GetProperty("kind").GetString());
        Assert.Equal("FR", first.GetProperty("countryCode").GetString());
        Assert.InRange(json.RootElement.GetArrayLength(), 1, 3);
    }

    [Fact]
    public async Task Defaults_to_eight_places()
    {
        using var json = JsonDocument.Parse(await places.Web.CreateClient().GetStringAsync("/api/places?q=San"));

        Assert.Equal(8, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_zip_answers_that_zip()
    {
        using var json = JsonDocument.Parse(await places.Web.CreateClient().GetStringAsync("/api/places?q=10001"));

        var zip = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("10001, New York, United States", zip.GetProperty("label").GetString());
        Assert.Equal("postcode", zip.GetProperty("kind").GetString());
        Assert.Equal("US", zip.GetProperty("countryCode").GetString());
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("'; DROP TABLE places; --")]
    [InlineData("Robert'); DELETE FROM places WHERE ('1'='1")]
    [InlineData("\" OR 1=1 --")]
    public async Task Markup_and_sql_in_q_answer_an_empty_list(string q)
    {
        var client = places.Web.CreateClient();
        var response = await client.GetAsync($"/api/places?q={Uri.EscapeDataString(q)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
        using var lyon = JsonDocument.Parse(await client.GetStringAsync("/api/places?q=Lyon"));
        Assert.NotEqual(0, lyon.RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("", "q")]
    [InlineData("?q=", "q")]
    [InlineData("?q=%20%20", "q")]
    [InlineData("?limit=3", "q")]
    [InlineData("?q=Lyon&limit=0", "limit")]
    [InlineData("?q=Lyon&limit=21", "limit")]
    [InlineData("?q=Lyon&limit=-1", "limit")]
    [InlineData("?q=Lyon&limit=abc", "limit")]
    [InlineData("?q=Lyon&limit=2.5", "limit")]
    public async Task Bad_input_answers_400_problem_json_naming_the_parameter(string query, string parameter)
    {
        var response = await places.Web.CreateClient().GetAsync("/api/places" + query);

        await AssertProblemAsync(response, parameter);
    }

    [Fact]
    public async Task Overlong_q_answers_400_problem_json()
    {
        var response = await places.Web.CreateClient().GetAsync("/api/places?q=" + new string('a', 101));

        var errors = await AssertProblemAsync(response, "q");
        Assert.Contains("100", errors);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, string parameter)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(parameter, out var messages), body);
        return messages.ToString();
    }
}
