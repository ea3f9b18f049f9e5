using System.Globalization;
using System.Text.RegularExpressions;

namespace TrialFinder.Core.Eligibility;

/// <summary>One criterion a study's eligibility text states, with the sentence it comes from.</summary>
public sealed record CriterionFact(string Criterion, string Value, string Quote, CriteriaSection Section, int Start);

/// <summary>What the eligibility text states for each criterion; a criterion it does not state is "not stated".</summary>
public sealed record CriteriaReading(IReadOnlyList<CriterionFact> Facts)
{
    public const string NotStated = "not stated";

    public IReadOnlyList<string> ValuesOf(string criterion) =>
        Facts.Where(f => f.Criterion == criterion).Select(f => f.Value).Distinct().ToList();

    public string ValueOf(string criterion) => ValuesOf(criterion) is { Count: > 0 } values ? string.Join(", ", values) : NotStated;
}

/// <summary>
/// Reads the criteria that decide most cases for neuroblastoma and NET trials (disease state, MIBG avidity, ALK,
/// MYCN, prior therapies, Ki-67, grade, SSTR imaging, progression …) from eligibility text, sentence by sentence.
/// Nothing is guessed: a criterion is reported only with the sentence that states it.
/// </summary>
public sealed partial class CriteriaExtractor
{
    private readonly IReadOnlyList<CompiledRule> _rules;

    public CriteriaExtractor(CriteriaVocabulary vocabulary)
    {
        var cues = new CompiledCues(vocabulary.StatusCues);
        _rules = vocabulary.Criteria.Select(r => new CompiledRule(r, r.Cues is null ? cues : new CompiledCues(r.Cues))).ToList();
    }

    public static CriteriaExtractor Default { get; } = new(CriteriaVocabulary.Default);

    public CriteriaReading Extract(string? eligibilityCriteria, IEnumerable<string> diseases) =>
        Extract(EligibilityText.Parse(eligibilityCriteria, joinWrappedLines: true), diseases);

    public CriteriaReading Extract(EligibilityText text, IEnumerable<string> diseases)
    {
        var wanted = diseases.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sentences = ReadableSentences(text);
        var facts = new List<CriterionFact>();
        foreach (var rule in _rules.Where(r => wanted.Contains(r.Source.Disease)))
        {
            facts.AddRange(rule.Source.Kind switch
            {
                "values" => ReadValues(rule, sentences),
                "status" => ReadStatus(rule, sentences),
                "grade" => ReadGrades(rule, sentences),
                "ki67" => ReadKi67(rule, sentences),
                "performance" => ReadPerformance(rule, sentences),
                "progression" => ReadProgression(rule, sentences),
                _ => throw new InvalidOperationException($"Unknown criterion kind '{rule.Source.Kind}' for {rule.Source.Id}."),
            });
        }

        return new CriteriaReading(facts);
    }

    /// <summary>
    /// Every sentence with its section and, for an item nested under a criterion that ends with a colon ("The following
    /// time must have elapsed since the last dose of:"), that introducing sentence, whose cues apply to the item too.
    /// </summary>
    private static List<Sentence> ReadableSentences(EligibilityText text)
    {
        var sentences = new List<Sentence>();
        var parents = new Stack<EligibilityCriterion>();
        foreach (var criterion in text.Criteria)
        {
            while (parents.Count > 0 && (parents.Peek().Depth >= criterion.Depth || parents.Peek().Section != criterion.Section))
            {
                parents.Pop();
            }

            var context = parents.Count > 0 && parents.Peek().Text.TrimEnd().EndsWith(':') && parents.Peek().Sentences.Count > 0
                ? parents.Peek().Sentences[^1].Text
                : null;
            sentences.AddRange(criterion.Sentences.Select(s => new Sentence(s, criterion.Section, context)));
            parents.Push(criterion);
        }

        return sentences;
    }

    private sealed record Sentence(TextSentence Text, CriteriaSection Section, string? Context)
    {
        public bool IsExclusion => Section == CriteriaSection.Exclusion;

        public CriterionFact Fact(string criterion, string value) => new(criterion, value, Text.Text, Section, Text.Start);
    }

    private static IEnumerable<CriterionFact> ReadValues(CompiledRule rule, List<Sentence> sentences)
    {
        var facts = new List<CriterionFact>();
        foreach (var sentence in sentences)
        {
            var text = rule.Readable(sentence.Text.Text);
            if (text is null)
            {
                continue;
            }

            var found = rule.Values
                .Where(v => v.Sections.Contains(sentence.IsExclusion ? "exclusion" : "inclusion")
                    && v.Match.IsMatch(text) && v.Veto?.IsMatch(text) != true)
                .ToList();
            var redundant = found.SelectMany(v => v.Source.SubsumesInSentence).ToHashSet();
            facts.AddRange(found.Where(v => !redundant.Contains(v.Source.Value)).Select(v => sentence.Fact(rule.Source.Id, v.Source.Value)));
        }

        var subsumed = rule.Values.Where(v => facts.Any(f => f.Value == v.Source.Value)).SelectMany(v => v.Source.Subsumes).ToHashSet();
        return facts.Where(f => !subsumed.Contains(f.Value));
    }

    /// <summary>
    /// A therapy mention is read in this order: ignored (allergy, the study's own drug) → allowed (explicitly, or a
    /// wash-out after it) → in the exclusions: allowed when only recent use excludes, else excluded → "no prior …" →
    /// excluded → a prior-use word → required, or allowed when it is one alternative among others. A cue counts only
    /// near a mention of the therapy (or in the sentence that introduces a nested item), and a mention the sentence
    /// sets aside ("other than …") is no mention. A study that states several statuses is reported with the most
    /// permissive one it states (an exclusion with a wash-out means the therapy is allowed), all quotes kept.
    /// </summary>
    private static IEnumerable<CriterionFact> ReadStatus(CompiledRule rule, List<Sentence> sentences)
    {
        var facts = new List<CriterionFact>();
        var cues = rule.Cues;
        foreach (var sentence in sentences)
        {
            var text = sentence.Text.Text;
            var mentions = rule.Subject is null ? [] : Mentions(rule.Subject, text);
            if (mentions.Count == 0 || rule.Veto?.IsMatch(text) == true || cues.Ignore?.IsMatch(text) == true)
            {
                continue;
            }

            bool Said(Regex? cue) => cue is not null && (Near(cue, text, mentions) || (sentence.Context is { } context && cue.IsMatch(context)));

            string? status =
                Said(cues.Allowed) ? "allowed"
                : sentence.IsExclusion ? (Said(cues.AllowedInExclusion) ? "allowed" : "excluded")
                : Said(cues.Negated) ? "excluded"
                : cues.Prior is null || Near(cues.Prior, text, mentions) ? (Near(cues.Alternatives, text, mentions, AlternativeReach) ? "allowed" : "required")
                : null;
            if (status is not null)
            {
                facts.Add(sentence.Fact(rule.Source.Id, status));
            }
        }

        var chosen = new[] { "allowed", "required", "excluded" }.FirstOrDefault(s => facts.Any(f => f.Value == s));
        return facts.Where(f => f.Value == chosen);
    }

    /// <summary>How far (in characters) a cue may stand from the therapy it speaks of, so that one long sentence or
    /// flattened list does not lend the wash-out of one drug to another.</summary>
    private const int CueReach = 100;

    /// <summary>The mentions of a therapy, less those the sentence sets aside ("treatment other than octreotide LAR").</summary>
    private static List<Match> Mentions(Regex subject, string text) =>
        subject.Matches(text).Where(m => !SetAside().IsMatch(text[Math.Max(0, m.Index - 20)..m.Index])).ToList();

    /// <summary>"sunitinib or everolimus": an "or" next to the therapy offers it as one alternative among others.</summary>
    private const int AlternativeReach = 25;

    private static bool Near(Regex? cue, string text, List<Match> mentions, int reach = CueReach) =>
        cue is not null && cue.Matches(text).Any(c => mentions.Any(m =>
            c.Index < m.Index + m.Length + reach && m.Index - reach < c.Index + c.Length));

    private static IEnumerable<CriterionFact> ReadGrades(CompiledRule rule, List<Sentence> sentences)
    {
        foreach (var sentence in sentences)
        {
            var text = sentence.Text.Text;
            // "High-grade carcinomas are not eligible" names no grade the trial takes; under an exclusion heading it is
            // the grade the trial excludes.
            if (rule.Veto?.IsMatch(text) == true || (!sentence.IsExclusion && NotEligible().IsMatch(text)))
            {
                continue;
            }

            var grades = new SortedSet<int>();
            foreach (Match m in GradeNumbers().Matches(text))
            {
                foreach (Match digit in Digit().Matches(m.Groups["list"].Value))
                {
                    grades.Add(digit.Value[0] - '0');
                }
            }

            foreach (Match m in GradeWords().Matches(text))
            {
                foreach (var word in new[] { m.Groups[1].Value, m.Groups[2].Value }.Where(w => w.Length > 0))
                {
                    grades.Add(word.ToLowerInvariant() switch { "low" => 1, "intermediate" => 2, _ => 3 });
                }
            }

            foreach (var grade in grades)
            {
                if (!sentence.IsExclusion)
                {
                    yield return sentence.Fact(rule.Source.Id, $"G{grade}");
                }
                else if (grade == 3)
                {
                    yield return sentence.Fact(rule.Source.Id, "G3 excluded");
                }
            }
        }
    }

    private static IEnumerable<CriterionFact> ReadKi67(CompiledRule rule, List<Sentence> sentences)
    {
        foreach (var sentence in sentences.Where(s => !s.IsExclusion))
        {
            var text = sentence.Text.Text;
            if (rule.Veto?.IsMatch(text) == true)
            {
                continue;
            }

            foreach (Match mention in Ki67().Matches(text))
            {
                var after = text[(mention.Index + mention.Length)..];
                after = after[..Math.Min(after.Length, 40)];
                if (Ki67Between().Match(after) is { Success: true } between)
                {
                    yield return sentence.Fact(rule.Source.Id, $"{between.Groups[1].Value}-{between.Groups[2].Value}");
                }
                else if (Ki67Range().Match(after) is { Success: true } range)
                {
                    yield return sentence.Fact(rule.Source.Id, $"{range.Groups[1].Value}-{range.Groups[2].Value}");
                }
                else if (Comparison().Match(after) is { Success: true } bound)
                {
                    yield return sentence.Fact(rule.Source.Id, Operator(bound.Groups["op"].Value) + bound.Groups["n"].Value);
                }
            }
        }
    }

    private static IEnumerable<CriterionFact> ReadPerformance(CompiledRule rule, List<Sentence> sentences)
    {
        foreach (var sentence in sentences.Where(s => !s.IsExclusion))
        {
            var text = sentence.Text.Text;
            foreach (var (scale, pattern) in rule.Scales)
            {
                foreach (Match mention in pattern.Matches(text))
                {
                    var afterStart = mention.Index + mention.Length;
                    var after = text[afterStart..Math.Min(text.Length, afterStart + 50)];
                    var before = text[Math.Max(0, mention.Index - 50)..mention.Index];
                    var threshold = Threshold(scale, after, first: true) ?? Threshold(scale, before, first: false);
                    if (threshold is not null)
                    {
                        yield return sentence.Fact(rule.Source.Id, scale + threshold);
                    }
                }
            }
        }
    }

    /// <summary>"≥ 50", "greater than or equal to 60", "60-100%", and for ECOG "0-2" or "0 or 1" (the best score is 0).</summary>
    private static string? Threshold(string scale, string window, bool first)
    {
        // "Lansky 60-100%": the best score is 100, so the lower end is the threshold.
        if (scale != "ecog" && first && ToHundred().Match(window) is { Success: true } toHundred)
        {
            return ">=" + toHundred.Groups[1].Value;
        }

        // "Lansky Play Scale of 60%", "Karnofsky score 60%": a required score on a scale where higher is better is a minimum.
        if (scale != "ecog" && first && BareScore().Match(window) is { Success: true } bare)
        {
            return ">=" + bare.Groups[1].Value;
        }

        if (scale == "ecog" && Pick(EcogRange().Matches(window), first) is { } range)
        {
            return "<=" + range.Groups[2].Value;
        }

        return Pick(Comparison().Matches(window), first) is { } bound ? Operator(bound.Groups["op"].Value) + bound.Groups["n"].Value : null;
    }

    private static Match? Pick(MatchCollection matches, bool first) =>
        matches.Count == 0 ? null : first ? matches[0] : matches[^1];

    private static IEnumerable<CriterionFact> ReadProgression(CompiledRule rule, List<Sentence> sentences)
    {
        var facts = new List<CriterionFact>();
        foreach (var sentence in sentences.Where(s => !s.IsExclusion))
        {
            var text = sentence.Text.Text;
            if (rule.Match?.IsMatch(text) != true || rule.Veto?.IsMatch(text) == true)
            {
                continue;
            }

            var window = Window().Match(text);
            facts.Add(sentence.Fact(rule.Source.Id, window.Success ? $"required within {Months(window)} months" : "required"));
        }

        // A stated window is the stricter, more precise reading of the same requirement.
        return facts.Any(f => f.Value != "required") ? facts.Where(f => f.Value != "required") : facts;
    }

    private static int Months(Match window)
    {
        var amount = int.Parse(window.Groups["n"].Value, CultureInfo.InvariantCulture);
        var unit = window.Groups["unit"].Value.ToLowerInvariant();
        return unit.StartsWith("year", StringComparison.Ordinal) ? amount * 12
            : unit.StartsWith("week", StringComparison.Ordinal) ? (int)Math.Round(amount / 4.345)
            : amount;
    }

    private static string Operator(string op) => WhiteSpace().Replace(op.ToLowerInvariant(), " ") switch
    {
        "≥" or ">=" or "=>" or "greater than or equal to" or "at least" or "> or equal to" => ">=",
        "≤" or "<=" or "=<" or "less than or equal to" or "< or equal to" => "<=",
        "greater than" or "more than" => ">",
        "less than" => "<",
        var other => other,
    };

    private sealed class CompiledCues(StatusCues cues)
    {
        public Regex? Ignore { get; } = CriteriaVocabulary.Pattern(cues.Ignore);
        public Regex? Allowed { get; } = CriteriaVocabulary.Pattern(cues.Allowed);
        public Regex? AllowedInExclusion { get; } = CriteriaVocabulary.Pattern(cues.AllowedInExclusion);
        public Regex? Negated { get; } = CriteriaVocabulary.Pattern(cues.Negated);
        public Regex? Prior { get; } = CriteriaVocabulary.Pattern(cues.Prior);
        public Regex? Alternatives { get; } = CriteriaVocabulary.Pattern(cues.Alternatives);
    }

    private sealed class CompiledValue(ValueRule rule)
    {
        public ValueRule Source { get; } = rule;
        public Regex Match { get; } = CriteriaVocabulary.Pattern(rule.Match)!;
        public Regex? Veto { get; } = CriteriaVocabulary.Pattern(rule.Veto);
        public IReadOnlyList<string> Sections => Source.Sections;
    }

    private sealed class CompiledRule(CriterionRule rule, CompiledCues cues)
    {
        public CriterionRule Source { get; } = rule;
        public CompiledCues Cues { get; } = cues;
        public Regex? Veto { get; } = CriteriaVocabulary.Pattern(rule.Veto);
        public Regex? CutAt { get; } = CriteriaVocabulary.Pattern(rule.CutAt);
        public Regex? Subject { get; } = CriteriaVocabulary.Pattern(rule.Subject);
        public Regex? Match { get; } = CriteriaVocabulary.Pattern(rule.Match);
        public IReadOnlyList<CompiledValue> Values { get; } = rule.Values.Select(v => new CompiledValue(v)).ToList();
        public IReadOnlyList<(string Scale, Regex Pattern)> Scales { get; } =
            rule.Scales.Select(s => (s.Key, CriteriaVocabulary.Pattern(s.Value)!)).ToList();

        /// <summary>The part of a sentence this criterion reads, or null when the sentence is vetoed.</summary>
        public string? Readable(string sentence)
        {
            var read = CutAt?.Match(sentence) is { Success: true } cut ? sentence[..cut.Index] : sentence;
            return Veto?.IsMatch(read) == true ? null : read;
        }
    }

    /// <summary>"G1", "grade 2", "Grade 1, 2 and 3", "grade G1 or G2" — not "G1 is defined as …".</summary>
    [GeneratedRegex(@"\b(?:G|grade\s*G?)(?<list>[123](?:\s*(?:,|and|or|-|–)\s*(?:G|grade\s*)?[123])*)\b(?!\s*(?:is|are)\s+defined)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GradeNumbers();

    [GeneratedRegex(@"[123]")]
    private static partial Regex Digit();

    [GeneratedRegex(@"\b(low|intermediate|high)\b(?:[-\s]+(?:or|and|to)[-\s]+(intermediate|high)\b)?[-\s]+grade", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GradeWords();

    [GeneratedRegex(@"\bki-?\s?67\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ki67();

    [GeneratedRegex(@"(?:≥|>=|=>|>)\s*(\d+)\s*%?\s*(?:and|to|-|–)\s*(?:≤|<=|=<|<)\s*(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ki67Between();

    [GeneratedRegex(@"(\d+)\s*%?\s*(?:-|–|to)\s*(\d+)\s*%", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ki67Range();

    /// <summary>"≥ 50", "&lt; or equal to 2"; never an age ("&lt;16 yrs old", "&gt; 16 years of age").</summary>
    [GeneratedRegex(@"(?<op>≥|>=|=>|≤|<=|=<|[<>]\s*or\s+equal\s+to|greater than or equal to|less than or equal to|at least|greater than|more than|less than|>|<)\s*(?:to\s*)?(?<n>\d{1,3})(?!\d)(?!\s*%?\s*(?:yrs?|years?|yo|y/o|months?|old)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Comparison();

    [GeneratedRegex(@"^[\s:]*(?:play\s*)?(?:scale\d*|score|status)?[\s:]*(?:of\s+)?(\d{2})\s*%", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareScore();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\bnot eligible\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotEligible();

    [GeneratedRegex(@"^\W*(?:(?:score|status|performance|scale|of)\W+){0,3}(\d{2})\s*%?\s*(?:-|–|to)\s*100\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ToHundred();

    /// <summary>A therapy named as the exception: "other than", "except", "excluding", "apart from".</summary>
    [GeneratedRegex(@"\b(other than|except(?: for)?|excluding|apart from|besides)\s+(?:\w+\s+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SetAside();

    [GeneratedRegex(@"\b([0-4])\s*(?:-|–|to|or)\s*([0-4])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EcogRange();

    [GeneratedRegex(@"\b(?:within|in)\s+(?:the\s+)?(?:last\s+|past\s+|preceding\s+)?(?<n>\d{1,3})\s+(?<unit>months?|weeks?|years?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Window();
}
