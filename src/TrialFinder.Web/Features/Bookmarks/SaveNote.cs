using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using TrialFinder.Data;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>The private note on a bookmark (for example what to ask the study team); empty removes it.</summary>
public static class SaveNote
{
    public const int MaxLength = 4000;

    public sealed class Form
    {
        [StringLength(MaxLength, ErrorMessage = "bookmarks.note.tooLong")]
        public string? Note { get; set; }
    }

    public sealed record Command(string UserId, long Id, string? Note) : IRequest<bool>;

    /// <summary>Returns false when the user has no such bookmark.</summary>
    public sealed class Handler(TrialFinderDbContext db) : IRequestHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim().ReplaceLineEndings("\n");
            if (note is { Length: > MaxLength })
            {
                throw new ArgumentException($"A note has at most {MaxLength} characters.", nameof(command));
            }

            var updated = await db.Bookmarks
                .Where(b => b.Id == command.Id && b.UserId == command.UserId)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.Note, note), cancellationToken);
            return updated == 1;
        }
    }
}
