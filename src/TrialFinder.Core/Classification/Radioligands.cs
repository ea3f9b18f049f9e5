namespace TrialFinder.Core.Classification;

/// <summary>
/// The vocabulary's rules for radioactive agents: which isotopes treat and which only image, and the carriers an
/// isotope is bound to. A therapeutic isotope is routed by its carrier (Lu-177 on a somatostatin-receptor carrier is
/// Lu-177 PRRT, I-131 on MIBG is MIBG therapy, any other pairing is another radioligand); an imaging isotope (Ga-68,
/// Cu-64, F-18, I-123, I-124, In-111...) never makes a therapy.
/// </summary>
public sealed class RadioligandRules
{
    public required IReadOnlyList<Isotope> Isotopes { get; init; }
    public required IReadOnlyList<string> SomatostatinCarriers { get; init; }
    public required IReadOnlyList<string> MibgCarriers { get; init; }
    public required IReadOnlyList<string> OtherCarriers { get; init; }

    /// <summary>Names of a kind of treatment with no isotope ("PRRT", "radioligand therapy"), used only where no isotope is named.</summary>
    public required IReadOnlyList<GenericRadioligandTerm> GenericTerms { get; init; }

    /// <summary>Where the lists came from.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}

public sealed class Isotope
{
    /// <summary>"Lu-177".</summary>
    public required string Name { get; init; }
    public required string Element { get; init; }
    public required string Symbol { get; init; }
    public required string Mass { get; init; }
    public bool Therapeutic { get; init; }

    /// <summary>The tag this therapeutic isotope gets when no carrier is named beside it; null for none (Y-90 alone is usually microspheres).</summary>
    public string? WithoutCarrier { get; init; }

    /// <summary>True where the symbol is also an English word ("In"), so "in 111 patients" is not indium.</summary>
    public bool SymbolIsAWord { get; init; }

    internal IReadOnlyList<TermPattern> Spellings => _spellings ??= Spell().Distinct().Select(TermPattern.Create).ToList();

    private IReadOnlyList<TermPattern>? _spellings;

    /// <summary>"177Lu", "Lu177", "Lu-177", "177 Lu", "lutetium-177", "177-lutetium", "lutetium Lu 177", "lutetium (177Lu)".</summary>
    private IEnumerable<string> Spell()
    {
        var (m, s, e) = (Mass.ToLowerInvariant(), Symbol.ToLowerInvariant(), Element.ToLowerInvariant());
        yield return m + s;
        yield return s + m;
        if (!SymbolIsAWord)
        {
            yield return $"{s} {m}";
            yield return $"{m} {s}";
        }

        yield return $"{e} {m}";
        yield return $"{e}{m}";
        yield return $"{m} {e}";
        yield return $"{m}{e}";
        yield return $"{e} {s} {m}";
        yield return $"{e} {s}{m}";
        yield return $"{e} {m}{s}";
    }
}

public sealed class GenericRadioligandTerm
{
    public required string Term { get; init; }
    public required string Slug { get; init; }

    internal TermPattern Pattern => _pattern ??= TermPattern.Create(Term);

    private TermPattern? _pattern;
}

/// <summary>A radioactive therapy found in a text: its tag, what was read, and where (for the scope check).</summary>
/// <param name="Carrier">The carrier read beside the isotope ("3f8" in "iodine I 131 monoclonal antibody 3F8"), if any.</param>
public sealed record RadioligandMention(string Slug, string Term, int Position, TermPattern Pattern, TermPattern? Carrier = null);

/// <summary>What the radioligand reader makes of one text: read once per text and shared by every therapy tag.</summary>
internal sealed record RadioactiveReading(bool ImagingOnly, IReadOnlyList<RadioligandMention> Mentions, bool NamesRadioactiveAgent);

/// <summary>Reads the radioactive agents a text names, by isotope and carrier.</summary>
public sealed class RadioligandReader(RadioligandRules rules, IReadOnlyDictionary<string, VocabularyTag> tags)
{
    public const string Lu177Prrt = "lu177-prrt";
    public const string OtherRadioligand = "other-radioligand";
    public const string Mibg = "mibg";

    public static readonly IReadOnlySet<string> Slugs = new HashSet<string>(StringComparer.Ordinal) { Lu177Prrt, OtherRadioligand, Mibg };

    /// <summary>Words either side of an isotope in which its carrier is looked for ("iobenguane I 131", "177Lu-DOTA0-Tyr3-octreotate").</summary>
    private const int CarrierWordsBefore = 3;
    private const int CarrierWordsAfter = 6;

    private readonly IReadOnlyList<TermPattern> _somatostatin = rules.SomatostatinCarriers.Select(TermPattern.Create).ToList();
    private readonly IReadOnlyList<TermPattern> _mibg = rules.MibgCarriers.Select(TermPattern.Create).ToList();
    private readonly IReadOnlyList<TermPattern> _other = rules.OtherCarriers.Select(TermPattern.Create).ToList();


    /// <summary>True when the text names an imaging isotope and no therapeutic one: a tracer or scan, never a therapy.</summary>
    public bool IsImagingOnly(NormalizedText text) => IsImagingOnly(text, MayNameIsotope(text));

    private bool IsImagingOnly(NormalizedText text, bool mayNameIsotope) =>
        mayNameIsotope
        && !rules.Isotopes.Any(i => i.Therapeutic && i.Spellings.Any(text.Contains))
        && rules.Isotopes.Any(i => !i.Therapeutic && i.Spellings.Any(text.Contains));

    /// <summary>True when the text names any isotope, radioligand or radionuclide treatment (so "radiotherapy" there is not external beam).</summary>
    public bool NamesRadioactiveAgent(NormalizedText text) => ReadOnce(text).NamesRadioactiveAgent;

    /// <summary>
    /// Everything the classifier asks of one text, found with a single look for isotope words: whether it names only
    /// imaging isotopes, the radioligands it names, and whether it names any radioactive agent at all.
    /// </summary>
    internal RadioactiveReading ReadOnce(NormalizedText text)
    {
        var mayNameIsotope = MayNameIsotope(text);
        if (IsImagingOnly(text, mayNameIsotope))
        {
            return new RadioactiveReading(true, [], true);
        }

        var mentions = Read(text, mayNameIsotope).ToList();
        var namesAgent = mentions.Count > 0 || (mayNameIsotope && rules.Isotopes.Any(i => i.Spellings.Any(text.Contains)));
        return new RadioactiveReading(false, mentions, namesAgent);
    }

    private readonly HashSet<string> _isotopeWords = rules.Isotopes
        .SelectMany(i => i.Spellings.SelectMany(s => s.Needle.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(1)))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every isotope spelling starts with a word from a short list ("177lu", "lutetium", "90", "i"): most texts have none.</summary>
    private bool MayNameIsotope(NormalizedText text)
    {
        // Word by word over spans: every text of every study a sync classifies passes here, most with no isotope word.
        var words = _isotopeWords.GetAlternateLookup<ReadOnlySpan<char>>();
        var padded = text.Padded.AsSpan();
        foreach (var range in padded.Split(' '))
        {
            if (words.Contains(padded[range]))
            {
                return true;
            }
        }

        return false;
    }

    public IEnumerable<RadioligandMention> Read(NormalizedText text)
    {
        var mayNameIsotope = MayNameIsotope(text);
        return IsImagingOnly(text, mayNameIsotope) ? [] : Read(text, mayNameIsotope);
    }

    private IEnumerable<RadioligandMention> Read(NormalizedText text, bool mayNameIsotope)
    {
        var namedIsotope = false;
        foreach (var isotope in rules.Isotopes.Where(i => i.Therapeutic && mayNameIsotope))
        {
            foreach (var spelling in isotope.Spellings)
            {
                foreach (var position in text.Occurrences(spelling))
                {
                    namedIsotope = true;
                    var carrier = CarrierOf(text, position, spelling);
                    if (Route(isotope, carrier) is { } routed)
                    {
                        yield return new RadioligandMention(routed.Slug, routed.Term, position, spelling, carrier.Pattern);
                    }
                }
            }
        }

        // Product names ("Lutathera", "AlphaMedix", "Azedra") carry their isotope and carrier in the name.
        foreach (var slug in Slugs)
        {
            if (tags.TryGetValue(slug, out var tag) && !tag.IsExcludedIn(text))
            {
                foreach (var pattern in tag.TermPatterns)
                {
                    foreach (var position in text.Occurrences(pattern))
                    {
                        yield return new RadioligandMention(slug, pattern.Term, position, pattern);
                    }
                }
            }
        }

        if (!namedIsotope)
        {
            foreach (var generic in rules.GenericTerms)
            {
                foreach (var position in text.Occurrences(generic.Pattern))
                {
                    yield return new RadioligandMention(generic.Slug, generic.Term, position, generic.Pattern);
                }
            }
        }
    }

    private enum CarrierKind { None, Somatostatin, Mibg, Other }

    private (CarrierKind Kind, string? Term, TermPattern? Pattern) CarrierOf(NormalizedText text, int position, TermPattern isotope)
    {
        var before = text.WordsBefore(position, CarrierWordsBefore);
        var after = text.WordsAfter(position, isotope, CarrierWordsAfter);
        var window = " " + string.Join(' ', before.Concat(after)) + " ";
        foreach (var (kind, patterns) in new[] { (CarrierKind.Mibg, _mibg), (CarrierKind.Somatostatin, _somatostatin), (CarrierKind.Other, _other) })
        {
            var found = patterns.FirstOrDefault(p => window.Contains(p.Needle, StringComparison.Ordinal));
            if (found is not null)
            {
                return (kind, found.Term, found);
            }
        }

        return (CarrierKind.None, null, null);
    }

    private static (string Slug, string Term)? Route(Isotope isotope, (CarrierKind Kind, string? Term, TermPattern? Pattern) carrier)
    {
        var described = carrier.Term is null ? isotope.Name : $"{isotope.Name} + {carrier.Term}";
        string? slug = (isotope.Name, carrier.Kind) switch
        {
            ("I-131", CarrierKind.Mibg) => Mibg,
            ("Lu-177", CarrierKind.Somatostatin) => Lu177Prrt,
            (_, CarrierKind.None) => isotope.WithoutCarrier,
            _ => OtherRadioligand,
        };
        return slug is null ? null : (slug, described);
    }
}
