using Microsoft.AspNetCore.RateLimiting;
using TrialFinder.Web.Features.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using TrialFinder.Data.Search;
using TrialFinder.Core.Geo;
using TrialFinder.Core.PreScreening;
using Microsoft.Extensions.Localization;
using TrialFinder.Web.Localization;
using TrialFinder.Core.Studies;
using TrialFinder.Web.Features.Trials;

namespace TrialFinder.Web.Features.Search;

/// <summary>The JSON API: the same filters and the same results as the pages.</summary>
[ApiController]
[EnableRateLimiting(RateLimits.Api)]
public sealed class TrialsApiController(IMediator mediator, IStringLocalizer<SiteText> text) : ControllerBase
{
    private string PatientAnswerMessage => text["error.patient"].Value;

    [HttpGet("/api/trials")]
    [ProducesResponseType<TrialSearchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Search([ModelBinder<SearchFilterBinder>] SearchFilter filter, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new SearchTrials.Query(filter), cancellationToken);
        if (!result.IsValid)
        {
            return ValidationProblem(new ValidationProblemDetails(result.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Title = "The search filters are not valid.",
            });
        }

        return Ok(TrialSearchResponse.From(result));
    }

    [HttpGet("/api/trials/{nctId}")]
    [ProducesResponseType<TrialDetails.Model>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Details(string nctId, [FromQuery] double? lat, [FromQuery] double? lon, CancellationToken cancellationToken)
    {
        if (!NctId.TryParse(nctId, out var id))
        {
            return Problem(title: "Not an NCT id.", detail: $"An NCT id is {NctId.Description}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!GeoPoint.TryFromPair(lat, lon, out _))
        {
            return Problem(title: "Invalid coordinates.", detail: "Give both lat (-90..90) and lon (-180..180), or neither.", statusCode: StatusCodes.Status400BadRequest);
        }

        var (patient, invalid) = PatientProfile.Parse(name => Request.Query[name].FirstOrDefault());
        if (invalid.Count > 0)
        {
            return ValidationProblem(new ValidationProblemDetails(invalid.ToDictionary(name => name, _ => new[] { PatientAnswerMessage }))
            {
                Title = "The patient's facts are not valid.",
            });
        }

        var trial = await mediator.Send(new TrialDetails.Query(id.Value, lat, lon, patient), cancellationToken);
        return trial is null
            ? Problem(title: "No such trial.", detail: $"{id.Value} is not in the catalogue.", statusCode: StatusCodes.Status404NotFound)
            : Ok(trial);
    }
}

/// <param name="MoreThanTotal">More trials match than <paramref name="Total"/>: totals are counted up to 1,000.</param>
public sealed record TrialSearchResponse(
    int Total, bool MoreThanTotal, int Page, int PageSize, SearchTrials.ResolvedPlace? Place, IReadOnlyList<SearchTrials.ResolvedPlace> OtherPlaces,
    double? RadiusKm, IReadOnlyList<SearchTrials.TrialSummary> Trials)
{
    public static TrialSearchResponse From(SearchTrials.Result result) => new(
        result.Total, result.MoreThanTotal, result.Criteria.Page, result.Criteria.PageSize, result.Place, result.OtherPlaces,
        result.Criteria.Near is null ? null : result.Criteria.RadiusKm, result.Trials);
}
