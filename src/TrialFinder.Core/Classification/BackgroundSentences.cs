using System.Buffers;

namespace TrialFinder.Core.Classification;

/// <summary>
/// The one home for the words that put a sentence outside the trial's own patients and treatment: what other studies did
/// or found, what is known or approved of a therapy, laboratory models and comparisons. <see cref="MentionScope"/> reads
/// the study, finding and knowledge phrases as cues around a therapy ("in other studies, 90Y-DOTATOC has been administered
/// through a vein", "everolimus has been approved"); the classifier leaves a whole sentence that carries any of them out of
/// what it reads for the trial's population and sites ("neuroblastoma cell lines", "studies have shown ... in GEP-NETs").
/// Phrases are written in normalized words (lower case, punctuation as spaces).
/// </summary>
public static class BackgroundSentences
{
    /// <summary>Other studies, named before what they did: "in other studies, 90Y-DOTATOC has been administered".</summary>
    public static readonly IReadOnlyList<string> OtherStudies =
    [
        "other studies", "other trials", "earlier studies", "earlier trials", "previous studies", "previous trials",
        "published studies", "in the past", "in studies of", "in studies in", "in studies with",
    ];

    /// <summary>
    /// What other studies found, named before the finding however long it is: "studies have shown that Aurora A kinase
    /// inhibitors result in enhanced cytotoxicity when used in combination with chemotherapy".
    /// </summary>
    public static readonly IReadOnlyList<string> Findings =
    [
        "have shown that", "has shown that", "been shown that", "studies have shown", "studies has shown", "studies show",
        "studies showed", "studies suggest", "studies have suggested", "data suggest", "reported that", "have reported",
        "has been reported", "shown promising",
    ];

    /// <summary>
    /// What is known of a therapy, named after it, often after a few words on its target: "14g2a and other antibodies that
    /// bind to GD2 have been used to treat people with neuroblastoma", "lanreotide is approved for". The bare "have shown" is
    /// left out: "... in NETs that have shown progression" describes the patients, not a finding.
    /// </summary>
    public static readonly IReadOnlyList<string> Knowledge =
    [
        "has been shown", "have been shown", "has been approved", "have been approved", "is approved", "are approved",
        "was approved", "were approved", "is licensed", "are licensed", "has been used", "have been used",
        "has been administered", "have been administered", "has been studied", "have been studied", "is widely used",
        "are widely used", "is commonly used", "are commonly used",
    ];

    /// <summary>Laboratory models and comparisons: "cell lines derived from neuroblastoma", "unlike neuroblastoma".</summary>
    private static readonly IReadOnlyList<string> ModelsAndComparisons =
    [
        "cell line", "cell lines", "in vitro", "in vivo", "xenograft", "xenografts", "preclinical", "pre clinical", "mice",
        "mouse", "animal model", "animal models", "unlike", "in contrast to", "compared with", "compared to", "similar to",
        "most common", "taken up", "expressed in", "expressed by", "expressed on",
    ];

    private static readonly SearchValues<string> OtherStudiesNeedles = Needles(OtherStudies.Concat(Findings).Concat(Knowledge));

    private static readonly SearchValues<string> AllNeedles = Needles(OtherStudies.Concat(Findings).Concat(Knowledge).Concat(ModelsAndComparisons));

    /// <summary>True when the sentence speaks of other studies, findings, what is known of a therapy, laboratory models or comparisons.</summary>
    public static bool IsBackground(NormalizedText sentence) => sentence.Padded.AsSpan().ContainsAny(AllNeedles);

    /// <summary>
    /// True when the sentence speaks of other studies, their findings or what is known of a therapy; a comparison alone
    /// ("surufatinib compared with FOLFIRI") may be the trial's own arms, so it does not count here.
    /// </summary>
    public static bool SpeaksOfOtherStudies(NormalizedText sentence) => sentence.Padded.AsSpan().ContainsAny(OtherStudiesNeedles);

    private static SearchValues<string> Needles(IEnumerable<string> phrases) =>
        SearchValues.Create(phrases.Select(phrase => " " + phrase + " ").ToArray(), StringComparison.Ordinal);
}
