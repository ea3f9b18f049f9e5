using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace TrialFinder.Web.Features.Security;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies named in
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), plus
/// loopback. From anyone else they are ignored, so a client cannot choose the address it is limited by.
/// </summary>
public static class ProxyHeaders
{
    public const string Section = "ForwardedHeaders";

    public static void Configure(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // Walk back through every trusted hop (CDN in front of a load balancer); it stops at the first unknown one.
        options.ForwardLimit = null;
        foreach (var value in Values(configuration.GetSection($"{Section}:KnownProxies")))
        {
            options.KnownProxies.Add(IPAddress.TryParse(value, out var address)
                ? address
                : throw new InvalidOperationException($"{Section}:KnownProxies: '{value}' is not an IP address."));
        }

        foreach (var value in Values(configuration.GetSection($"{Section}:KnownNetworks")))
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(value, out var network)
                ? network
                : throw new InvalidOperationException($"{Section}:KnownNetworks: '{value}' is not a network in CIDR form (10.0.0.0/8)."));
        }
    }

    /// <summary>A list given as an array (KnownProxies:0, KnownProxies:1) or as one value separated by ',' or ';'.</summary>
    private static IEnumerable<string> Values(IConfigurationSection section)
    {
        var items = section.Value is { Length: > 0 } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        return items.SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
