namespace TrialFinder.Core.Classification;

/// <summary>
/// Whether a therapy named in a sentence is given in the trial or only named as context: earlier treatment ("after
/// prior 177Lu-DOTATATE", "previously treated with everolimus", "refractory to octreotide", "somatostatin analogue
/// not adequately controlled carcinoid syndrome", "consolidation of first remission after induction chemotherapy"),
/// an exclusion or negation ("no prior anti-GD2", "not candidates for
/// surgery"), an allowance ("concurrent octreotide allowed") or the disease's usual care ("surgery is the standard of care"). Works on one normalized sentence; the caller splits
/// text at sentence ends first, so a cue never reaches into the next sentence.
/// </summary>
public static class MentionScope
{
    /// <summary>Cues that put the words after them out of the trial's treatment, with how many words they reach.</summary>
    private static readonly (string[] Words, int Reach)[] CuesBefore =
    [
        .. Cues(12,
            "prior", "previous", "previously", "pretreated", "pre treated", "pretreatment with", "failure of", "failed", "failing",
            "refractory to", "resistant to", "intolerant to", "intolerant of", "intolerance to", "progressed on", "progressing on",
            "progression on", "progressive on", "progressed after", "progressing after", "progression after", "progressed following",
            "progression following", "progressed during", "progression during", "progression while", "progressing while",
            "relapsed after", "relapse after", "relapsing after", "recurrence after", "recurred after", "have received",
            "has received", "had received", "having received", "have been treated", "has been treated", "had been treated",
            "have undergone", "has undergone", "had undergone", "history of", "no", "not", "without", "except", "excluding",
            "excluded", "exclusion", "ineligible", "unsuitable", "unfit", "instead of", "naive to", "exposure to", "exposed to",
            "allowed", "permitted", "prohibited", "contraindication", "contraindications", "contraindicated", "discontinued",
            "washout", "last dose", "never"),
        .. Cues(4, "historical", "historic", "historically"),
        // A sentence about the disease's usual treatment describes care outside the trial: "the standard of care is
        // classically surgical", "pheochromocytoma is usually treated with surgery".
        .. Cues(6, "standard of care is", "standard of care was", "standard treatment is", "standard therapy is",
            "treatment of choice is", "mainstay of treatment is", "mainstay of therapy is", "guidelines recommend",
            "usually treated with", "typically treated with", "commonly treated with", "traditionally treated with"),
        .. Cues(5, "after", "following", "completed", "completing", "completion of", "subsequent to", "adjuvant to", "since", "beyond"),
        .. Cues(1, "post"),
    ];

    /// <summary>Words after a therapy that say it is the patients' history or allowance, not the trial's treatment.</summary>
    private static readonly string[][] CuesRightAfter =
        Words("naive", "refractory", "resistant", "pretreated", "pre treated", "failure", "failed", "intolerant", "intolerance",
            "exposed", "experienced", "free", "ineligible", "not adequately controlled", "inadequately controlled");

    private static readonly string[][] CuesSoonAfter =
        Words("allowed", "permitted", "prohibited", "excluded", "not allowed", "not permitted", "is allowed", "are allowed",
            "were allowed", "is permitted", "are permitted", "must have been", "must be completed", "must have been completed",
            "is the standard", "was the standard", "remains the standard", "is considered the standard", "is the treatment of choice",
            "is the mainstay", "remains the mainstay", "represent the main", "represents the main", "are the main");

    private const int SoonAfterReach = 6;

    private static readonly string[] Negations = ["not", "never", "no"];

    /// <summary>Words that start the trial's own treatment: a cue before them does not reach past them.</summary>
    private static readonly string[][] Resets =
        Words("will", "receive", "receives", "given", "randomised", "randomized", "randomly", "versus", "vs", "compared",
            "compare", "study", "trial", "then");

    /// <summary>How far a cue is looked for: the longest reach, and the longest phrase ending there plus the word before it.</summary>
    private const int WordsBeforeRead = 20;

    /// <summary>The cues after a term: the soon-after reach plus the longest phrase starting there.</summary>
    private const int WordsAfterRead = 12;

    /// <summary>The cues before a term, found by the word each ends with, so a word that ends no cue costs one lookup.</summary>
    private static readonly Dictionary<string, (string[] Words, int Reach)[]> CuesBeforeByLastWord =
        CuesBefore.GroupBy(cue => cue.Words[^1], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static readonly Dictionary<string, string[][]> ResetsByLastWord =
        Resets.GroupBy(reset => reset[^1], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    public static bool IsContext(NormalizedText text, int position, TermPattern pattern) =>
        CuedBefore(text.WordsBefore(position, WordsBeforeRead)) || CuedAfter(text.WordsAfter(position, pattern, WordsAfterRead));

    private static bool CuedBefore(string[] before)
    {
        for (var distance = 1; distance <= before.Length; distance++)
        {
            var end = before.Length - distance; // index of the word at this distance
            if (ResetsByLastWord.TryGetValue(before[end], out var resets) && resets.FirstOrDefault(reset => EndsAt(before, end, reset)) is { } reset)
            {
                // "will not receive chemotherapy", "is never given": a negated start of treatment gives nothing.
                var beforeReset = end - reset.Length;
                return beforeReset >= 0 && Negations.Contains(before[beforeReset]);
            }

            if (CuesBeforeByLastWord.TryGetValue(before[end], out var cues))
            {
                foreach (var (words, reach) in cues)
                {
                    if (distance <= reach && EndsAt(before, end, words) && !IsFalseCue(before, end, words))
                    {
                        return true;
                    }
                }
            }

            if (distance >= 12)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>"prior to" and "before" point forward (treatment given before surgery); "with or without X" gives X in one arm.</summary>
    private static bool IsFalseCue(string[] words, int end, string[] cue)
    {
        var next = end + 1 < words.Length ? words[end + 1] : null;
        return (cue is ["prior"] or ["previous"] && next == "to")
            || (cue is ["without"] && end >= 2 && words[end - 1] == "or" && words[end - 2] == "with")
            || (cue is ["following"] && end >= 1 && words[end - 1] == "the")
            || (cue is ["no"] or ["not"] && next is "only" or "longer" or "more" or "less");
    }

    private static bool CuedAfter(string[] after)
    {
        if (after.Length == 0)
        {
            return false;
        }

        if (CuesRightAfter.Any(cue => StartsAt(after, 0, cue)))
        {
            return true;
        }

        for (var i = 0; i < Math.Min(after.Length, SoonAfterReach); i++)
        {
            if (Resets.Any(reset => StartsAt(after, i, reset)))
            {
                return false;
            }

            if (CuesSoonAfter.Any(cue => StartsAt(after, i, cue)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsAt(string[] words, int end, string[] phrase)
    {
        var start = end - phrase.Length + 1;
        return start >= 0 && StartsAt(words, start, phrase);
    }

    private static bool StartsAt(string[] words, int start, string[] phrase)
    {
        if (start + phrase.Length > words.Length)
        {
            return false;
        }

        for (var i = 0; i < phrase.Length; i++)
        {
            if (words[start + i] != phrase[i])
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<(string[] Words, int Reach)> Cues(int reach, params string[] phrases) =>
        phrases.Select(p => (p.Split(' '), reach));

    private static string[][] Words(params string[] phrases) => phrases.Select(p => p.Split(' ')).ToArray();
}
