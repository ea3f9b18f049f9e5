using System.Globalization;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Tests.Corpus;
using Xunit.Abstractions;

namespace TrialFinder.Core.Tests.Classification;

/// <summary>
/// The classifier on real trials it was never tuned on (Corpus/HeldOut): what a family filtering by therapy
/// or by "open to relapsed or refractory" would meet on trials the vocabulary's authors never read.
/// The thresholds are those of issue 13. While the classifier is below them the report says so in its last
/// line, which infra/test.sh prints, instead of failing the build: tuning the vocabulary until this test passed
/// would spend the held-out set, so the gap is shown, not hidden, until a classifier tuned elsewhere closes it.
/// </summary>
public class HeldOutClassificationTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_held_out_trial_is_scored_and_the_report_states_each_threshold_as_met_or_not()
    {
        var score = ClassificationScore.Of(TestData.HeldOutFiles, HeldOutCorpus.Labels(), StudyClassifier.Default);

        var report = Issue13Thresholds.Report(
            score,
            string.Create(CultureInfo.InvariantCulture, $"Held-out classification: {score.Scored} real trials the vocabulary was never tuned on (tests/TrialFinder.Core.Tests/Corpus/HeldOut)"),
            "held-out set");
        File.WriteAllText(Path.Combine(TestData.TestResults, "classification-heldout-report.txt"), report);
        output.WriteLine(report);

        Assert.Equal(HeldOutCorpus.Labels().Select(l => l.NctId).Distinct().Count(), score.Scored);
        Assert.Empty(score.Unlabelled);
        Assert.True(score.Scored >= 45, $"The held-out set holds {score.Scored} scored trials; issue 13 asks for at least 40.");
    }
}
