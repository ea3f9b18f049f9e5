using TrialFinder.Infrastructure.Site;

namespace TrialFinder.Web.Features.Security;

/// <summary>
/// Refuses (400) a request whose Host is not the site's: <c>AllowedHosts</c> (";"-separated, "*.example.org"
/// allowed, "*" for any) or, when it is not set, the host of <c>Site:BaseUrl</c>. The health probes are
/// exempt, because load balancers call them by the instance's own address.
/// </summary>
public sealed class AllowedHosts
{
    public const string Setting = "AllowedHosts";

    private readonly string[] _hosts;

    public AllowedHosts(IConfiguration configuration, SiteOptions site)
    {
        var configured = (configuration[Setting] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _hosts = configured.Length > 0 ? configured : [site.BaseUri.Host];
    }

    public IReadOnlyList<string> Hosts => _hosts;

    public bool Allows(HostString host)
    {
        if (!host.HasValue || host.Host.Length == 0)
        {
            return false;
        }

        foreach (var allowed in _hosts)
        {
            if (allowed == "*"
                || string.Equals(allowed, host.Host, StringComparison.OrdinalIgnoreCase)
                || (allowed.StartsWith("*.", StringComparison.Ordinal) && host.Host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    public static IApplicationBuilder UseAllowedHosts(IApplicationBuilder app, params string[] exemptPaths)
    {
        // Resolved on the first request, not while the pipeline is built: a wrong Site:BaseUrl must reach the
        // start-up settings check (one line, exit code 2), not throw here.
        return app.Use(async (context, next) =>
        {
            var allowed = context.RequestServices.GetRequiredService<AllowedHosts>();
            if (allowed.Allows(context.Request.Host) || exemptPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Unknown host.");
        });
    }
}
