using System.Globalization;

namespace TrialFinder.Core.PreScreening;

/// <summary>
/// One fact a family may tell us about the patient, asked as "Tell us about the patient": its query-string name,
/// the eligibility criterion it is checked against (the extractor's criterion id) and the answers it takes.
/// Every question may be left at "don't know", the default.
/// </summary>
public sealed record PatientQuestion(string Name, string Criterion, string Disease, IReadOnlyList<string> Choices, decimal? Minimum = null, decimal? Maximum = null)
{
    public bool IsNumber => Choices.Count == 0;
}

/// <summary>The questions, in the order the form asks them; the one home of their names and answers.</summary>
public static class PatientQuestions
{
    /// <summary>Every profile parameter starts with this, so a query string can be told to carry patient facts at a glance.</summary>
    public const string Prefix = "pt-";

    public const string Neuroblastoma = "neuroblastoma";
    public const string Net = "net";

    public const string Yes = "yes";
    public const string No = "no";

    /// <summary>What "don't know" is sent as; an empty value means the same.</summary>
    public const string DontKnow = "unknown";

    /// <summary>The filter that hides trials whose stated criteria clearly conflict with the answers (<c>pt-hide-conflicts=true</c>).</summary>
    public const string HideConflicts = Prefix + "hide-conflicts";

    private static readonly string[] YesNo = [Yes, No];

    public static PatientQuestion DiseaseState { get; } = Choice("disease-state", Neuroblastoma, "newly-diagnosed", "relapsed", "refractory", "in-remission");
    public static PatientQuestion MibgAvid { get; } = Choice("mibg-avid", Neuroblastoma, YesNo);
    public static PatientQuestion AlkAlteration { get; } = Choice("alk-alteration", Neuroblastoma, YesNo);
    public static PatientQuestion MycnAmplification { get; } = Choice("mycn-amplification", Neuroblastoma, YesNo);
    public static PatientQuestion MeasurableDisease { get; } = Choice("measurable-disease", Neuroblastoma, "measurable", "evaluable", "none");
    public static PatientQuestion CnsDisease { get; } = Choice("cns-disease", Neuroblastoma, YesNo);

    /// <summary>The scale of <see cref="PerformanceScore"/>: both are needed for either to be judged.</summary>
    public static PatientQuestion PerformanceScale { get; } = new(Prefix + "performance-scale", "performance-score", Neuroblastoma, ["lansky", "karnofsky", "ecog"]);

    public static PatientQuestion PerformanceScore { get; } = new(Prefix + "performance-score", "performance-score", Neuroblastoma, [], 0, 100);

    public static PatientQuestion PrimarySite { get; } =
        Choice("primary-site", Net, "pancreas", "small-intestine", "gastrointestinal", "lung", "thymus", "unknown-primary");

    public static PatientQuestion Grade { get; } = Choice("grade", Net, "g1", "g2", "g3");
    public static PatientQuestion Ki67 { get; } = new(Prefix + "ki67", "ki67", Net, [], 0, 100);
    public static PatientQuestion Differentiation { get; } = Choice("differentiation", Net, "well", "poorly");
    public static PatientQuestion SstrImaging { get; } = Choice("sstr-imaging", Net, YesNo);
    public static PatientQuestion Progression { get; } = Choice("progression", Net, YesNo);
    public static PatientQuestion FunctionalSyndrome { get; } = Choice("functional-syndrome", Net, YesNo);

    /// <summary>Prior therapies, each answered yes (had it) or no, checked against required / allowed / excluded.</summary>
    public static IReadOnlyList<PatientQuestion> PriorTherapies { get; } =
    [
        Choice("prior-anti-gd2", Neuroblastoma, YesNo),
        Choice("prior-mibg-therapy", Neuroblastoma, YesNo),
        Choice("prior-autologous-transplant", Neuroblastoma, YesNo),
        Choice("prior-alk-inhibitor", Neuroblastoma, YesNo),
        Choice("prior-prrt", Net, YesNo),
        Choice("prior-somatostatin-analogue", Net, YesNo),
        Choice("prior-everolimus", Net, YesNo),
        Choice("prior-sunitinib", Net, YesNo),
        Choice("prior-chemotherapy", Net, YesNo),
        Choice("prior-liver-directed", Net, YesNo),
    ];

    public static IReadOnlyList<PatientQuestion> All { get; } =
    [
        DiseaseState, MibgAvid, AlkAlteration, MycnAmplification, MeasurableDisease,
        .. PriorTherapies.Where(q => q.Disease == Neuroblastoma),
        CnsDisease, PerformanceScale, PerformanceScore,
        PrimarySite, Grade, Ki67, Differentiation, SstrImaging, Progression, FunctionalSyndrome,
        .. PriorTherapies.Where(q => q.Disease == Net),
    ];

    /// <summary>Every profile parameter name, the hide filter included.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(q => q.Name), HideConflicts];

    /// <summary>The criteria checked for a disease, in the form's order (each once).</summary>
    public static IReadOnlyList<string> CriteriaOf(string disease) =>
        All.Where(q => q.Disease == disease).Select(q => q.Criterion).Distinct().ToList();

    public static bool IsProfileName(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>An answer as the profile keeps it: a known choice in lower case, or a number in range; null when it is neither.</summary>
    public static string? Normalize(PatientQuestion question, string value)
    {
        var trimmed = value.Trim().ToLowerInvariant();
        if (!question.IsNumber)
        {
            return question.Choices.Contains(trimmed) ? trimmed : null;
        }

        return decimal.TryParse(trimmed.TrimEnd('%').Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            && number >= question.Minimum && number <= question.Maximum
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    public static bool IsDontKnow(string? value) =>
        string.IsNullOrWhiteSpace(value) || string.Equals(value.Trim(), DontKnow, StringComparison.OrdinalIgnoreCase);

    private static PatientQuestion Choice(string criterion, string disease, params string[] choices) =>
        new(Prefix + criterion, criterion, disease, choices);
}
