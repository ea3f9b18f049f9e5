namespace TrialFinder.Core.Classification;

/// <summary>
/// Whether a therapy named in a sentence is given in the trial or only named as context: earlier treatment ("after
/// prior 177Lu-DOTATATE", "previously treated with everolimus", "refractory to octreotide", "somatostatin analogue
/// not adequately controlled carcinoid syndrome", "consolidation of first remission after induction chemotherapy"),
/// an exclusion or negation ("no prior anti-GD2", "not candidates for
/// surgery"), an allowance ("concurrent octreotide allowed"), the disease's usual care ("surgery is the standard of care"),
/// the population's own treatment ("patients who are receiving lanreotide", "in whom chemotherapy has failed") or what
/// other studies did ("in other studies, 90Y-DOTATOC has been administered through a vein", "everolimus has been
/// approved"). Works on one normalized sentence; the caller splits text at sentence ends first, so a cue never reaches
/// into the next sentence.
/// </summary>
public static class MentionScope
{
    /// <summary>Cues that put the words after them out of the trial's treatment, with how many words they reach.</summary>
    private static readonly (string[] Words, int Reach, bool NamesPopulation)[] CuesBefore =
    [
        .. Cues(12,
            "prior", "previous", "previously", "pretreated", "pre treated", "pretreatment with", "failure of", "failed", "failing",
            "refractory to", "resistant to", "intolerant to", "intolerant of", "intolerance to", "progressed on", "progressing on",
            "progression on", "progressive on", "progressed after", "progressing after", "progression after", "progressed following",
            "progression following", "progressed during", "progression during", "progression while", "progressing while",
            "relapsed after", "relapse after", "relapsing after", "recurrence after", "recurred after", "have received",
            "has received", "had received", "having received", "have been treated", "has been treated", "had been treated",
            "have undergone", "has undergone", "had undergone", "history of", "no", "not", "cannot", "without", "except", "excluding",
            "excluded", "exclusion", "ineligible", "unsuitable", "unfit", "instead of", "naive to", "exposure to", "exposed to",
            "allowed", "permitted", "prohibited", "contraindication", "contraindications", "contraindicated", "discontinued",
            "washout", "last dose", "never", "despite", "unlikely to", "rather than", "less invasive than", "alternative to"),
        // What other studies did: "In other studies, 90Y-DOTATOC has been administered through a vein". These phrases, and the
        // findings below, have their one home in BackgroundSentences, which also reads whole sentences for the classifier.
        .. Cues(12, [.. BackgroundSentences.OtherStudies]),
        // What other studies found, however long the finding: "studies have shown that Aurora A kinase inhibitors result
        // in enhanced cytotoxicity when used in combination with chemotherapy".
        .. Cues(16, [.. BackgroundSentences.Findings]),
        // The population's own treatment, which patients bring to an interventional trial: "patients who are receiving
        // octreotide". An observational study's population is its cohort, whose treatment it does follow.
        .. PopulationCues(12,
            "who received", "who are receiving", "who were receiving", "who have been receiving", "who are being treated",
            "who were treated", "who are treated", "currently receiving", "currently on", "currently treated", "already receiving",
            "already received", "already on", "stable dose of", "stable doses of", "on a stable", "patients receiving",
            "children receiving", "subjects receiving", "patients treated with", "children treated with", "subjects treated with",
            "participants treated with"),
        .. Cues(4, "historical", "historic", "historically"),
        // A sentence about the disease's usual treatment describes care outside the trial: "the standard of care is
        // classically surgical", "pheochromocytoma is usually treated with surgery".
        .. Cues(6, "standard of care is", "standard of care was", "standard treatment is", "standard therapy is",
            "treatment of choice is", "mainstay of treatment is", "mainstay of therapy is", "guidelines recommend",
            "usually treated with", "typically treated with", "commonly treated with", "traditionally treated with",
            "generally treated with", "effectively treated with", "often treated with"),
        // "Most people with GIST are treated with imatinib", "treatment ranges from watchful waiting to pancreatectomy".
        .. Cues(8, "most people", "most patients", "most children"),
        .. Cues(12, "ranges from", "range from", "treatment options include", "treatment options are"),
        .. Cues(5, "after", "following", "completed", "completing", "completion of", "subsequent to", "adjuvant to", "since", "beyond"),
        // "post transplant", "post-allo stem cell transplantation".
        .. Cues(3, "post"),
    ];

    /// <summary>Words after a therapy that say it is the patients' history or allowance, not the trial's treatment.</summary>
    private static readonly string[][] CuesRightAfter =
        Words("naive", "refractory", "resistant", "pretreated", "pre treated", "failure", "failed", "intolerant", "intolerance",
            "exposed", "experienced", "free", "ineligible", "not adequately controlled", "inadequately controlled",
            // Its side effects, which the trial treats: "chemotherapy-induced nausea", "chemotherapy-related toxicity".
            "induced", "related");

    private static readonly string[][] CuesSoonAfter =
        Words("allowed", "permitted", "prohibited", "excluded", "not allowed", "not permitted", "is allowed", "are allowed",
            "were allowed", "is permitted", "are permitted", "must have been", "must be completed", "must have been completed",
            "is the standard", "was the standard", "remains the standard", "is considered the standard", "is the treatment of choice",
            "is the mainstay", "remains the mainstay", "represent the main", "represents the main", "are the main",
            "is currently the standard", "are the standard", "are currently the standard", "is standard", "are standard",
            "has become the standard", "have become the standard", "represents the standard", "represent the standard",
            // The population's history: "patients in whom standard chemotherapy has failed".
            "has failed", "have failed", "had failed", "has stopped working", "no longer works", "no longer controls",
            // Treatment before the trial: "autologous transplant before enrolment", "radiotherapy prior to study entry".
            // Not "before randomisation" or "before registration": a run-in or a first step can be the trial's own treatment.
            "before enrolment", "before enrollment", "prior to enrolment", "prior to enrollment", "before study entry",
            "prior to study entry");

    /// <summary>What is known of the therapy, said after it ("lanreotide is approved for"): <see cref="BackgroundSentences.Knowledge"/>.</summary>
    private static readonly string[][] CuesReportedAfter = Words([.. BackgroundSentences.Knowledge]);

    private const int ReportedAfterReach = 10;

    private const int SoonAfterReach = 6;

    private static readonly string[] Negations = ["not", "never", "no"];

    /// <summary>Words that start the trial's own treatment: a cue before them does not reach past them.</summary>
    private static readonly string[][] Resets =
        Words("will", "receive", "receives", "given", "randomised", "randomized", "randomly", "versus", "vs", "compared",
            "compare", "study", "trial", "then");

    private static readonly int LongestReachBefore = CuesBefore.Max(cue => cue.Reach);

    /// <summary>How far a cue is looked for: the longest reach, and the longest phrase ending there plus the two words before it.</summary>
    private static readonly int WordsBeforeRead = LongestReachBefore + CuesBefore.Max(cue => cue.Words.Length) + 2;

    /// <summary>The cues after a term: the longest reach after it plus the longest phrase starting there.</summary>
    private static readonly int WordsAfterRead =
        Math.Max(SoonAfterReach, ReportedAfterReach) + CuesSoonAfter.Concat(CuesReportedAfter).Concat(Resets).Max(cue => cue.Length);

    /// <summary>The cues before a term, found by the word each ends with, so a word that ends no cue costs one lookup.</summary>
    private static readonly Dictionary<string, (string[] Words, int Reach, bool NamesPopulation)[]> CuesBeforeByLastWord =
        CuesBefore.GroupBy(cue => cue.Words[^1], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static readonly Dictionary<string, string[][]> ResetsByLastWord =
        Resets.GroupBy(reset => reset[^1], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The cues and resets after a term, found by the word each starts with.</summary>
    private static readonly Dictionary<string, string[][]> CuesSoonAfterByFirstWord = ByFirstWord(CuesSoonAfter);

    private static readonly Dictionary<string, string[][]> CuesRightAfterByFirstWord = ByFirstWord(CuesRightAfter);

    private static readonly Dictionary<string, string[][]> CuesReportedAfterByFirstWord = ByFirstWord(CuesReportedAfter);

    private static readonly Dictionary<string, string[][]> ResetsByFirstWord = ByFirstWord(Resets);

    /// <param name="populationIsCohort">
    /// True for an observational study, whose population is the cohort it follows: "patients who received 177Lu-DOTATATE"
    /// there names the cohort's treatment, not history brought to the trial.
    /// </param>
    public static bool IsContext(NormalizedText text, int position, TermPattern pattern, bool populationIsCohort = false) =>
        CuedBefore(text.WordsBefore(position, WordsBeforeRead), populationIsCohort)
        || CuedAfter(text.WordsAfter(position, pattern, WordsAfterRead));

    private static bool CuedBefore(string[] before, bool populationIsCohort)
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
                foreach (var (words, reach, namesPopulation) in cues)
                {
                    if (distance <= reach && !(namesPopulation && populationIsCohort) && EndsAt(before, end, words) && !IsFalseCue(before, end, words))
                    {
                        return true;
                    }
                }
            }

            if (distance >= LongestReachBefore)
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

        if (StartsWithAny(after, 0, CuesRightAfterByFirstWord))
        {
            return true;
        }

        for (var i = 0; i < Math.Min(after.Length, Math.Max(SoonAfterReach, ReportedAfterReach)); i++)
        {
            if (StartsWithAny(after, i, ResetsByFirstWord))
            {
                return false;
            }

            if ((i < SoonAfterReach && StartsWithAny(after, i, CuesSoonAfterByFirstWord))
                || (i < ReportedAfterReach && StartsWithAny(after, i, CuesReportedAfterByFirstWord)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithAny(string[] words, int start, Dictionary<string, string[][]> phrasesByFirstWord)
    {
        if (!phrasesByFirstWord.TryGetValue(words[start], out var phrases))
        {
            return false;
        }

        foreach (var phrase in phrases)
        {
            if (StartsAt(words, start, phrase))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, string[][]> ByFirstWord(string[][] phrases) =>
        phrases.GroupBy(phrase => phrase[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

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

    private static IEnumerable<(string[] Words, int Reach, bool NamesPopulation)> Cues(int reach, params string[] phrases) =>
        phrases.Select(p => (p.Split(' '), reach, false));

    private static IEnumerable<(string[] Words, int Reach, bool NamesPopulation)> PopulationCues(int reach, params string[] phrases) =>
        phrases.Select(p => (p.Split(' '), reach, true));

    private static string[][] Words(params string[] phrases) => phrases.Select(p => p.Split(' ')).ToArray();
}
