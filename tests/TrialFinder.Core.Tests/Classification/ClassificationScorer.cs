using System.Globalization;
using System.Text;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Studies;
using TrialFinder.Core.Tests.Corpus;
using TrialFinder.Sync.Mapping;

namespace TrialFinder.Core.Tests.Classification;

/// <summary>
/// Classifies a folder of labelled records and compares each with the label a person wrote by reading it:
/// per-tag counts, micro precision/recall over therapy tags, exact disease sets, the refractory flag, and
/// every disagreement with the classifier's evidence and the label's reason.
/// </summary>
public sealed class ClassificationScore
{
    private readonly Dictionary<string, TagOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly List<string> _disagreements = [];
    private readonly List<string> _unlabelled = [];

    private ClassificationScore()
    {
    }

    public IReadOnlyCollection<TagOutcome> Outcomes => _outcomes.Values;

    public IReadOnlyList<string> Disagreements => _disagreements;

    public IReadOnlyList<string> Unlabelled => _unlabelled;

    public int Scored { get; private set; }

    public int DiseaseSetsRight { get; private set; }

    public int RefractoryRight { get; private set; }

    public double DiseaseAccuracy => Scored == 0 ? 0 : (double)DiseaseSetsRight / Scored;

    public double RefractoryAccuracy => Scored == 0 ? 0 : (double)RefractoryRight / Scored;

    public int TherapyTruePositives => TherapyOutcomes.Sum(o => o.TruePositives);

    public int TherapyPredicted => TherapyOutcomes.Sum(o => o.Predicted);

    public int TherapyLabelled => TherapyOutcomes.Sum(o => o.Labelled);

    /// <summary>Micro precision over therapy tags; 1 when nothing was predicted.</summary>
    public double TherapyPrecision => TherapyPredicted == 0 ? 1 : (double)TherapyTruePositives / TherapyPredicted;

    /// <summary>Micro recall over therapy tags; 1 when nothing was labelled.</summary>
    public double TherapyRecall => TherapyLabelled == 0 ? 1 : (double)TherapyTruePositives / TherapyLabelled;

    private IEnumerable<TagOutcome> TherapyOutcomes => _outcomes.Values.Where(o => o.Tag.StartsWith(TagKinds.Therapy + ":", StringComparison.Ordinal));

    public static ClassificationScore Of(IEnumerable<string> recordFiles, IEnumerable<CorpusLabel> labels, StudyClassifier classifier)
    {
        var byId = labels.GroupBy(l => l.NctId).ToDictionary(g => g.Key, g => g.First());
        var score = new ClassificationScore();
        foreach (var file in recordFiles)
        {
            Study study;
            using (var document = TestData.ReadJson(file))
            {
                study = RegistryStudyMapper.Map(document.RootElement);
            }

            if (!byId.TryGetValue(study.NctId, out var label))
            {
                score._unlabelled.Add(study.NctId);
                continue;
            }

            score.Add(study.NctId, label, classifier.Classify(study));
        }

        return score;
    }

    private void Add(string nctId, CorpusLabel label, StudyClassification result)
    {
        Scored++;
        if (label.Diseases.ToHashSet(StringComparer.Ordinal).SetEquals(result.Diseases))
        {
            DiseaseSetsRight++;
        }

        if (label.Refractory == result.TakesRefractory)
        {
            RefractoryRight++;
        }

        var expected = LabelTags(label);
        var predicted = PredictedTags(result);
        foreach (var tag in expected.Union(predicted))
        {
            var outcome = _outcomes.TryGetValue(tag, out var o) ? o : _outcomes[tag] = new TagOutcome(tag);
            if (expected.Contains(tag) && predicted.Contains(tag))
            {
                outcome.TruePositives++;
            }
            else if (predicted.Contains(tag))
            {
                outcome.FalsePositives.Add(nctId);
                _disagreements.Add($"{nctId}  extra {tag}: {Because(result, tag)} (label: {label.Why})");
            }
            else
            {
                outcome.FalseNegatives.Add(nctId);
                _disagreements.Add($"{nctId}  missed {tag} (label: {label.Why})");
            }
        }
    }

    /// <summary>The per-tag table and every disagreement; <paramref name="passes"/>, when given, marks each row ok or FAIL.</summary>
    public string Report(string heading, IEnumerable<string> summaryLines, Func<TagOutcome, bool>? passes)
    {
        var rows = _outcomes.Values.OrderBy(o => o.Tag, StringComparer.Ordinal).ToList();
        var width = Math.Max(10, rows.Count == 0 ? 0 : rows.Max(r => r.Tag.Length));
        var text = new StringBuilder();
        text.AppendLine(heading);
        foreach (var line in summaryLines)
        {
            text.AppendLine(line);
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"tag".PadRight(width)}  labelled  predicted  correct  precision  recall{(passes is null ? "" : "  result")}");
        text.AppendLine(new string('-', width + 52));
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Tag.PadRight(width)}  {row.Labelled,8}  {row.Predicted,9}  {row.TruePositives,7}  {row.Precision,9:0.00}  {row.Recall,6:0.00}{(passes is null ? "" : passes(row) ? "  ok" : "  FAIL")}");
        }

        text.AppendLine();
        text.AppendLine(_disagreements.Count == 0 ? "No disagreements." : $"Disagreements ({_disagreements.Count}):");
        foreach (var line in _disagreements.Order(StringComparer.Ordinal))
        {
            text.AppendLine("  " + line);
        }

        if (_unlabelled.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Records without labels (not scored): " + string.Join(", ", _unlabelled));
        }

        return text.ToString();
    }

    private static HashSet<string> LabelTags(CorpusLabel label) =>
    [
        .. label.Diseases.Select(s => $"{TagKinds.Disease}:{s}"),
        .. (label.NetSubtypes ?? []).Select(s => $"{TagKinds.NetSubtype}:{s}"),
        .. label.Refractory ? [$"{TagKinds.Refractory}"] : Array.Empty<string>(),
        .. label.Therapies.Select(s => $"{TagKinds.Therapy}:{s}"),
    ];

    private static HashSet<string> PredictedTags(StudyClassification result) =>
    [
        .. result.Diseases.Select(s => $"{TagKinds.Disease}:{s}"),
        .. result.NetSubtypes.Select(s => $"{TagKinds.NetSubtype}:{s}"),
        .. result.TakesRefractory ? [$"{TagKinds.Refractory}"] : Array.Empty<string>(),
        .. result.TherapyTypes.Select(s => $"{TagKinds.Therapy}:{s}"),
    ];

    private static string Because(StudyClassification result, string tag)
    {
        var evidence = result.Evidence.FirstOrDefault(e => (e.Kind == TagKinds.Refractory ? e.Kind : $"{e.Kind}:{e.Slug}") == tag);
        return evidence is null ? "(no evidence)" : $"{evidence.Source} '{Shorten(evidence.MatchedText)}' matched term '{evidence.Term}'";
    }

    private static string Shorten(string text) => text.Length <= 110 ? text : text[..107] + "...";
}

public sealed class TagOutcome(string tag)
{
    public string Tag { get; } = tag;

    public int TruePositives { get; set; }

    public List<string> FalsePositives { get; } = [];

    public List<string> FalseNegatives { get; } = [];

    public int Labelled => TruePositives + FalseNegatives.Count;

    public int Predicted => TruePositives + FalsePositives.Count;

    public double Precision => Predicted == 0 ? 1 : (double)TruePositives / Predicted;

    public double Recall => Labelled == 0 ? 1 : (double)TruePositives / Labelled;
}

/// <summary>
/// Issue 13's thresholds and the report every labelled set prints (development and the spent held-out sets: tuned on;
/// a blind held-out set: never tuned on), so that all are scored, worded and judged the same way.
/// </summary>
public static class Issue13Thresholds
{
    public const double MinimumTherapyPrecision = 0.97;
    public const double MinimumTherapyRecall = 0.95;
    public const double MinimumDiseaseAccuracy = 0.97;
    public const double MinimumRefractoryAccuracy = 0.97;

    public static IReadOnlyList<string> Shortfalls(ClassificationScore score) => new[]
    {
        (score.TherapyPrecision >= MinimumTherapyPrecision, Line($"therapy precision {score.TherapyPrecision:0.000} < {MinimumTherapyPrecision:0.00}")),
        (score.TherapyRecall >= MinimumTherapyRecall, Line($"therapy recall {score.TherapyRecall:0.000} < {MinimumTherapyRecall:0.00}")),
        (score.DiseaseAccuracy >= MinimumDiseaseAccuracy, Line($"disease accuracy {score.DiseaseAccuracy:0.000} < {MinimumDiseaseAccuracy:0.00}")),
        (score.RefractoryAccuracy >= MinimumRefractoryAccuracy, Line($"refractory accuracy {score.RefractoryAccuracy:0.000} < {MinimumRefractoryAccuracy:0.00}")),
    }.Where(check => !check.Item1).Select(check => check.Item2).ToList();

    /// <summary>The heading, the three aggregate figures, the per-tag table and disagreements, and a verdict line naming <paramref name="setName"/>.</summary>
    public static string Report(ClassificationScore score, string heading, string setName)
    {
        var figures = new[]
        {
            Line($"Therapy tags (micro): precision {score.TherapyPrecision:0.000} ({score.TherapyTruePositives}/{score.TherapyPredicted}), recall {score.TherapyRecall:0.000} ({score.TherapyTruePositives}/{score.TherapyLabelled}); needs >= {MinimumTherapyPrecision:0.00} and >= {MinimumTherapyRecall:0.00}"),
            Line($"Disease (exact set per trial): {score.DiseaseSetsRight}/{score.Scored} = {score.DiseaseAccuracy:0.000}; needs >= {MinimumDiseaseAccuracy:0.00}"),
            Line($"Open to relapsed or refractory: {score.RefractoryRight}/{score.Scored} = {score.RefractoryAccuracy:0.000}; needs >= {MinimumRefractoryAccuracy:0.00}"),
        };
        var shortfalls = Shortfalls(score);
        var verdict = shortfalls.Count == 0
            ? $"Verdict: every threshold of issue 13 is met on the {setName}."
            : $"Verdict: NOT MET on the {setName}: " + string.Join("; ", shortfalls) + " (issue 13 stays open).";
        return score.Report(heading, figures, passes: null) + verdict + Environment.NewLine;
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
