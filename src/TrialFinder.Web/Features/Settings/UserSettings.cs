using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Settings;

/// <summary>The user's home place (for "nearest site" on the bookmarks page) and daily digest choice.</summary>
public static class UserSettings
{
    public sealed class Form
    {
        [StringLength(100, ErrorMessage = "settings.home.tooLong")]
        public string? HomePlace { get; set; }

        public bool DailyDigest { get; set; }
    }

    public sealed record Query(string UserId) : IRequest<Form>;

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Query, Form>
    {
        public async ValueTask<Form> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Users.AsNoTracking()
                .Where(u => u.Id == query.UserId)
                .Select(u => new Form { HomePlace = u.HomePlaceLabel, DailyDigest = u.DailyDigest })
                .SingleAsync(cancellationToken);
    }
}
