using System.Globalization;
using System.Text;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Studies;
using TrialFinder.Core.Tests.Corpus;
using TrialFinder.Sync.Mapping;
using Xunit.Abstractions;

namespace TrialFinder.Core.Tests.Classification;

/// <summary>
/// Runs the classifier over every shipped corpus record and compares it with the labels people wrote by
/// reading the records: a family filtering by "anti-GD2" must find the anti-GD2 trials and only those.
/// </summary>
public class CorpusClassificationTests(ITestOutputHelper output)
{
    private const double MinimumPrecision = 0.95;
    private const double MinimumRecall = 0.90;

    [Fact]
    public void The_classifier_agrees_with_the_corpus_labels()
    {
        var labels = SnapshotCorpus.Labels().GroupBy(l => l.NctId).ToDictionary(g => g.Key, g => g.First());
        var outcomes = new Dictionary<string, TagOutcome>(StringComparer.Ordinal);
        var disagreements = new List<string>();
        var unlabelled = new List<string>();
        int studies = 0, diseasesRight = 0, refractoryRight = 0;

        foreach (var file in TestData.CorpusFiles)
        {
            Study study;
            using (var document = TestData.ReadJson(file))
            {
                study = RegistryStudyMapper.Map(document.RootElement);
            }

            if (!labels.TryGetValue(study.NctId, out var label))
            {
                unlabelled.Add(study.NctId);
                continue;
            }

            var result = StudyClassifier.Default.Classify(study);
            var expected = LabelTags(label);
            var predicted = PredictedTags(result);
            studies++;
            diseasesRight += label.Diseases.ToHashSet().SetEquals(result.Diseases) ? 1 : 0;
            refractoryRight += label.Refractory == result.TakesRefractory ? 1 : 0;
            foreach (var tag in expected.Union(predicted))
            {
                var outcome = outcomes.TryGetValue(tag, out var o) ? o : outcomes[tag] = new TagOutcome(tag);
                if (expected.Contains(tag) && predicted.Contains(tag))
                {
                    outcome.TruePositives++;
                }
                else if (predicted.Contains(tag))
                {
                    outcome.FalsePositives.Add(study.NctId);
                    disagreements.Add($"{study.NctId}  extra {tag}: {Because(result, tag)}");
                }
                else
                {
                    outcome.FalseNegatives.Add(study.NctId);
                    disagreements.Add($"{study.NctId}  missed {tag} (label: {label.Why})");
                }
            }
        }

        var therapies = outcomes.Values.Where(o => o.Tag.StartsWith(TagKinds.Therapy + ":", StringComparison.Ordinal)).ToList();
        var therapyCorrect = therapies.Sum(o => o.TruePositives);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Overall: therapy precision {(double)therapyCorrect / Math.Max(1, therapies.Sum(o => o.Predicted)):0.000}, recall {(double)therapyCorrect / Math.Max(1, therapies.Sum(o => o.Labelled)):0.000}; "
            + $"disease accuracy {(double)diseasesRight / Math.Max(1, studies):0.000}; refractory accuracy {(double)refractoryRight / Math.Max(1, studies):0.000} ({studies} records)");
        var report = Report(outcomes.Values, disagreements, unlabelled, labels.Count) + Environment.NewLine + summary + Environment.NewLine;
        File.WriteAllText(Path.Combine(TestData.TestResults, "classification-report.txt"), report);
        output.WriteLine(report);

        Assert.True(outcomes.Count > 0, "No labelled corpus record was classified.");
        var failing = outcomes.Values.Where(o => !o.Passes).OrderBy(o => o.Tag, StringComparer.Ordinal).ToList();
        Assert.True(failing.Count == 0,
            $"Tags below precision {MinimumPrecision} or recall {MinimumRecall}: "
            + string.Join(", ", failing.Select(o => $"{o.Tag} (P {o.Precision:0.00}, R {o.Recall:0.00})"))
            + "\n\n" + report);
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

    private static string Report(IEnumerable<TagOutcome> outcomes, List<string> disagreements, List<string> unlabelled, int labelCount)
    {
        var rows = outcomes.OrderBy(o => o.Tag, StringComparer.Ordinal).ToList();
        var width = Math.Max(10, rows.Max(r => r.Tag.Length));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Classification of the corpus against its labels ({labelCount} labelled records; pass = precision >= {MinimumPrecision:0.00} and recall >= {MinimumRecall:0.00})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"tag".PadRight(width)}  labelled  predicted  correct  precision  recall  result");
        text.AppendLine(new string('-', width + 52));
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Tag.PadRight(width)}  {row.Labelled,8}  {row.Predicted,9}  {row.TruePositives,7}  {row.Precision,9:0.00}  {row.Recall,6:0.00}  {(row.Passes ? "ok" : "FAIL")}");
        }

        text.AppendLine();
        text.AppendLine(disagreements.Count == 0 ? "No disagreements." : $"Disagreements ({disagreements.Count}):");
        foreach (var line in disagreements.Order(StringComparer.Ordinal))
        {
            text.AppendLine("  " + line);
        }

        if (unlabelled.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Records without labels (not scored): " + string.Join(", ", unlabelled));
        }

        return text.ToString();
    }

    private sealed class TagOutcome(string tag)
    {
        public string Tag { get; } = tag;
        public int TruePositives { get; set; }
        public List<string> FalsePositives { get; } = [];
        public List<string> FalseNegatives { get; } = [];
        public int Labelled => TruePositives + FalseNegatives.Count;
        public int Predicted => TruePositives + FalsePositives.Count;
        public double Precision => Predicted == 0 ? 1 : (double)TruePositives / Predicted;
        public double Recall => Labelled == 0 ? 1 : (double)TruePositives / Labelled;
        public bool Passes => Precision >= MinimumPrecision && Recall >= MinimumRecall;
    }
}
