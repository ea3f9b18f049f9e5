using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TrialFinder.Data;
using TrialFinder.Data.Places;
using TrialFinder.Web.Localization;
using TrialFinder.Web.Pipeline;

namespace TrialFinder.Web.Features.Settings;

/// <summary>Saves the settings; the home place is resolved by the one place rule (PlaceResolution) (an empty box clears it).</summary>
public static class SaveSettings
{
    public sealed record Command(string UserId, string? HomePlace, bool DailyDigest) : IUnitOfWorkCommand<Result>;

    /// <summary>The problem with the home place, if any (nothing is saved then), and the place as resolved.</summary>
    public sealed record Result(string? HomePlaceError, string? HomePlace);

    public sealed class Handler(TrialFinderDbContext db, IStringLocalizer<SiteText> text)
        : IRequestHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.SingleAsync(u => u.Id == command.UserId, cancellationToken);
            var typed = command.HomePlace?.Trim();
            if (string.IsNullOrEmpty(typed))
            {
                (user.HomePlaceLabel, user.HomeLatitude, user.HomeLongitude) = ((string?)null, (double?)null, (double?)null);
            }
            else if (typed != user.HomePlaceLabel)
            {
                if ((await PlaceResolution.ResolveAsync(db, typed, cancellationToken)).Best is not { } place)
                {
                    return new Result(text["settings.home.unknown", typed], null);
                }

                (user.HomePlaceLabel, user.HomeLatitude, user.HomeLongitude) = (place.Label, place.Latitude, place.Longitude);
            }

            user.DailyDigest = command.DailyDigest;
            return new Result(null, user.HomePlaceLabel);
        }
    }
}
