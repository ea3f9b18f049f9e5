using TrialFinder.Core.Places;

namespace TrialFinder.Data.Places;

/// <summary>
/// The one rule that turns what someone typed into the place a search (or a saved search, or a home place)
/// is near, or the choices when it could mean several. Over the places of exactly that name (or postcode)
/// after qualifiers, one per label, biggest first:
/// <list type="bullet">
/// <item>none: <see cref="NotFound"/> (also for empty or over-long text);</item>
/// <item>one: <see cref="Found"/>;</item>
/// <item>a postcode in several countries (a US ZIP that is also a French or German postcode, a four-digit code in the
///   Netherlands, Belgium, Switzerland, Austria, Australia...): the one in the country hinted when exactly one is
///   (<c>countryHints</c>: the search's country filter, see <see cref="CountryHintsOf"/>), else <see cref="Ambiguous"/>: the US ZIP
///   first, then the French postcode, then the others by country code; a form that shows its country ("D-80331", "SW1A 1AA",
///   "1012 AB"), a country written with it ("1000 Belgium", "1000, Switzerland") or a town only one of them has
///   ("1000 Bruxelles", see <see cref="PlaceCandidates"/>) leaves one;</item>
/// <item>several places: <see cref="Ambiguous"/> when another place is a plausible meaning, that is it has
///   at least 1/20 of the biggest's population (comparable towns), or at least 20,000 people and at least
///   1/100 of the biggest (a real city in its own right); the choices are the biggest and those plausible
///   others, at most <see cref="MaxChoices"/>. Otherwise <see cref="Found"/>, the biggest.</item>
/// </list>
/// So "Lyon" is Lyon, France; "Paris" is Paris, France or Paris, Texas (24,782 people, more than
/// 1/100 of Paris, France's 2.1 million); "London" is London, England or London, Ontario; while "Berlin"
/// is Berlin, Germany and "Paris, Texas" or "Paris, TX" is the Texan one. A name is never completed
/// from its beginning here ("Lyo" is not Lyon): that is the autocomplete's job, where the person sees the choice.
/// </summary>
public static class PlaceResolution
{
    public const int MaxTextLength = 100;
    public const int MaxChoices = 8;
    public const int ComparableRatio = 20;
    public const int RealCityRatio = 100;
    public const int RealCityPopulation = 20_000;

    public abstract record Result
    {
        /// <summary>The place to use now: the one found, or the first choice (the biggest, or the US ZIP); null when none.</summary>
        public PlaceMatch? Best => this switch
        {
            Found found => found.Place,
            Ambiguous ambiguous => ambiguous.Choices[0],
            _ => null,
        };
    }

    public sealed record Found(PlaceMatch Place) : Result;

    public sealed record Ambiguous(IReadOnlyList<PlaceMatch> Choices) : Result;

    public sealed record NotFound : Result;

    /// <param name="countryHints">ISO codes of the countries the visitor is likely in, most likely first; they choose among a postcode's countries.</param>
    public static async Task<Result> ResolveAsync(
        TrialFinderDbContext db, string? text, CancellationToken cancellationToken, IReadOnlyList<string>? countryHints = null)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxTextLength)
        {
            return new NotFound();
        }

        var places = (await PlaceCandidates.ExactAsync(db, PlaceText.Parse(trimmed), lastQualifierAsPrefix: false, cancellationToken))
            .DistinctBy(PlaceMatch.LabelOf)
            .ToList();
        if (places.Count > 1 && places.All(p => p.Kind == PlaceKind.PostalCode)
            && countryHints?.Select(hint => places.Where(p => p.CountryCode == hint).ToList()).FirstOrDefault(inHint => inHint.Count > 0) is [var hinted])
        {
            return new Found(PlaceMatch.From(hinted));
        }

        return places switch
        {
            [] => new NotFound(),
            [var only] => new Found(PlaceMatch.From(only)),
            _ when places.All(p => p.Kind == PlaceKind.PostalCode) => new Ambiguous(places.Take(MaxChoices).Select(PlaceMatch.From).ToList()),
            [var biggest, .. var others] => others.Where(p => IsPlausibleAlternative(biggest.Population, p.Population)).ToList() is { Count: > 0 } plausible
                ? new Ambiguous(plausible.Prepend(biggest).Take(MaxChoices).Select(PlaceMatch.From).ToList())
                : new Found(PlaceMatch.From(biggest)),
        };
    }

    /// <summary>
    /// The country hints a search carries: the country of its country filter ("Belgium", "Schweiz", "CH"), when that names one.
    /// Whatever decides the place is part of the search's query string, so the result cache keys on it.
    /// </summary>
    public static IReadOnlyList<string>? CountryHintsOf(string? countryFilter) =>
        !string.IsNullOrWhiteSpace(countryFilter) && Countries.Find(countryFilter.Trim()) is { } code ? [code] : null;

    /// <summary>Whether a place of this population is a plausible meaning of a name whose biggest place has <paramref name="biggest"/> people.</summary>
    public static bool IsPlausibleAlternative(int biggest, int population) =>
        (long)population * ComparableRatio >= biggest
        || (population >= RealCityPopulation && (long)population * RealCityRatio >= biggest);
}
