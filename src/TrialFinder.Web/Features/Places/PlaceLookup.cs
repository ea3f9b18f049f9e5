using System.Diagnostics.CodeAnalysis;
using Mediator;
using TrialFinder.Core.Places;
using TrialFinder.Data;
using TrialFinder.Data.Places;
using TrialFinder.Web.Pipeline;

namespace TrialFinder.Web.Features.Places;

/// <summary>
/// Place look-up for the "near" box and <c>/api/places</c>: a US ZIP (or ZIP+4) gives that ZIP, a
/// French postcode that postcode (after the US ZIP of the same digits, if any); a name gives the places
/// of exactly that name, biggest first, then those whose name starts with it (autocomplete).
/// Qualifiers after commas narrow it: "Paris, France", "Paris, TX", "Paris, Texas".
/// Matching ignores case and accents; nothing is fetched from the network.
/// </summary>
public static class PlaceLookup
{
    public const int MaxTextLength = PlaceResolution.MaxTextLength;
    public const int DefaultLimit = 8;
    public const int MaxLimit = 20;

    public sealed record Query(string Text, int Limit = DefaultLimit) : IValidatedRequest<IReadOnlyList<PlaceMatch>>
    {
        /// <summary>A look-up that breaks the rules is a caller's mistake (the API checks first): it throws.</summary>
        public bool TryRefuse([MaybeNullWhen(false)] out IReadOnlyList<PlaceMatch> refusal)
        {
            var errors = Validate(Text, Limit);
            if (errors.Count > 0)
            {
                throw new InvalidQueryException(errors);
            }

            refusal = null;
            return false;
        }
    }

    /// <summary>The problems with a look-up, by parameter name (<c>q</c>, <c>limit</c>); empty when it is valid.</summary>
    public static Dictionary<string, string[]> Validate(string? text, int limit)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors["q"] = ["Type a city, town or postcode."];
        }
        else if (trimmed.Length > MaxTextLength)
        {
            errors["q"] = [$"A place is at most {MaxTextLength} characters."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit is a whole number from 1 to {MaxLimit}."];
        }

        return errors;
    }

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Query, IReadOnlyList<PlaceMatch>>
    {
        public async ValueTask<IReadOnlyList<PlaceMatch>> Handle(Query query, CancellationToken cancellationToken)
        {
            var text = PlaceText.Parse(query.Text.Trim());
            var exact = await PlaceCandidates.ExactAsync(db, text, lastQualifierAsPrefix: true, cancellationToken);
            var matches = exact.Select(PlaceMatch.From).DistinctBy(m => m.Label).Take(query.Limit).ToList();
            if (matches.Count < query.Limit)
            {
                var prefix = await PlaceCandidates.StartingWithAsync(db, text, 2 * query.Limit, cancellationToken);
                matches = matches.Concat(prefix.Select(PlaceMatch.From)).DistinctBy(m => m.Label).Take(query.Limit).ToList();
            }

            return matches;
        }
    }

    /// <summary>A look-up that breaks the rules of <see cref="Validate"/> (empty or over-long text, limit out of range).</summary>
    public sealed class InvalidQueryException(IReadOnlyDictionary<string, string[]> errors)
        : ArgumentException(string.Join(" ", errors.SelectMany(e => e.Value)))
    {
        public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
    }
}
