using System.ComponentModel.DataAnnotations;

namespace TrialFinder.Web.Features.Bookmarks;

/// <summary>The name of a bookmark list, as typed to create or rename it.</summary>
public sealed class ListForm
{
    public const int MaxLength = 100;

    [Required(ErrorMessage = "error.required"), StringLength(MaxLength, ErrorMessage = "bookmarks.lists.tooLong")]
    public string Name { get; set; } = "";
}

public enum ListOutcome
{
    Done,
    NotFound,
    DuplicateName,
}
