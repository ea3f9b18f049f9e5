using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.SavedSearches;

/// <summary>Deletes a saved search; its feed stops working with it.</summary>
public static class DeleteSavedSearch
{
    public sealed record Command(string UserId, long Id) : IRequest<bool>;

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken) =>
            await db.SavedSearches.Where(s => s.Id == command.Id && s.UserId == command.UserId).ExecuteDeleteAsync(cancellationToken) == 1;
    }
}
