using Microsoft.AspNetCore.Mvc;

namespace TrialFinder.Web.Features.Shared;

/// <summary>Friendly error pages; API paths get problem+json instead.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController : Controller
{
    [Route("/error")]
    [Route("/error/{status:int}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Error()
    {
        // Read from the route, not bound: binding would read the original request's form, which may be the
        // very thing that could not be read (then nothing is bound and a 400 would turn into a 500).
        int? status = RouteData.Values.TryGetValue("status", out var value)
            && int.TryParse(value?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : null;
        var reExecuted = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath;
        var failed = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path;
        // Opened directly (not for another request's error), /error/500 must not answer a 5xx: there is no such page.
        var code = reExecuted is null && failed is null ? StatusCodes.Status404NotFound : status ?? StatusCodes.Status500InternalServerError;
        var originalPath = reExecuted ?? failed ?? "";
        if (originalPath.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(statusCode: code);
        }

        Response.StatusCode = code;
        return View("Error", code);
    }
}
