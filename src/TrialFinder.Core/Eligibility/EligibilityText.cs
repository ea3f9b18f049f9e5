using System.Text.RegularExpressions;

namespace TrialFinder.Core.Eligibility;

/// <summary>Which part of the eligibility criteria a criterion belongs to.</summary>
public enum CriteriaSection
{
    /// <summary>Text before any heading, or under a heading that says neither inclusion nor exclusion.</summary>
    Unlabelled,
    Inclusion,
    Exclusion,
}

/// <summary>A sentence of a longer text, with where it starts in that text.</summary>
public sealed record TextSentence(string Text, int Start)
{
    public int Length => Text.Length;
}

/// <summary>One bullet, numbered item or paragraph of the criteria, with its sentences.</summary>
public sealed record EligibilityCriterion(CriteriaSection Section, string Text, int Start, int Depth, IReadOnlyList<TextSentence> Sentences)
{
    public int Length => Text.Length;
}

/// <summary>A run of criteria under one heading (or before the first heading, with no heading).</summary>
public sealed record EligibilitySection(CriteriaSection Kind, string? Heading, int Start, IReadOnlyList<EligibilityCriterion> Criteria);

/// <summary>
/// The registry's free-text eligibility criteria split into inclusion and exclusion sections, criteria and sentences,
/// each with its position in the original text. Headings are recognised in the forms registries use: "Inclusion
/// Criteria:", "Key Exclusion Criteria:", "Non-inclusion criteria", "Patients will be excluded if:", and the old NCI
/// "DISEASE CHARACTERISTICS: / PATIENT CHARACTERISTICS: / PRIOR CONCURRENT THERAPY:" (all requirements to enrol).
/// </summary>
public sealed partial class EligibilityText
{
    private EligibilityText(string original, IReadOnlyList<EligibilitySection> sections)
    {
        Original = original;
        Sections = sections;
    }

    public static EligibilityText Empty { get; } = new("", []);

    public string Original { get; }

    public IReadOnlyList<EligibilitySection> Sections { get; }

    public IEnumerable<EligibilityCriterion> Criteria => Sections.SelectMany(s => s.Criteria);

    public IEnumerable<EligibilityCriterion> Inclusion => InSection(CriteriaSection.Inclusion);

    public IEnumerable<EligibilityCriterion> Exclusion => InSection(CriteriaSection.Exclusion);

    /// <summary>Criteria that describe who may enrol: the inclusion section and any text under no heading.</summary>
    public IEnumerable<EligibilityCriterion> NotExcluding => Criteria.Where(c => c.Section != CriteriaSection.Exclusion);

    public IEnumerable<EligibilityCriterion> InSection(CriteriaSection section) => Criteria.Where(c => c.Section == section);

    /// <summary>
    /// Splits the criteria. With <paramref name="joinWrappedLines"/> a hard-wrapped continuation line joins the
    /// criterion above it and sentences run across the wrap (see <see cref="ContinuesWrappedLine"/>); criteria
    /// extraction reads this way. Without it every line is a criterion of its own: the classifier still reads so,
    /// because its held-out figures were measured that way and joining changed one of its held-out trials.
    /// </summary>
    public static EligibilityText Parse(string? criteria, bool joinWrappedLines = false)
    {
        if (string.IsNullOrWhiteSpace(criteria))
        {
            return Empty;
        }

        var sections = new List<EligibilitySection>();
        var current = new List<EligibilityCriterion>();
        var kind = CriteriaSection.Unlabelled;
        string? heading = null;
        var sectionStart = 0;

        void Close()
        {
            if (current.Count > 0 || heading is not null)
            {
                sections.Add(new EligibilitySection(kind, heading, sectionStart, current));
            }

            current = [];
        }

        // The line the last criterion ends on, to join a hard-wrapped continuation line to it.
        (string Line, int Indent, int TextColumn)? previous = null;
        var wrapWidth = joinWrappedLines ? WrapWidth(criteria) : null;
        foreach (var (line, lineStart) in Lines(criteria))
        {
            var indent = line.Length - line.TrimStart().Length;
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                previous = null;
                continue;
            }

            var bullet = BulletMarker().Match(trimmed);
            if (!bullet.Success && ReadHeading(trimmed) is { } found)
            {
                Close();
                (kind, heading, sectionStart) = (found.Kind, trimmed[..found.HeadingLength].Trim(), lineStart + indent);
                var rest = trimmed[found.HeadingLength..];
                var restTrimmed = rest.TrimStart(' ', ':', '-');
                previous = null;
                if (restTrimmed.Length > 0)
                {
                    var restStart = lineStart + indent + found.HeadingLength + (rest.Length - restTrimmed.Length);
                    current.Add(Criterion(kind, restTrimmed.TrimEnd(), restStart, 0));
                    previous = (line, indent, restStart - lineStart);
                }

                continue;
            }

            if (joinWrappedLines && !bullet.Success && previous is { } last && current.Count > 0 && ContinuesWrappedLine(last.Line, last.TextColumn, trimmed, indent, wrapWidth))
            {
                var joined = current[^1];
                var end = lineStart + indent + trimmed.Length;
                current[^1] = Criterion(joined.Section, criteria[joined.Start..end], joined.Start, joined.Depth);
                previous = (line, indent, last.TextColumn);
                continue;
            }

            var textOffset = bullet.Success ? bullet.Length : 0;
            var text = trimmed[textOffset..].TrimStart();
            if (text.Length == 0)
            {
                previous = null;
                continue;
            }

            var start = lineStart + indent + (trimmed.Length - text.Length);
            current.Add(Criterion(kind, text, start, indent / 2));
            previous = (line, indent, start - lineStart);
        }

        Close();
        return new EligibilityText(criteria, sections);
    }

    private static EligibilityCriterion Criterion(CriteriaSection section, string text, int start, int depth) =>
        new(section, text, start, depth, TextSentences.Split(text, start, lineBreaksEndSentences: false));

    /// <summary>Registry text hard-wrapped at about 80 columns has no line longer than this …</summary>
    private const int LongestWrappedLine = 100;

    /// <summary>… and several lines at least this long.</summary>
    private const int WrappedLineLength = 60;

    /// <summary>The width a hard-wrapped text was wrapped at (its longest line), or null when it is not wrapped.</summary>
    private static int? WrapWidth(string text)
    {
        var lengths = Lines(text).Select(l => l.Line.TrimEnd().Length).ToList();
        var longest = lengths.Max();
        return longest <= LongestWrappedLine && lengths.Count(n => n >= WrappedLineLength) >= 2 ? longest : null;
    }

    /// <summary>
    /// A line that is not a bullet, number or heading continues the criterion above it when no blank line separates
    /// them, the line above left its sentence open (no closing . ; : ! ?), and either the text is hard-wrapped and
    /// this line's first word would not have fitted on the line above (so the wrap, not the author, broke the line),
    /// or this line starts in lower case, or it starts at or right of the criterion's text (a hanging indent).
    /// </summary>
    private static bool ContinuesWrappedLine(string previousLine, int previousTextColumn, string trimmed, int indent, int? wrapWidth)
    {
        var above = previousLine.TrimEnd();
        if (above.Length == 0 || above[^1] is '.' or ';' or ':' or '!' or '?')
        {
            return false;
        }

        var firstWord = trimmed.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? space : trimmed.Length;
        return above.Length + 1 + firstWord > wrapWidth || char.IsLower(trimmed[0]) || (indent > 0 && indent >= previousTextColumn);
    }

    private static IEnumerable<(string Line, int Start)> Lines(string text)
    {
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            yield return (text[start..end].TrimEnd('\r'), start);
            start = end + 1;
        }
    }

    private sealed record Heading(CriteriaSection Kind, int HeadingLength);

    private static Heading? ReadHeading(string line)
    {
        // A short line ending with a colon that speaks of inclusion, exclusion or eligibility introduces the criteria below it.
        if (line.Length <= 120 && line.EndsWith(':'))
        {
            var kind = KindOf(line);
            if (kind != CriteriaSection.Unlabelled || EligibilityWord().IsMatch(line))
            {
                return new Heading(kind, line.Length);
            }
        }

        var named = NamedHeading().Match(line);
        return named.Success ? new Heading(KindOf(named.Value), named.Length) : null;
    }

    private static CriteriaSection KindOf(string heading) =>
        ExclusionWords().IsMatch(heading) ? CriteriaSection.Exclusion
        : InclusionWords().IsMatch(heading) ? CriteriaSection.Inclusion
        : CriteriaSection.Unlabelled;

    [GeneratedRegex(@"^(\*|-|•|·|‣|o |\d{1,2}[.)](?!\d)|[a-z][.)]\s|\(\w{1,3}\))\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BulletMarker();

    /// <summary>"Inclusion Criteria", "Key Exclusion Criteria:", "Non-inclusion criteria -", "DISEASE CHARACTERISTICS:", a bare "Exclusion", "Core Exclusion:".</summary>
    [GeneratedRegex(@"^((key|main|major|general|principal|specific|additional)\s+)?((non[- ]?)?inclusion|exclusion|eligibility)\s+criteria\s*(:|-|$)|^(disease|patient)\s+characteristics\s*:|^prior\s+concurrent\s+therapy\s*:|^((key|main|major|general|core)\s+)?(inclusion|exclusion)\s*:?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamedHeading();

    [GeneratedRegex(@"\b(exclusion|excluded|non[- ]?inclusion|not\s+eligible|ineligib\w*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExclusionWords();

    [GeneratedRegex(@"\b(inclusion|included|characteristics|prior\s+concurrent\s+therapy)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InclusionWords();

    [GeneratedRegex(@"\beligib\w*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EligibilityWord();
}

/// <summary>Splits text into sentences at . ! ? ; and line breaks, keeping each sentence's position.</summary>
public static partial class TextSentences
{
    /// <summary>
    /// With <paramref name="lineBreaksEndSentences"/> false a line break inside the text is only wrapping (a criterion
    /// whose continuation lines were joined to it), so sentences run across it.
    /// </summary>
    public static IReadOnlyList<TextSentence> Split(string? text, int offset = 0, bool lineBreaksEndSentences = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var sentences = new List<TextSentence>();
        var start = 0;
        foreach (Match end in SentenceEnd().Matches(text))
        {
            if (!lineBreaksEndSentences && end.Value[0] is '\r' or '\n')
            {
                continue;
            }

            if (end.Value.Trim() == "." && IsAbbreviation(text, end.Index))
            {
                continue;
            }

            Add(start, end.Index + (end.Value[0] is '.' or '!' or '?' or ';' ? 1 : 0));
            start = end.Index + end.Length;
        }

        Add(start, text.Length);
        return sentences;

        void Add(int from, int to)
        {
            var piece = text[from..to];
            var trimmed = piece.Trim();
            if (trimmed.Length > 0)
            {
                sentences.Add(new TextSentence(trimmed, offset + from + (piece.Length - piece.TrimStart().Length)));
            }
        }
    }

    /// <summary>"e.g.", "i.e.", "vs.", "approx." and single letters ("J. Smith") do not end a sentence.</summary>
    private static bool IsAbbreviation(string text, int periodIndex)
    {
        var wordStart = periodIndex;
        while (wordStart > 0 && (char.IsLetter(text[wordStart - 1]) || text[wordStart - 1] == '.'))
        {
            wordStart--;
        }

        var word = text[wordStart..periodIndex].ToLowerInvariant();
        return word.Length == 1 || word is "e.g" or "i.e" or "vs" or "etc" or "approx" or "incl" or "dr" or "no" or "nos" or "fig" or "ca";
    }

    [GeneratedRegex(@"[.!?;](?=\s|$)\s*|\r?\n\s*", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();
}
