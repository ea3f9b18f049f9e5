using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>The real web site (its whole HTTP pipeline) over a test database.</summary>
public sealed class WebTestHost(TestDatabase database) : WebApplicationFactory<TrialFinder.Web.Localization.SiteText>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        builder.UseSetting("ConnectionStrings:TrialFinder", database.ConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
