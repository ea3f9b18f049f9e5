using System.Text.Json;
using System.Text.RegularExpressions;

namespace TrialFinder.Core.Eligibility;

/// <summary>
/// The rules that read eligibility criteria, loaded from the data file <c>criteria.json</c> so that a new wording is a
/// data change, not a code change. Patterns are regular expressions matched case-insensitively within one sentence.
/// </summary>
public sealed class CriteriaVocabulary
{
    public required StatusCues StatusCues { get; init; }

    public required IReadOnlyList<CriterionRule> Criteria { get; init; }

    private static readonly Lazy<CriteriaVocabulary> Embedded = new(LoadEmbedded);

    public static CriteriaVocabulary Default => Embedded.Value;

    public static CriteriaVocabulary Parse(string json) =>
        JsonSerializer.Deserialize<CriteriaVocabulary>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
        ?? throw new InvalidOperationException("The criteria file is empty.");

    private static CriteriaVocabulary LoadEmbedded()
    {
        using var stream = typeof(CriteriaVocabulary).Assembly.GetManifestResourceStream("TrialFinder.Core.Eligibility.criteria.json")
            ?? throw new InvalidOperationException("The embedded criteria.json is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    internal static Regex? Pattern(string? pattern) =>
        string.IsNullOrEmpty(pattern)
            ? null
            : new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
}

/// <summary>
/// Words that decide whether a mention of a therapy makes it required, allowed or excluded
/// (see <see cref="CriteriaExtractor"/> for the order in which they are read).
/// </summary>
public sealed class StatusCues
{
    public string? Ignore { get; init; }
    public string? Allowed { get; init; }
    public string? AllowedInExclusion { get; init; }
    public string? Negated { get; init; }
    public string? Prior { get; init; }
    public string? Alternatives { get; init; }
}

public sealed class CriterionRule
{
    public required string Id { get; init; }

    /// <summary>The disease whose eligibility this criterion decides: "neuroblastoma" or "net" (the classifier's slugs).</summary>
    public required string Disease { get; init; }

    /// <summary>values | status | grade | ki67 | performance | progression.</summary>
    public required string Kind { get; init; }

    public string? Veto { get; init; }

    /// <summary>Text after this pattern is not read ("including, but not limited to" lists are examples, not limits).</summary>
    public string? CutAt { get; init; }

    public IReadOnlyList<ValueRule> Values { get; init; } = [];

    public string? Subject { get; init; }

    public StatusCues? Cues { get; init; }

    public string? Match { get; init; }

    public IReadOnlyDictionary<string, string> Scales { get; init; } = new Dictionary<string, string>();
}

public sealed class ValueRule
{
    public required string Value { get; init; }
    public required string Match { get; init; }
    public string? Veto { get; init; }

    /// <summary>"inclusion" (also text under no heading) and/or "exclusion"; inclusion only when missing.</summary>
    public IReadOnlyList<string> Sections { get; init; } = ["inclusion"];

    /// <summary>Values this one makes redundant for the whole study ("measurable or evaluable" over "measurable").</summary>
    public IReadOnlyList<string> Subsumes { get; init; } = [];

    /// <summary>Values this one makes redundant within its sentence ("GEP" over "pancreas" in "GEP NET of the stomach, pancreas or gut").</summary>
    public IReadOnlyList<string> SubsumesInSentence { get; init; } = [];
}
