using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Web.Features.Security;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace TrialFinder.Web.Features.Therapies;

[EnableRateLimiting(RateLimits.Pages)]
public sealed class TherapiesController : Controller
{
    [HttpGet("/therapies")]
    public IActionResult Index() => View("Index", TherapyExplainers.All(CultureInfo.CurrentUICulture));

    [HttpGet("/therapies/{slug}")]
    public IActionResult Details(string slug)
    {
        var explainer = slug.Length <= 40 ? TherapyExplainers.Find(slug.ToLowerInvariant(), CultureInfo.CurrentUICulture) : null;
        return explainer is null ? NotFound() : View("Details", explainer);
    }
}
