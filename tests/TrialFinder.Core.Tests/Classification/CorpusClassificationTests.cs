using System.Globalization;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Tests.Corpus;
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
        var labels = SnapshotCorpus.Labels();
        var score = ClassificationScore.Of(TestData.CorpusFiles, labels, StudyClassifier.Default);

        var report = score.Report(
            string.Create(CultureInfo.InvariantCulture, $"Classification of the corpus against its labels ({labels.Select(l => l.NctId).Distinct().Count()} labelled records; pass = precision >= {MinimumPrecision:0.00} and recall >= {MinimumRecall:0.00})"),
            [],
            Passes);
        File.WriteAllText(Path.Combine(TestData.TestResults, "classification-report.txt"), report);
        output.WriteLine(report);

        Assert.True(score.Outcomes.Count > 0, "No labelled corpus record was classified.");
        var failing = score.Outcomes.Where(o => !Passes(o)).OrderBy(o => o.Tag, StringComparer.Ordinal).ToList();
        Assert.True(failing.Count == 0,
            $"Tags below precision {MinimumPrecision} or recall {MinimumRecall}: "
            + string.Join(", ", failing.Select(o => $"{o.Tag} (P {o.Precision:0.00}, R {o.Recall:0.00})"))
            + "\n\n" + report);
    }

    private static bool Passes(TagOutcome outcome) => outcome.Precision >= MinimumPrecision && outcome.Recall >= MinimumRecall;
}
