using System.Diagnostics.CodeAnalysis;

namespace TrialFinder.Core.Studies;

/// <summary>
/// A ClinicalTrials.gov study id: "NCT" and eight ASCII digits, e.g. NCT03363373. People may type it in
/// lower case or with spaces around (<see cref="TryParse"/>); the registry and the catalogue always hold it
/// in this one form (<see cref="IsWellFormed"/>).
/// </summary>
public readonly record struct NctId
{
    public const string Format = "NCT followed by 8 digits";
    public const string Description = Format + ", e.g. NCT03363373";

    private NctId(string value) => Value = value;

    public string Value { get; }

    /// <summary>Whether the text is exactly an id as the registry writes it (no spaces, upper case).</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? value) =>
        value is { Length: 11 } && value.StartsWith("NCT", StringComparison.Ordinal) && !value.AsSpan(3).ContainsAnyExcept("0123456789");

    /// <summary>Reads an id as a person may give it: spaces around and lower case allowed.</summary>
    public static bool TryParse(string? text, out NctId id)
    {
        var normalised = text?.Trim().ToUpperInvariant();
        id = IsWellFormed(normalised) ? new NctId(normalised!) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value ?? "";
}
