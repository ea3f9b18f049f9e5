using System.Buffers;

namespace TrialFinder.Core.Classification;

/// <summary>
/// A drug's class read from its name, the way WHO International Nonproprietary Names build it: "-tinib" names a
/// tyrosine kinase inhibitor, "-platin" a platinum cytotoxic, "vin-" a vinca alkaloid. Stems recognise names the
/// vocabulary never listed; they never override a listed name ("lorlatinib" is read by the ALK-inhibitor tag, not as
/// any "-tinib"), and a name on the class's exception list is never read by its stem ("tacrolimus" ends in "-limus"
/// but is an immunosuppressant, not an mTOR inhibitor). An exception written as an ending ("-dustat") is a sub-stem the
/// source gives another class: "-stat" names enzyme inhibitors, "-dustat" the HIF prolyl-hydroxylase inhibitors given
/// for anaemia. Drug codes carry no stem and are left to the listed terms.
/// </summary>
internal sealed class DrugStems
{
    /// <summary>Letters a name needs besides its stem, so that a stem alone or a short word ("vine") is not a drug.</summary>
    private const int ShortestRoot = 3;

    private readonly IReadOnlyList<Stem> _stems;
    private readonly SearchValues<string> _needles;
    private readonly HashSet<string> _exceptions;
    private readonly string[] _exceptedEndings;
    private readonly IReadOnlyList<TermPattern> _listedNames;

    /// <param name="stems">"-tinib" for a name ending, "vin-" for a name beginning.</param>
    /// <param name="exceptions">Names that carry a stem but are not of the class, and endings ("-dustat") of sub-stems that are not.</param>
    /// <param name="listedNames">One-word terms of every therapy tag: names the vocabulary reads by themselves.</param>
    public DrugStems(IEnumerable<string> stems, IEnumerable<string> exceptions, IReadOnlyList<TermPattern> listedNames)
    {
        _stems = stems.Select(Stem.Create).ToList();
        _needles = SearchValues.Create(_stems.Select(s => s.Needle).Distinct().ToArray(), StringComparison.Ordinal);
        var written = exceptions.ToList();
        _exceptions = written.Where(e => !e.StartsWith('-')).Select(NormalizedText.Normalize).ToHashSet(StringComparer.Ordinal);
        _exceptedEndings = written.Where(e => e.StartsWith('-')).Select(e => NormalizedText.Normalize(e.TrimStart('-'))).ToArray();
        _listedNames = listedNames;
    }

    /// <summary>False when no word in the given padded texts can carry a stem, so <see cref="Names"/> finds none.</summary>
    public bool MayOccur(string joinedPaddedTexts) => joinedPaddedTexts.AsSpan().ContainsAny(_needles);

    /// <summary>The unlisted drug names in the text that carry one of the stems, with where each starts.</summary>
    public IEnumerable<StemmedName> Names(NormalizedText text)
    {
        // Most texts carry no stem at all: one search per stem rules the text out before it is split into words.
        if (!MayOccur(text.Padded))
        {
            yield break;
        }

        foreach (var (position, word) in text.Words())
        {
            var stem = _stems.FirstOrDefault(s => s.IsCarriedBy(word));
            if (stem is not null && !IsExcepted(word) && !IsListed(word))
            {
                yield return new StemmedName(position, word, stem.Written);
            }
        }
    }

    private bool IsExcepted(string word) =>
        _exceptions.Contains(word) || _exceptedEndings.Any(ending => word.EndsWith(ending, StringComparison.Ordinal));

    private bool IsListed(string word)
    {
        var padded = " " + word + " ";
        return _listedNames.Any(name => padded.StartsWith(name.Needle, StringComparison.Ordinal));
    }

    private sealed record Stem(string Written, string Part, bool IsEnding)
    {
        public static Stem Create(string written)
        {
            var isEnding = written.StartsWith('-');
            if (isEnding == written.EndsWith('-'))
            {
                throw new InvalidOperationException($"The stem '{written}' must be written '-ending' or 'beginning-'.");
            }

            return new Stem(written, NormalizedText.Normalize(written.Trim('-')), isEnding);
        }

        /// <summary>What the stem looks like in padded text: the ending before a space, or the beginning after one.</summary>
        public string Needle => IsEnding ? Part + " " : " " + Part;

        public bool IsCarriedBy(string word) =>
            word.Length >= Part.Length + ShortestRoot
            && word.All(char.IsAsciiLetterLower)
            && (IsEnding ? word.EndsWith(Part, StringComparison.Ordinal) : word.StartsWith(Part, StringComparison.Ordinal));
    }
}

/// <summary>A drug name recognised by its stem: where it starts in the padded text, the name, and the stem ("-tinib").</summary>
internal sealed record StemmedName(int Position, string Name, string Stem)
{
    public string Term => $"{Name} (INN stem {Stem})";
}
