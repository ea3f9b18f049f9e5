namespace TrialFinder.Core.Studies;

public sealed record Intervention(string Type, string Name, IReadOnlyList<string> OtherNames, string? Description);
