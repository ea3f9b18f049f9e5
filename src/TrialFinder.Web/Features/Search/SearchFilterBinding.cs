using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Localization;
using Microsoft.OpenApi;
using TrialFinder.Core.PreScreening;
using TrialFinder.Data.Search;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.Search;

/// <summary>Binds a <see cref="SearchFilter"/> from the query string, the same way for the pages and the API.</summary>
public sealed class SearchFilterBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var query = bindingContext.HttpContext.Request.Query;
        bindingContext.Result = ModelBindingResult.Success(SearchFilter.From(name => query[name].ToArray()));
        return Task.CompletedTask;
    }
}

/// <summary>Describes the filters of a <see cref="SearchFilter"/> parameter in the OpenAPI document, one query parameter per name.</summary>
public sealed class SearchFilterOpenApi : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var bound = context.Description.ParameterDescriptions.Where(p => p.Type == typeof(SearchFilter)).Select(p => p.Name).ToHashSet();
        if (bound.Count == 0)
        {
            return Task.CompletedTask;
        }

        var parameters = operation.Parameters ??= [];
        foreach (var stale in parameters.Where(p => p.Name is { } name && bound.Contains(name)).ToList())
        {
            parameters.Remove(stale);
        }

        foreach (var name in SearchFilter.Names.All.Concat(PatientQuestions.Names))
        {
            var text = new OpenApiSchema { Type = JsonSchemaType.String };
            parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Schema = SearchFilter.Names.Repeated.Contains(name) ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = text } : text,
            });
        }

        return Task.CompletedTask;
    }
}

/// <summary>The site's message for each problem a search filter can have, in the reader's language.</summary>
public static class SearchFilterMessages
{
    /// <summary>One message per field (the last problem found for it).</summary>
    public static Dictionary<string, string[]> ByField(IEnumerable<SearchFilterError> errors, IStringLocalizer<SiteText> text) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => new[] { Message(g.Last(), text) });

    public static string Message(SearchFilterError error, IStringLocalizer<SiteText> text) => text[Key(error.Problem), error.Arguments].Value;

    /// <summary>The message when the place typed in "near" is not one the place rule knows.</summary>
    public static string UnknownPlace(string typed, IStringLocalizer<SiteText> text) =>
        Message(new SearchFilterError(SearchFilter.Names.Near, SearchFilterProblem.UnknownPlace, [typed.Trim()]), text);

    private static string Key(SearchFilterProblem problem) => problem switch
    {
        SearchFilterProblem.AgeTwice => "error.age.both",
        SearchFilterProblem.Age => "error.age",
        SearchFilterProblem.AgeMonths => "error.ageMonths",
        SearchFilterProblem.CoordinateMissing => "error.latlon.both",
        SearchFilterProblem.Latitude => "error.lat",
        SearchFilterProblem.Longitude => "error.lon",
        SearchFilterProblem.PlaceTooLong => "error.near.length",
        SearchFilterProblem.UnknownPlace => "error.near.unknown",
        SearchFilterProblem.Radius => "error.radius",
        SearchFilterProblem.Unit => "error.unit",
        SearchFilterProblem.Therapy => "error.therapy",
        SearchFilterProblem.Disease => "error.disease",
        SearchFilterProblem.Refractory => "error.refractory",
        SearchFilterProblem.Status => "error.status",
        SearchFilterProblem.Phase => "error.phase",
        SearchFilterProblem.Country => "error.country",
        SearchFilterProblem.Text => "error.q",
        SearchFilterProblem.Sort => "error.sort",
        SearchFilterProblem.Page => "error.page",
        SearchFilterProblem.PageSize => "error.pageSize",
        SearchFilterProblem.Patient => "error.patient",
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
    };
}
