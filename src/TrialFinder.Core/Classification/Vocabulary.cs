using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFinder.Core.Classification;

/// <summary>
/// The terms that drive classification, loaded from the one data file
/// <c>vocabulary.json</c> so that a new drug name is a data change, not a code change.
/// </summary>
public sealed class Vocabulary
{
    public required IReadOnlyList<VocabularyTag> Diseases { get; init; }
    public required IReadOnlyList<VocabularyTag> NetSubtypes { get; init; }
    public required VocabularyTag Refractory { get; init; }
    public required IReadOnlyList<VocabularyTag> Therapies { get; init; }
    public required RadioligandRules Radioligands { get; init; }

    /// <summary>Words that make an intervention a scan or tracer ("PET", "scintigraphy"), which is never a therapy.</summary>
    public required IReadOnlyList<string> ImagingTerms { get; init; }

    [JsonIgnore]
    public RadioligandReader RadioligandReader => _reader ??= new RadioligandReader(Radioligands, Therapies.ToDictionary(t => t.Slug));

    [JsonIgnore]
    internal IReadOnlyList<TermPattern> ImagingPatterns => _imaging ??= ImagingTerms.Select(TermPattern.Create).ToList();

    private RadioligandReader? _reader;
    private IReadOnlyList<TermPattern>? _imaging;

    private static readonly Lazy<Vocabulary> Embedded = new(LoadEmbedded);

    public static Vocabulary Default => Embedded.Value;

    public VocabularyTag? FindTherapy(string slug) => Therapies.FirstOrDefault(t => t.Slug == slug);

    public VocabularyTag? FindDisease(string slug) =>
        Diseases.FirstOrDefault(t => t.Slug == slug) ?? NetSubtypes.FirstOrDefault(t => t.Slug == slug);

    public static Vocabulary Parse(string json)
    {
        var vocabulary = JsonSerializer.Deserialize<Vocabulary>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException("The vocabulary file is empty.");
        vocabulary.ReadStems();
        return vocabulary;
    }

    /// <summary>A stem reads only names that no therapy tag lists, so every tag's stems know every tag's one-word terms.</summary>
    private void ReadStems()
    {
        var listedNames = Therapies.SelectMany(t => t.TermPatterns).Where(p => !p.Needle.Trim().Contains(' ')).ToList();
        foreach (var tag in Therapies.Where(t => t.Stems.Count > 0))
        {
            tag.StemReader = new DrugStems(tag.Stems, tag.StemExceptions, listedNames);
        }
    }

    private static Vocabulary LoadEmbedded()
    {
        using var stream = typeof(Vocabulary).Assembly.GetManifestResourceStream("TrialFinder.Core.Classification.vocabulary.json")
            ?? throw new InvalidOperationException("The embedded vocabulary.json is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}

public sealed class VocabularyTag
{
    public required string Slug { get; init; }
    public required string Name { get; init; }

    /// <summary>Words or phrases, matched on whole words; a trailing '*' matches any word ending.</summary>
    public required IReadOnlyList<string> Terms { get; init; }

    /// <summary>
    /// Therapy tags only: whether the brief summary's account of the treatment plan is read too, besides the
    /// interventions and titles. Off for drug classes, which summaries also name as background or earlier treatment.
    /// </summary>
    public bool ReadsSummary { get; init; }

    /// <summary>Phrases that, when present in the same text, mean a term matched for the wrong reason.</summary>
    public IReadOnlyList<string> ExcludeTerms { get; init; } = [];

    /// <summary>
    /// Disease tags only: terms that name the disease only where the record names it elsewhere too
    /// ("somatostatin receptor positive tumours" is a NET where the summary or criteria speak of NETs).
    /// </summary>
    public IReadOnlyList<string> ContextualTerms { get; init; } = [];

    /// <summary>
    /// NET subtype tags only: bare organ words ("lung", "pancreas", "rectum") that name an enrolled site only in a sentence
    /// that names a NET and says where it arises ("NETs of the lung, appendix, small intestine, colon, rectum, or pancreas").
    /// </summary>
    public IReadOnlyList<string> SiteWords { get; init; } = [];

    /// <summary>
    /// Therapy tags only: WHO INN stems that name a drug of this class ("-tinib", "vin-"), read in names the vocabulary
    /// does not list (<see cref="DrugStems"/>).
    /// </summary>
    public IReadOnlyList<string> Stems { get; init; } = [];

    /// <summary>Names that carry one of <see cref="Stems"/> but are not of this class ("tacrolimus").</summary>
    public IReadOnlyList<string> StemExceptions { get; init; } = [];

    /// <summary>Where the terms came from (thesaurus concepts, entry terms), for whoever edits the list.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    [JsonIgnore]
    internal IReadOnlyList<TermPattern> TermPatterns => _terms ??= Terms.Select(TermPattern.Create).ToList();

    [JsonIgnore]
    internal IReadOnlyList<TermPattern> ExcludePatterns => _excludes ??= ExcludeTerms.Select(TermPattern.Create).ToList();

    [JsonIgnore]
    internal IReadOnlyList<TermPattern> SitePatterns => _sites ??= SiteWords.Select(TermPattern.Create).ToList();

    [JsonIgnore]
    internal IReadOnlyList<TermPattern> ContextualPatterns => _contextual ??= ContextualTerms.Select(TermPattern.Create).ToList();

    /// <summary>
    /// Terms that contain an exclusion ("newly diagnosed or relapsed"): they name both populations, so the exclusion
    /// they contain does not veto them.
    /// </summary>
    [JsonIgnore]
    internal IReadOnlyList<TermPattern> BothPopulationPatterns => _both ??= TermPatterns
        .Where(term => ExcludePatterns.Any(exclusion => term.Needle.Contains(exclusion.Needle, StringComparison.Ordinal)))
        .ToList();

    [JsonIgnore]
    internal DrugStems? StemReader { get; set; }

    private IReadOnlyList<TermPattern>? _both;
    private SearchValues<string>? _termNeedles;
    private IReadOnlyList<TermPattern>? _terms;
    private IReadOnlyList<TermPattern>? _excludes;
    private IReadOnlyList<TermPattern>? _contextual;
    private IReadOnlyList<TermPattern>? _sites;

    /// <summary>
    /// False when no term occurs anywhere in the given texts (their padded forms joined by line breaks, which no
    /// term contains, so a term never spans two texts); then <see cref="Match"/> finds nothing in any of them.
    /// </summary>
    public bool MayMatch(string joinedPaddedTexts) =>
        joinedPaddedTexts.AsSpan().ContainsAny(_termNeedles ??= SearchValues.Create(TermPatterns.Select(p => p.Needle).Distinct().ToArray(), StringComparison.Ordinal))
        || StemReader?.MayOccur(joinedPaddedTexts) == true;

    /// <summary>The first term found in the text, unless an exclusion is found there too.</summary>
    public string? Match(NormalizedText text) => Match(text, TermPatterns);

    /// <summary>
    /// The first term found in the text whose occurrence passes the check (a scope rule), else the first unlisted drug
    /// name carrying one of the tag's stems that passes it, unless an exclusion is found there.
    /// </summary>
    public string? Match(NormalizedText text, Func<int, TermPattern, bool> occurrenceCounts)
    {
        if (FirstCounted(text, BothPopulationPatterns, occurrenceCounts) is { } both)
        {
            return both.Term;
        }

        if (IsExcludedIn(text))
        {
            return null;
        }

        return FirstCounted(text, TermPatterns, occurrenceCounts)?.Term
            ?? StemReader?.Names(text).FirstOrDefault(name => occurrenceCounts(name.Position, TermPattern.Create(name.Name)))?.Term;
    }

    /// <summary>The first pattern with an occurrence that counts; a pattern absent from the text is ruled out by one search.</summary>
    private static TermPattern? FirstCounted(NormalizedText text, IReadOnlyList<TermPattern> patterns, Func<int, TermPattern, bool> occurrenceCounts)
    {
        foreach (var pattern in patterns)
        {
            if (!text.Contains(pattern))
            {
                continue;
            }

            foreach (var at in text.Occurrences(pattern))
            {
                if (occurrenceCounts(at, pattern))
                {
                    return pattern;
                }
            }
        }

        return null;
    }

    // Loops rather than LINQ over text.Contains: this runs for every tag and text of every study a sync classifies,
    // and each method group over the struct would allocate a delegate.
    internal string? Match(NormalizedText text, IReadOnlyList<TermPattern> patterns)
    {
        foreach (var pattern in patterns)
        {
            if (BothPopulationPatterns.Contains(pattern) && text.Contains(pattern))
            {
                return pattern.Term;
            }
        }

        if (IsExcludedIn(text))
        {
            return null;
        }

        foreach (var pattern in patterns)
        {
            if (text.Contains(pattern))
            {
                return pattern.Term;
            }
        }

        return null;
    }

    /// <summary>An exclusion of this tag occurs in the text.</summary>
    internal bool IsExcludedIn(NormalizedText text)
    {
        foreach (var pattern in ExcludePatterns)
        {
            if (text.Contains(pattern))
            {
                return true;
            }
        }

        return false;
    }
}
