using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TrialFinder.Core.Accounts;
using TrialFinder.Data;
using TrialFinder.Data.Accounts;
using TrialFinder.Data.Bookmarks;
using TrialFinder.Data.Search;
using TrialFinder.Data.Places;
using TrialFinder.Web.Features.Search;
using TrialFinder.Web.Localization;

namespace TrialFinder.Web.Features.SavedSearches;

/// <summary>
/// "Save this search": the results page's query string, checked with the search's own rules and stored
/// with its place already turned into lat/lon (so alerts never depend on a later place look-up), and
/// with today's matches remembered so that alerts report only studies that match later.
/// </summary>
public static class SaveSearch
{
    public const int MaxPerUser = 50;
    public const int MaxQueryLength = 2000;

    public sealed class Form
    {
        [Required(ErrorMessage = "error.required"), StringLength(100, ErrorMessage = "savedSearches.name.tooLong")]
        public string Name { get; set; } = "";

        [StringLength(MaxQueryLength, ErrorMessage = "savedSearches.query.tooLong")]
        public string? QueryString { get; set; }

        /// <summary>Keep the patient's answers (pt-…) with the search, so alerts say whether a new trial fits; off by default.</summary>
        public bool KeepPatient { get; set; }
    }

    /// <param name="KeepPatient">Keep the patient's answers with the search; without it they are dropped.</param>
    public sealed record Command(string UserId, string Name, string QueryString, bool KeepPatient = false) : IRequest<Result>;

    /// <summary>The saved search's id and its feed token (shown once), or the problems by field (name, queryString, or a search filter).</summary>
    public sealed record Result(long? Id, IReadOnlyDictionary<string, string[]> Errors, string? FeedToken = null);

    public sealed class Handler(TrialFinderDbContext db, IStringLocalizer<SiteText> text, TimeProvider clock)
        : IRequestHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            // Paging is not part of a saved search; a patient's answers are kept only when the clinician chose to.
            var given = SearchFilter.FromQueryString(command.QueryString);
            var filter = (command.KeepPatient ? given : given.WithoutPatient()) with { Page = null, PageSize = null };
            var errors = SearchFilterMessages.ByField(filter.Parse().Errors, text);
            if (filter.IsEmpty)
            {
                errors["queryString"] = [text["savedSearches.query.empty"]];
            }

            var replace = new Dictionary<string, string?>();
            if (errors.Count == 0 && string.IsNullOrWhiteSpace(filter.Latitude) && !string.IsNullOrWhiteSpace(filter.Near))
            {
                var resolved = await PlaceResolution.ResolveAsync(db, filter.Near, cancellationToken, PlaceResolution.CountryHintsOf(filter.Country));
                if (resolved.Best is not { } place)
                {
                    errors[SearchFilter.Names.Near] = [SearchFilterMessages.UnknownPlace(filter.Near, text)];
                }
                else
                {
                    replace[SearchFilter.Names.Near] = place.Label;
                    replace[SearchFilter.Names.Latitude] = place.Latitude.ToString("0.#####", CultureInfo.InvariantCulture);
                    replace[SearchFilter.Names.Longitude] = place.Longitude.ToString("0.#####", CultureInfo.InvariantCulture);
                }
            }

            if (await db.SavedSearches.CountAsync(s => s.UserId == command.UserId, cancellationToken) >= MaxPerUser)
            {
                errors["name"] = [text["savedSearches.tooMany", MaxPerUser]];
            }

            if (errors.Count > 0)
            {
                return new Result(null, errors);
            }

            var queryString = filter.ToQueryString(replace);
            var feedToken = SecretToken.New();
            var matchesNow = await new StudySearchQuery(db).RunAsync(SearchFilter.FromQueryString(queryString).ToAlertCriteria(), cancellationToken);
            var search = new SavedSearch
            {
                UserId = command.UserId,
                Name = command.Name.Trim(),
                QueryString = queryString,
                FeedTokenHash = SecretToken.Hash(feedToken),
                CreatedAt = clock.GetUtcNow(),
                KnownMatches = matchesNow.Hits.Select(h => h.NctId).ToList(),
            };
            db.SavedSearches.Add(search);
            await db.SaveChangesAsync(cancellationToken);
            return new Result(search.Id, errors, feedToken);
        }
    }
}
