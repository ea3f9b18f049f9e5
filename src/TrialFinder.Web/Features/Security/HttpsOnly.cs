using Microsoft.Extensions.Options;
using TrialFinder.Infrastructure.Site;

namespace TrialFinder.Web.Features.Security;

/// <summary>
/// When the public address (Site:BaseUrl) is https, a request that reached the site over plain http (as seen
/// after a known proxy's X-Forwarded-Proto) is sent to the same path on the public address, so no page is
/// ever served, and no cookie set, without TLS. The health probes are exempt: load balancers call them over
/// http. Behind a proxy that is not in ForwardedHeaders:KnownProxies every request looks like http: the
/// endless redirect says so.
/// </summary>
public static class HttpsOnly
{
    public static IApplicationBuilder UseHttpsOnly(this IApplicationBuilder app, params string[] exemptPaths) =>
        app.Use(async (context, next) =>
        {
            var site = context.RequestServices.GetRequiredService<IOptions<SiteOptions>>().Value;
            if (context.Request.IsHttps || exemptPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                await next(context);
                return;
            }

            var target = site.Link(context.Request.PathBase + context.Request.Path + context.Request.QueryString);
            context.Response.Redirect(target, permanent: false, preserveMethod: true);
        });
}
