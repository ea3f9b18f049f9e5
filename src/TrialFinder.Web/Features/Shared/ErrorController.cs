using Microsoft.AspNetCore.Mvc;

namespace TrialFinder.Web.Features.Shared;

/// <summary>Friendly error pages; API paths get problem+json instead.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController : Controller
{
    [Route("/error")]
    [Route("/error/{status:int}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Error(int? status)
    {
        var code = status ?? StatusCodes.Status500InternalServerError;
        var originalPath = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path
            ?? "";
        if (originalPath.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(statusCode: code);
        }

        Response.StatusCode = code;
        return View("Error", code);
    }
}
