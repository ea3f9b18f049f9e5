using System.Globalization;
using System.Text;
using System.Text.Json;
using TrialFinder.Core.Eligibility;
using Xunit.Abstractions;

namespace TrialFinder.Core.Tests.Eligibility;

/// <summary>
/// Scores the criteria extractor against the hand-labelled eligibility texts in Eligibility/Criteria: the development
/// part (the vocabulary is tuned on it) and the held-out part (never tuned on), each per criterion. A fact counts as
/// right when its criterion and value are labelled for that study and one of its quotes overlaps a labelled quote.
/// </summary>
public class CriteriaExtractionTests(ITestOutputHelper output)
{
    private const double MinimumPrecision = 0.95;
    private const double MinimumRecall = 0.90;

    /// <summary>
    /// Issue 15's held-out thresholds, met since the held-out texts were last measured (never tuned on): a change to the
    /// vocabulary or the extractor that reads them worse fails the build. The report's last line states the verdict.
    /// </summary>
    [Fact]
    public void Every_held_out_text_is_scored_and_read_with_the_required_precision_and_recall()
    {
        var texts = LabelledText.Load("heldout");
        var score = CriteriaScore.Of(texts, CriteriaExtractor.Default);
        var met = score.Precision >= MinimumPrecision && score.Recall >= MinimumRecall;
        var verdict = met
            ? string.Create(CultureInfo.InvariantCulture,
                $"Verdict: met on the held-out texts (precision {score.Precision:0.000} >= {MinimumPrecision:0.00}, recall {score.Recall:0.000} >= {MinimumRecall:0.00}).")
            : string.Create(CultureInfo.InvariantCulture,
                $"Verdict: NOT MET on the held-out texts: precision {score.Precision:0.000} (needs {MinimumPrecision:0.00}), recall {score.Recall:0.000} (needs {MinimumRecall:0.00}); issue 15 stays open.");
        var report = score.Report(string.Create(CultureInfo.InvariantCulture,
            $"Held-out eligibility criteria (never tuned on): pass = precision >= {MinimumPrecision:0.00} and recall >= {MinimumRecall:0.00} overall"))
            + verdict + Environment.NewLine;
        File.WriteAllText(Path.Combine(TestData.TestResults, "criteria-heldout-report.txt"), report);
        output.WriteLine(report);

        Assert.True(texts.Count >= 20, $"only {texts.Count} held-out texts");
        Assert.True(texts.Sum(t => t.Facts.Count) > 0, "no labelled facts in the held-out texts");
        Assert.True(met, verdict);
    }

    [Fact]
    public void The_development_texts_are_read_with_the_required_precision_and_recall()
    {
        var score = CriteriaScore.Of(LabelledText.Load("development"), CriteriaExtractor.Default);
        var report = score.Report("Development eligibility criteria (the vocabulary is tuned on these)");
        File.WriteAllText(Path.Combine(TestData.TestResults, "criteria-development-report.txt"), report);
        output.WriteLine(report);

        Assert.True(score.Precision >= MinimumPrecision && score.Recall >= MinimumRecall,
            string.Create(CultureInfo.InvariantCulture, $"Development precision {score.Precision:0.000}, recall {score.Recall:0.000}"));
    }

    [Fact]
    public void Every_extracted_fact_quotes_a_sentence_of_the_text_it_came_from()
    {
        var texts = LabelledText.Load("development").Concat(LabelledText.Load("heldout")).ToList();
        Assert.True(texts.Count >= 40, $"only {texts.Count} labelled texts");
        var facts = 0;
        foreach (var text in texts)
        {
            foreach (var fact in CriteriaExtractor.Default.Extract(text.Text, [text.Disease]).Facts)
            {
                facts++;
                Assert.False(string.IsNullOrWhiteSpace(fact.Quote), $"{text.NctId} {fact.Criterion}: empty quote");
                Assert.Equal(fact.Quote, text.Text.Substring(fact.Start, fact.Quote.Length));
            }
        }

        Assert.True(facts > 0);
    }

    [Fact]
    public void Every_labelled_quote_occurs_in_its_text_and_names_a_known_criterion()
    {
        var known = CriteriaVocabulary.Default.Criteria.Select(c => c.Id).ToHashSet();
        foreach (var text in LabelledText.Load("development").Concat(LabelledText.Load("heldout")))
        {
            Assert.True(text.Disease is "neuroblastoma" or "net", text.NctId);
            foreach (var fact in text.Facts)
            {
                Assert.Contains(fact.Criterion, known);
                Assert.Contains(fact.Quote, text.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_split_follows_the_recorded_rule_even_numbers_develop_odd_numbers_are_held_out()
    {
        foreach (var split in new[] { "development", "heldout" })
        {
            foreach (var text in LabelledText.Load(split).Where(t => !t.AddedAfterSplit))
            {
                var even = long.Parse(text.NctId[3..], CultureInfo.InvariantCulture) % 2 == 0;
                Assert.True(even == (split == "development"), $"{text.NctId} is in {split}");
            }
        }
    }

    /// <summary>Texts labelled after the parity split are development texts only, and none is a held-out trial.</summary>
    [Fact]
    public void Texts_added_after_the_split_are_development_texts_of_trials_that_are_not_held_out()
    {
        var heldOut = LabelledText.Load("heldout");
        var added = LabelledText.Load("development").Where(t => t.AddedAfterSplit).ToList();

        Assert.DoesNotContain(heldOut, t => t.AddedAfterSplit);
        Assert.True(added.Count >= 30, $"only {added.Count} texts added after the split");
        Assert.Empty(added.Select(t => t.NctId).Intersect(heldOut.Select(t => t.NctId)));
        Assert.All(added, t => Assert.Matches("^NCT[0-9]{8}$", t.NctId));
    }
}

public sealed record LabelledFact(string Criterion, string Value, string Quote);

public sealed record LabelledText(string NctId, string Disease, bool Excerpt, string Text, IReadOnlyList<LabelledFact> Facts)
{
    /// <summary>Labelled after the parity split was made: a development text whatever its number (see LABELLING.md).</summary>
    public bool AddedAfterSplit { get; init; }

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static IReadOnlyList<LabelledText> Load(string split)
    {
        var folder = Path.Combine(TestData.RepositoryRoot, "tests", "TrialFinder.Core.Tests", "Eligibility", "Criteria", split);
        var files = Directory.GetFiles(folder, "NCT*.json").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        return files.Select(f => JsonSerializer.Deserialize<LabelledText>(File.ReadAllText(f), Options)
            ?? throw new InvalidDataException($"{f} is empty")).ToList();
    }
}

public sealed class CriteriaScore
{
    private readonly Dictionary<string, Outcome> _outcomes = new(StringComparer.Ordinal);
    private readonly List<string> _disagreements = [];
    private int _texts;
    private int _excerpts;
    private readonly Dictionary<string, int> _byDisease = new(StringComparer.Ordinal);

    public int TruePositives => _outcomes.Values.Sum(o => o.Right);

    public int Predicted => _outcomes.Values.Sum(o => o.Predicted);

    public int Labelled => _outcomes.Values.Sum(o => o.Labelled);

    public double Precision => Predicted == 0 ? 0 : (double)TruePositives / Predicted;

    public double Recall => Labelled == 0 ? 0 : (double)TruePositives / Labelled;

    public static CriteriaScore Of(IEnumerable<LabelledText> texts, CriteriaExtractor extractor)
    {
        var score = new CriteriaScore();
        foreach (var text in texts)
        {
            score.Add(text, extractor.Extract(text.Text, [text.Disease]));
        }

        return score;
    }

    private void Add(LabelledText text, CriteriaReading reading)
    {
        _texts++;
        _excerpts += text.Excerpt ? 1 : 0;
        _byDisease[text.Disease] = _byDisease.GetValueOrDefault(text.Disease) + 1;
        var expected = text.Facts.GroupBy(f => (f.Criterion, f.Value))
            .ToDictionary(g => g.Key, g => g.Select(f => (Start: text.Text.IndexOf(f.Quote, StringComparison.Ordinal), f.Quote.Length)).ToList());
        var predicted = reading.Facts.GroupBy(f => (f.Criterion, f.Value)).ToDictionary(g => g.Key, g => g.ToList());

        foreach (var key in expected.Keys.Union(predicted.Keys))
        {
            var outcome = _outcomes.TryGetValue(key.Criterion, out var o) ? o : _outcomes[key.Criterion] = new Outcome(key.Criterion);
            var isExpected = expected.TryGetValue(key, out var quotes);
            var isPredicted = predicted.TryGetValue(key, out var facts);
            var overlaps = isExpected && isPredicted
                && facts!.Any(f => quotes!.Any(q => f.Start < q.Start + q.Length && q.Start < f.Start + f.Quote.Length));
            outcome.Labelled += isExpected ? 1 : 0;
            outcome.Predicted += isPredicted ? 1 : 0;
            if (overlaps)
            {
                outcome.Right++;
            }
            else if (isPredicted)
            {
                _disagreements.Add($"{text.NctId}  extra {key.Criterion}={key.Value}{(isExpected ? " (labelled, but from another sentence)" : "")}: \"{Short(facts![0].Quote)}\"");
            }

            if (isExpected && !overlaps)
            {
                _disagreements.Add($"{text.NctId}  missed {key.Criterion}={key.Value}: \"{Short(text.Text.Substring(quotes![0].Start, quotes[0].Length))}\"");
            }
        }
    }

    private static string Short(string quote) => quote.Length <= 140 ? quote : quote[..137] + "...";

    public string Report(string heading)
    {
        var report = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        report.AppendLine(heading);
        report.AppendLine(inv, $"{_texts} texts ({string.Join(", ", _byDisease.OrderBy(d => d.Key).Select(d => $"{d.Value} {d.Key}"))}; {_excerpts} excerpts)");
        report.AppendLine();
        report.AppendLine(inv, $"{"criterion",-30} {"labelled",8} {"found",6} {"right",6} {"precision",9} {"recall",7}");
        foreach (var o in _outcomes.Values.OrderBy(o => o.Criterion, StringComparer.Ordinal))
        {
            report.AppendLine(inv, $"{o.Criterion,-30} {o.Labelled,8} {o.Predicted,6} {o.Right,6} {Ratio(o.Right, o.Predicted),9} {Ratio(o.Right, o.Labelled),7}");
        }

        report.AppendLine(inv, $"{"overall",-30} {Labelled,8} {Predicted,6} {TruePositives,6} {Ratio(TruePositives, Predicted),9} {Ratio(TruePositives, Labelled),7}");
        report.AppendLine();
        report.AppendLine(inv, $"Disagreements ({_disagreements.Count}):");
        foreach (var line in _disagreements)
        {
            report.AppendLine("  " + line);
        }

        return report.ToString();
    }

    private static string Ratio(int part, int whole) => whole == 0 ? "-" : ((double)part / whole).ToString("0.000", CultureInfo.InvariantCulture);

    private sealed class Outcome(string criterion)
    {
        public string Criterion { get; } = criterion;
        public int Labelled { get; set; }
        public int Predicted { get; set; }
        public int Right { get; set; }
    }
}
