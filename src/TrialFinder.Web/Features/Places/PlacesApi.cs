using TrialFinder.Web.Features.Security;
using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using TrialFinder.Data.Places;

namespace TrialFinder.Web.Features.Places;

/// <summary><c>GET /api/places?q=&amp;limit=</c>: place and postcode look-up for the "near" box (offline gazetteer).</summary>
public static class PlacesApi
{
    public static IEndpointRouteBuilder MapPlacesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/places", LookUpAsync)
            .WithName("LookUpPlaces")
            .WithTags("Places")
            .RequireRateLimiting(RateLimits.Places)
            .WithSummary("Cities, towns and postcodes matching q (autocomplete), biggest first.")
            .WithDescription($"q: a city, town or postcode (1 to {PlaceLookup.MaxTextLength} characters), optionally qualified: "
                + $"\"Paris, France\", \"Paris, TX\", \"10001\", \"69003\", \"80331 Munich\", \"1000, Switzerland\". limit: 1 to {PlaceLookup.MaxLimit}, default {PlaceLookup.DefaultLimit}.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<PlaceMatch>>, ValidationProblem>> LookUpAsync(
        string? q, string? limit, IMediator mediator, CancellationToken cancellationToken)
    {
        var count = PlaceLookup.DefaultLimit;
        var limitIsNumber = string.IsNullOrWhiteSpace(limit) || int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out count);
        var errors = PlaceLookup.Validate(q, limitIsNumber ? count : 0);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The place look-up is not valid.");
        }

        return TypedResults.Ok(await mediator.Send(new PlaceLookup.Query(q!.Trim(), count), cancellationToken));
    }
}
