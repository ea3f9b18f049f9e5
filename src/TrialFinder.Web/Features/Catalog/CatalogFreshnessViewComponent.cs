using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TrialFinder.Infrastructure.Registry;

namespace TrialFinder.Web.Features.Catalog;

/// <summary>The header line on every page saying which data the site shows: a dated snapshot, or the last sync.</summary>
public sealed class CatalogFreshnessViewComponent(IMediator mediator, IOptions<RegistryOptions> registry) : ViewComponent
{
    public sealed record Line(CatalogFreshness.Model Freshness, string RegistrySearchUrl);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var freshness = await mediator.Send(new CatalogFreshness.Query(), HttpContext.RequestAborted);
        return View("~/Features/Catalog/_CatalogFreshness.cshtml", new Line(freshness, registry.Value.SearchPageUrl()));
    }
}
