using System.Globalization;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Tests.Corpus;
using Xunit.Abstractions;

namespace TrialFinder.Core.Tests.Classification;

/// <summary>
/// The classifier on real trials it was never tuned on (Corpus/HeldOut): what a family filtering by therapy
/// or by "open to relapsed or refractory" would meet on trials the vocabulary's authors never read.
/// </summary>
public class HeldOutClassificationTests(ITestOutputHelper output)
{
    private const double MinimumTherapyPrecision = 0.97;
    private const double MinimumTherapyRecall = 0.95;
    private const double MinimumDiseaseAccuracy = 0.97;
    private const double MinimumRefractoryAccuracy = 0.97;

    [Fact]
    public void The_classifier_meets_the_thresholds_on_the_held_out_trials()
    {
        var score = ClassificationScore.Of(TestData.HeldOutFiles, HeldOutCorpus.Labels(), StudyClassifier.Default);

        var figures = new[]
        {
            Line($"Therapy tags (micro): precision {score.TherapyPrecision:0.000} ({score.TherapyTruePositives}/{score.TherapyPredicted}), recall {score.TherapyRecall:0.000} ({score.TherapyTruePositives}/{score.TherapyLabelled}); needs >= {MinimumTherapyPrecision:0.00} and >= {MinimumTherapyRecall:0.00}"),
            Line($"Disease (exact set per trial): {score.DiseaseSetsRight}/{score.Scored} = {score.DiseaseAccuracy:0.000}; needs >= {MinimumDiseaseAccuracy:0.00}"),
            Line($"Open to relapsed or refractory: {score.RefractoryRight}/{score.Scored} = {score.RefractoryAccuracy:0.000}; needs >= {MinimumRefractoryAccuracy:0.00}"),
        };
        var report = score.Report(
            Line($"Held-out classification: {score.Scored} real trials the vocabulary was never tuned on (tests/TrialFinder.Core.Tests/Corpus/HeldOut)"),
            figures,
            passes: null);
        File.WriteAllText(Path.Combine(TestData.TestResults, "classification-heldout-report.txt"), report);
        output.WriteLine(report);

        Assert.True(score.Scored > 0 && score.Unlabelled.Count == 0, "Every held-out record must be labelled and scored.");
        var shortfalls = new[]
        {
            (score.TherapyPrecision >= MinimumTherapyPrecision, "therapy precision"),
            (score.TherapyRecall >= MinimumTherapyRecall, "therapy recall"),
            (score.DiseaseAccuracy >= MinimumDiseaseAccuracy, "disease accuracy"),
            (score.RefractoryAccuracy >= MinimumRefractoryAccuracy, "refractory accuracy"),
        }.Where(check => !check.Item1).Select(check => check.Item2).ToList();
        Assert.True(shortfalls.Count == 0, "Below threshold on the held-out set: " + string.Join(", ", shortfalls) + "\n\n" + report);
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
