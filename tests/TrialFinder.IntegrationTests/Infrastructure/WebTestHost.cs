using TrialFinder.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TrialFinder.Infrastructure.Email;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// The real web site (its whole HTTP pipeline) over a test database. Its public address is the test
/// server's (http://localhost), its e-mails land in <see cref="Mail"/>, and its rate limits are far above
/// what a test makes (the rate-limit tests set their own); <see cref="PeerAddress"/> lets a test choose
/// the address a request comes from.
/// </summary>
public sealed class WebTestHost(TestDatabase database) : WebApplicationFactory<TrialFinder.Web.Localization.SiteText>
{
    public const string BaseUrl = "http://localhost";
    public const string Unlimited = "1000000";

    public static readonly string[] RateLimitSettings =
    [
        "RateLimits:PagesPerMinute", "RateLimits:ApiPerMinute", "RateLimits:PlacesPerMinute", "RateLimits:FeedsPerMinute",
        "RateLimits:UnsubscribePerMinute", "Accounts:AttemptsPerMinute",
    ];

    public Mailbox Mail { get; } = new();

    public bool ListenForChanges { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        builder.UseSetting("ConnectionStrings:TrialFinder", database.ConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Site:BaseUrl", BaseUrl);
        // A test that writes to the catalogue and asks the site at once must not race the change's notice:
        // the site reads the catalogue's version on every request, as without a listener (CatalogChangeListenerTests
        // turn it on).
        builder.UseSetting("Catalog:ListenForChanges", ListenForChanges ? "true" : "false");
        foreach (var setting in RateLimitSettings)
        {
            builder.UseSetting(setting, Unlimited);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter, PeerAddress>();
            services.RemoveAll<IEmailSender>();
            services.AddSingleton<IEmailSender>(Mail);
        });
    }
}
