using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Trials;

/// <summary>The catalogue's studies, most recently updated first.</summary>
public static class TrialList
{
    public const int PageSize = 25;

    public sealed record Query(int Page) : IRequest<Model>;

    public sealed record Model(IReadOnlyList<Row> Rows, int Page, int Total)
    {
        public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed record Row(string NctId, string Title, string OverallStatus, IReadOnlyList<string> Diseases, IReadOnlyList<string> TherapyTypes, string? MinimumAge, string? MaximumAge);

    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Query, Model>
    {
        public async ValueTask<Model> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = Math.Max(1, query.Page);
            var listed = db.Studies.Where(s => s.IsListed);
            var rows = await listed
                .OrderByDescending(s => s.LastUpdatePostedOn).ThenBy(s => s.NctId)
                .Skip((page - 1) * PageSize)
                .Take(PageSize)
                .Select(s => new Row(s.NctId, s.BriefTitle, s.OverallStatus, s.Diseases, s.TherapyTypes, s.MinimumAgeText, s.MaximumAgeText))
                .ToListAsync(cancellationToken);
            return new Model(rows, page, await listed.CountAsync(cancellationToken));
        }
    }
}
