using System.Globalization;
using System.Text;

namespace TrialFinder.Core.Classification;

/// <summary>
/// Text reduced to lower-case words separated by single spaces, so "177Lu-DOTATATE",
/// "[177Lu]Lu-DOTATATE" and "177lu dotatate" compare equal and terms match on word boundaries.
/// </summary>
public readonly record struct NormalizedText(string Original, string Padded)
{
    public static NormalizedText From(string original) => new(original, " " + Normalize(original) + " ");

    public bool Contains(TermPattern pattern) => Padded.Contains(pattern.Needle, StringComparison.Ordinal);

    /// <summary>Where the pattern occurs, as positions in <see cref="Padded"/> of the space before its first word.</summary>
    public IEnumerable<int> Occurrences(TermPattern pattern)
    {
        for (var at = Padded.IndexOf(pattern.Needle, StringComparison.Ordinal); at >= 0;
             at = Padded.IndexOf(pattern.Needle, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }

    /// <summary>Every word with its position in <see cref="Padded"/> (the space before it), in order.</summary>
    public IEnumerable<(int Position, string Word)> Words()
    {
        for (var at = 0; at < Padded.Length - 1; )
        {
            var end = Padded.IndexOf(' ', at + 1);
            if (end < 0)
            {
                yield break;
            }

            if (end > at + 1)
            {
                yield return (at, Padded[(at + 1)..end]);
            }

            at = end;
        }
    }

    /// <summary>
    /// The words before a position in <see cref="Padded"/>, nearest last: at most <paramref name="maxWords"/> of them, read
    /// backwards from the position, since callers look only a few words back and a long criteria text need not be split whole.
    /// </summary>
    public string[] WordsBefore(int position, int maxWords = int.MaxValue)
    {
        var words = new List<string>();
        var end = position;
        while (end > 0 && words.Count < maxWords)
        {
            var start = Padded.LastIndexOf(' ', end - 1);
            if (end - start > 1)
            {
                words.Add(Padded[(start + 1)..end]);
            }

            if (start < 0)
            {
                break;
            }

            end = start;
        }

        words.Reverse();
        return [.. words];
    }

    /// <summary>The words from a position in <see cref="Padded"/> on, after skipping the matched words: at most <paramref name="maxWords"/>.</summary>
    public string[] WordsAfter(int position, TermPattern pattern, int maxWords = int.MaxValue)
    {
        var words = new List<string>();
        var at = Padded.IndexOf(' ', position + 1 + pattern.Needle.TrimStart().TrimEnd().Length);
        while (at >= 0 && words.Count < maxWords)
        {
            var next = Padded.IndexOf(' ', at + 1);
            if (next < 0)
            {
                break;
            }

            if (next > at + 1)
            {
                words.Add(Padded[(at + 1)..next]);
            }

            at = next;
        }

        return [.. words];
    }

    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = true;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                lastWasSpace = false;
            }
            else if (!lastWasSpace)
            {
                builder.Append(' ');
                lastWasSpace = true;
            }
        }

        return builder.ToString().TrimEnd();
    }
}

/// <summary>A vocabulary term ready for matching: " words " or, with a trailing '*', " prefix".</summary>
public sealed record TermPattern(string Term, string Needle)
{
    public static TermPattern Create(string term)
    {
        var isPrefix = term.EndsWith('*');
        var words = NormalizedText.Normalize(isPrefix ? term[..^1] : term);
        return new TermPattern(term, isPrefix ? " " + words : " " + words + " ");
    }
}
