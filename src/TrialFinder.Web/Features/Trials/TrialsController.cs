using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Web.Features.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using TrialFinder.Core.Geo;
using TrialFinder.Core.PreScreening;
using TrialFinder.Core.Studies;
using TrialFinder.Infrastructure.Site;

namespace TrialFinder.Web.Features.Trials;

[EnableRateLimiting(RateLimits.Pages)]
public sealed class TrialsController(IMediator mediator) : Controller
{
    [HttpGet(SitePaths.Trial)]
    public async Task<IActionResult> Details(string nctId, [FromQuery] string? lat, [FromQuery] string? lon, [FromQuery] string? near, CancellationToken cancellationToken)
    {
        if (!NctId.TryParse(nctId, out var id))
        {
            return NotFound();
        }

        // Distances are a courtesy on this page: a pair that does not make a point is ignored, not an error.
        double? Number(string? text) => double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
        var point = GeoPoint.TryFromPair(Number(lat), Number(lon), out var given) ? given : null;

        var (patient, invalid) = PatientProfile.Parse(name => Request.Query[name].FirstOrDefault());
        var trial = await mediator.Send(new TrialDetails.Query(id.Value, point?.Latitude, point?.Longitude, invalid.Count == 0 ? patient : null), cancellationToken);
        if (trial is null)
        {
            return NotFound();
        }

        if (invalid.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            ViewData["PatientError"] = true;
        }

        ViewData["Near"] = near is { Length: <= 100 } ? near : null;
        return View("Details", trial);
    }
}
