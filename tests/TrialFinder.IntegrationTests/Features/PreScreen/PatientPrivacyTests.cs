using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrialFinder.Core.PreScreening;
using TrialFinder.Infrastructure.Telemetry;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Web.Features.Search;

namespace TrialFinder.IntegrationTests.Features.PreScreen;

/// <summary>
/// A patient profile is medical data: searches, trial pages, a refused answer, a page not found and a language switch
/// made with one leave no parameter name or answer in any log line (every category at Trace, ASP.NET Core's request
/// log included), in the traces exported over OTLP, or in the search result cache.
/// </summary>
public sealed class PatientPrivacyTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    // Answers whose words appear nowhere else in a request's logs.
    private const string Profile = "pt-primary-site=unknown-primary&pt-disease-state=in-remission&pt-performance-scale=karnofsky"
        + "&pt-performance-score=70&pt-ki67=12&pt-mibg-avid=no&pt-prior-anti-gd2=yes&pt-hide-conflicts=true";

    private static readonly string[] ProfileWords = ["unknown-primary", "in-remission", "karnofsky", "ki67", "mibg-avid", "anti-gd2", "hide-conflicts"];

    [Fact]
    public async Task Searching_with_a_profile_logs_traces_and_caches_no_patient_fact()
    {
        var logs = new LogCapture(scopes: true);
        await using var collector = await OtlpCollector.StartAsync();
        await using var web = catalog.Web.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Logging:LogLevel:Default", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace");
            builder.UseSetting(TelemetrySetup.OtlpEndpointSetting, collector.Url);
            builder.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            builder.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "200");
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        string nctId;
        await using (var db = catalog.Database.CreateContext())
        {
            nctId = await db.Studies.Where(s => s.IsListed && s.Diseases.Contains("neuroblastoma")).OrderBy(s => s.NctId).Select(s => s.NctId).FirstAsync();
        }

        var session = new WebSession(web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var client = session.Client;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/trials?disease=neuroblastoma&{Profile}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/trials?{Profile.Replace("&pt-hide-conflicts=true", "")}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/trials?{Profile}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/trials/{nctId}?{Profile}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/trials/{nctId}?{Profile}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/trials?{Profile}&pt-grade=in-remission")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/trials/NCT00000000?{Profile}")).StatusCode);
        var switched = await session.PostFormAsync($"/trials?{Profile}", "/language", new() { ["language"] = "fr", ["returnUrl"] = $"/trials?{Profile}" });
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Contains("pt-ki67=12", switched.Headers.Location!.OriginalString);

        await collector.WaitForAsync("/v1/traces", "/trials/{nctId}");
        var lines = logs.Lines;
        // The capture really sees the request log and each request's path.
        Assert.Contains(lines, l => l.Contains("Request starting", StringComparison.Ordinal) && l.Contains("/api/trials", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("redirecting to", StringComparison.OrdinalIgnoreCase));
        foreach (var word in PatientQuestions.Names.Concat(ProfileWords))
        {
            Assert.DoesNotContain(lines, l => l.Contains(word, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(collector.Exports, e => e.Contains(word, StringComparison.OrdinalIgnoreCase));
        }

        var cache = web.Services.GetRequiredService<SearchResultCache>();
        Assert.NotEmpty(cache.Keys);
        Assert.All(cache.Keys, key => Assert.DoesNotContain(PatientQuestions.Prefix, key));
    }
}
