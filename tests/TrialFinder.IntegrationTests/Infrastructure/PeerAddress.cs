using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// The network peer of a test request, which the in-memory test server does not have: a request with the
/// <see cref="Header"/> header comes "from" that address, as if over TCP, before the site's own pipeline
/// (forwarded headers, rate limits) sees it. Requests without it keep the test server's default.
/// </summary>
public sealed class PeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
                context.Request.Headers.Remove(Header);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
