using System.Text.Json;
using Refit;

namespace TrialFinder.Infrastructure.Registry;

/// <summary>The parts of ClinicalTrials.gov API v2 the product uses (names as in the registry's OpenAPI spec).</summary>
[Headers("Accept: application/json")]
public interface IClinicalTrialsApi
{
    [Get("/studies")]
    Task<StudiesPage> SearchStudiesAsync(
        [AliasAs("query.cond")] string? condition,
        [AliasAs("query.term")] string? term,
        [AliasAs("filter.advanced")] string? advancedFilter,
        [AliasAs("fields")] string? fields,
        [AliasAs("pageSize")] int? pageSize,
        [AliasAs("pageToken")] string? pageToken,
        [AliasAs("countTotal")] string? countTotal,
        CancellationToken cancellationToken);

    [Get("/studies/{nctId}")]
    Task<ApiResponse<JsonElement?>> GetStudyAsync(string nctId, CancellationToken cancellationToken);

    [Get("/version")]
    Task<RegistryVersion> GetVersionAsync(CancellationToken cancellationToken);
}

/// <summary>One page of <c>GET /studies</c>; the last page has no next-page token.</summary>
public sealed record StudiesPage(IReadOnlyList<JsonElement>? Studies, string? NextPageToken, int? TotalCount);

public sealed record RegistryVersion(string? ApiVersion, string? DataTimestamp);
