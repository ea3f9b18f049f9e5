using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Web.Features.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using TrialFinder.Sync.Mapping;

namespace TrialFinder.Web.Features.Trials;

[EnableRateLimiting(RateLimits.Pages)]
public sealed class TrialsController(IMediator mediator) : Controller
{
    [HttpGet("/trials/{nctId}")]
    public async Task<IActionResult> Details(string nctId, [FromQuery] string? lat, [FromQuery] string? lon, [FromQuery] string? near, CancellationToken cancellationToken)
    {
        var id = nctId.Trim().ToUpperInvariant();
        if (!RegistryStudyMapper.IsNctId(id))
        {
            return NotFound();
        }

        double? latitude = double.TryParse(lat, System.Globalization.CultureInfo.InvariantCulture, out var la) && la is >= -90 and <= 90 ? la : null;
        double? longitude = double.TryParse(lon, System.Globalization.CultureInfo.InvariantCulture, out var lo) && lo is >= -180 and <= 180 ? lo : null;
        if (latitude is null || longitude is null)
        {
            latitude = longitude = null;
        }

        var trial = await mediator.Send(new TrialDetails.Query(id, latitude, longitude), cancellationToken);
        if (trial is null)
        {
            return NotFound();
        }

        ViewData["Near"] = near is { Length: <= 100 } ? near : null;
        return View("Details", trial);
    }
}
