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
    private const double MinimumTherapyPrecision = 0.97;
    private const double MinimumTherapyRecall = 0.95;
    private const double MinimumDiseaseAccuracy = 0.97;
    private const double MinimumRefractoryAccuracy = 0.97;

    [Fact]
    public void Every_held_out_trial_is_scored_and_the_report_states_each_threshold_as_met_or_not()
    {
        var score = ClassificationScore.Of(TestData.HeldOutFiles, HeldOutCorpus.Labels(), StudyClassifier.Default);

        var figures = new[]
        {
            Line($"Therapy tags (micro): precision {score.TherapyPrecision:0.000} ({score.TherapyTruePositives}/{score.TherapyPredicted}), recall {score.TherapyRecall:0.000} ({score.TherapyTruePositives}/{score.TherapyLabelled}); needs >= {MinimumTherapyPrecision:0.00} and >= {MinimumTherapyRecall:0.00}"),
            Line($"Disease (exact set per trial): {score.DiseaseSetsRight}/{score.Scored} = {score.DiseaseAccuracy:0.000}; needs >= {MinimumDiseaseAccuracy:0.00}"),
            Line($"Open to relapsed or refractory: {score.RefractoryRight}/{score.Scored} = {score.RefractoryAccuracy:0.000}; needs >= {MinimumRefractoryAccuracy:0.00}"),
        };
        var shortfalls = new[]
        {
            (score.TherapyPrecision >= MinimumTherapyPrecision, Line($"therapy precision {score.TherapyPrecision:0.000} < {MinimumTherapyPrecision:0.00}")),
            (score.TherapyRecall >= MinimumTherapyRecall, Line($"therapy recall {score.TherapyRecall:0.000} < {MinimumTherapyRecall:0.00}")),
            (score.DiseaseAccuracy >= MinimumDiseaseAccuracy, Line($"disease accuracy {score.DiseaseAccuracy:0.000} < {MinimumDiseaseAccuracy:0.00}")),
            (score.RefractoryAccuracy >= MinimumRefractoryAccuracy, Line($"refractory accuracy {score.RefractoryAccuracy:0.000} < {MinimumRefractoryAccuracy:0.00}")),
        }.Where(check => !check.Item1).Select(check => check.Item2).ToList();
        var verdict = shortfalls.Count == 0
            ? "Verdict: every threshold of issue 13 is met on the held-out set."
            : "Verdict: NOT MET on the held-out set: " + string.Join("; ", shortfalls) + " (issue 13 stays open).";
        var report = score.Report(
            Line($"Held-out classification: {score.Scored} real trials the vocabulary was never tuned on (tests/TrialFinder.Core.Tests/Corpus/HeldOut)"),
            figures,
            passes: null) + verdict + Environment.NewLine;
        File.WriteAllText(Path.Combine(TestData.TestResults, "classification-heldout-report.txt"), report);
        output.WriteLine(report);

        Assert.Equal(HeldOutCorpus.Labels().Select(l => l.NctId).Distinct().Count(), score.Scored);
        Assert.Empty(score.Unlabelled);
        Assert.True(score.Scored >= 45, $"The held-out set holds {score.Scored} scored trials; issue 13 asks for at least 40.");
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
