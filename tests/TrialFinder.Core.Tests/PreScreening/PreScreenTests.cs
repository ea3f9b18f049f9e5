using TrialFinder.Core.Eligibility;
using TrialFinder.Core.PreScreening;

namespace TrialFinder.Core.Tests.PreScreening;

public sealed class PreScreenTests
{
    private static readonly string[] Neuroblastoma = ["neuroblastoma"];
    private static readonly string[] Net = ["net"];

    private static CriterionFact Inclusion(string criterion, string value, string quote) => new(criterion, value, quote, CriteriaSection.Inclusion, 0);

    private static CriterionFact Exclusion(string criterion, string value, string quote) => new(criterion, value, quote, CriteriaSection.Exclusion, 0);

    private static PatientProfile Profile(params (string Name, string Value)[] answers)
    {
        var (profile, invalid) = PatientProfile.Parse(name => answers.Where(a => a.Name == name).Select(a => a.Value).FirstOrDefault());
        Assert.Empty(invalid);
        return profile;
    }

    private static CriterionCheck CheckOf(PreScreenResult result, string criterion) => result.Checks.Single(c => c.Criterion == criterion);

    [Fact]
    public void A_trial_requiring_MIBG_avid_disease_may_not_fit_a_child_whose_disease_is_not_MIBG_avid_and_quotes_the_sentence()
    {
        var quote = "Patients must have MIBG avid disease.";
        var facts = new[] { Inclusion("mibg-avid", "required", quote) };

        var result = PreScreen.Check(Profile(("pt-mibg-avid", "no")), facts, Neuroblastoma);

        Assert.Equal(PreScreenVerdict.MayNotFit, result.Verdict);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal("mibg-avid", conflict.Criterion);
        Assert.Equal(quote, Assert.Single(conflict.Reasons).Quote);
        Assert.Equal(PreScreenVerdict.Fits, PreScreen.Check(Profile(("pt-mibg-avid", "yes")), facts, Neuroblastoma).Verdict);
    }

    [Theory]
    [InlineData("excluded", "yes", PreScreenVerdict.MayNotFit)]
    [InlineData("excluded", "no", PreScreenVerdict.Fits)]
    [InlineData("required", "no", PreScreenVerdict.MayNotFit)]
    [InlineData("required", "yes", PreScreenVerdict.Fits)]
    [InlineData("allowed", "yes", PreScreenVerdict.Fits)]
    [InlineData("allowed", "no", PreScreenVerdict.Fits)]
    public void Prior_anti_GD2_is_judged_by_what_the_trial_states(string stated, string hadIt, PreScreenVerdict expected)
    {
        var facts = new[] { Exclusion("prior-anti-gd2", stated, "Prior treatment with dinutuximab.") };

        Assert.Equal(expected, PreScreen.Check(Profile(("pt-prior-anti-gd2", hadIt)), facts, Neuroblastoma).Verdict);
    }

    [Theory]
    [InlineData("<=20", "15", PreScreenVerdict.Fits)]
    [InlineData("<=20", "20", PreScreenVerdict.Fits)]
    [InlineData("<=20", "25", PreScreenVerdict.MayNotFit)]
    [InlineData("<20", "20", PreScreenVerdict.MayNotFit)]
    [InlineData("10-55", "30", PreScreenVerdict.Fits)]
    [InlineData("10-55", "60", PreScreenVerdict.MayNotFit)]
    [InlineData("10-55", "5", PreScreenVerdict.MayNotFit)]
    [InlineData(">55", "70", PreScreenVerdict.Fits)]
    public void A_Ki67_range_excludes_only_values_outside_it(string range, string ki67, PreScreenVerdict expected)
    {
        var facts = new[] { Inclusion("ki67", range, "Ki-67 index within the range.") };

        Assert.Equal(expected, PreScreen.Check(Profile(("pt-ki67", ki67)), facts, Net).Verdict);
    }

    [Fact]
    public void Any_of_several_stated_alternatives_fits_relapsed_or_refractory_and_cohorts()
    {
        var facts = new[]
        {
            Inclusion("disease-state", "relapsed", "Relapsed or refractory neuroblastoma."),
            Inclusion("disease-state", "refractory", "Relapsed or refractory neuroblastoma."),
        };

        Assert.Equal(PreScreenVerdict.Fits, PreScreen.Check(Profile(("pt-disease-state", "refractory")), facts, Neuroblastoma).Verdict);
        var newlyDiagnosed = PreScreen.Check(Profile(("pt-disease-state", "newly-diagnosed")), facts, Neuroblastoma);
        Assert.Equal(PreScreenVerdict.MayNotFit, newlyDiagnosed.Verdict);
        Assert.Equal(2, Assert.Single(newlyDiagnosed.Conflicts).Reasons.Count);
    }

    [Fact]
    public void An_unanswered_fact_is_never_a_reason_and_a_trial_stating_nothing_answered_is_not_stated()
    {
        var facts = new[]
        {
            Inclusion("mibg-avid", "required", "Patients must have MIBG avid disease."),
            Exclusion("prior-anti-gd2", "excluded", "Prior anti-GD2 antibody therapy."),
        };

        var nothingAnswered = PreScreen.Check(PatientProfile.Empty, facts, Neuroblastoma);
        Assert.Null(nothingAnswered.Verdict);
        Assert.All(nothingAnswered.Checks, c => Assert.Equal(CriterionOutcome.NotAnswered, c.Outcome));

        var onlyAlk = PreScreen.Check(Profile(("pt-alk-alteration", "no"), ("pt-mibg-avid", "unknown")), facts, Neuroblastoma);
        Assert.Equal(PreScreenVerdict.NotStated, onlyAlk.Verdict);
        Assert.Equal(CriterionOutcome.NotStated, CheckOf(onlyAlk, "alk-alteration").Outcome);
        Assert.Equal(CriterionOutcome.NotAnswered, CheckOf(onlyAlk, "mibg-avid").Outcome);
        Assert.Empty(onlyAlk.Conflicts);
    }

    [Fact]
    public void The_checklist_lists_every_criterion_of_the_trials_disease_with_what_it_states()
    {
        var facts = new[] { Inclusion("mibg-avid", "required", "Patients must have MIBG avid disease.") };

        var result = PreScreen.Check(PatientProfile.Empty, facts, Neuroblastoma);

        Assert.Equal(PatientQuestions.CriteriaOf("neuroblastoma"), result.Checks.Select(c => c.Criterion));
        Assert.Equal("Patients must have MIBG avid disease.", Assert.Single(CheckOf(result, "mibg-avid").TrialFacts).Quote);
    }

    [Fact]
    public void A_conflicting_fact_without_a_quote_never_makes_a_trial_may_not_fit()
    {
        var facts = new[] { Inclusion("mibg-avid", "required", " ") };

        var result = PreScreen.Check(Profile(("pt-mibg-avid", "no")), facts, Neuroblastoma);

        Assert.Equal(PreScreenVerdict.NotStated, result.Verdict);
        Assert.Empty(result.Conflicts);
    }

    [Theory]
    [InlineData("lansky>=50", "lansky", "40", PreScreenVerdict.MayNotFit)]
    [InlineData("lansky>=50", "lansky", "50", PreScreenVerdict.Fits)]
    [InlineData("lansky>=50", "karnofsky", "40", PreScreenVerdict.NotStated)]
    [InlineData("ecog<=2", "ecog", "3", PreScreenVerdict.MayNotFit)]
    public void A_performance_score_is_judged_on_the_scale_the_family_gave(string stated, string scale, string score, PreScreenVerdict expected)
    {
        var facts = new[] { Inclusion("performance-score", stated, "Performance status as stated.") };

        var result = PreScreen.Check(Profile(("pt-performance-scale", scale), ("pt-performance-score", score)), facts, Neuroblastoma);

        Assert.Equal(expected, result.Verdict);
    }

    [Fact]
    public void A_score_without_its_scale_is_not_judged()
    {
        var facts = new[] { Inclusion("performance-score", "lansky>=50", "Lansky at least 50.") };

        var result = PreScreen.Check(Profile(("pt-performance-score", "10")), facts, Neuroblastoma);

        Assert.Null(result.Verdict);
    }

    [Theory]
    [InlineData("pancreas", "pancreas", PreScreenVerdict.Fits)]
    [InlineData("gastroenteropancreatic", "pancreas", PreScreenVerdict.Fits)]
    [InlineData("pancreas", "small-intestine", PreScreenVerdict.MayNotFit)]
    [InlineData("midgut", "small-intestine", PreScreenVerdict.Fits)]
    [InlineData("extrapancreatic", "pancreas", PreScreenVerdict.MayNotFit)]
    [InlineData("lung", "unknown-primary", PreScreenVerdict.MayNotFit)]
    public void A_primary_site_fits_when_a_stated_site_takes_it(string stated, string site, PreScreenVerdict expected)
    {
        var facts = new[] { Inclusion("primary-site", stated, "Histologically confirmed NET of the stated site.") };

        Assert.Equal(expected, PreScreen.Check(Profile(("pt-primary-site", site)), facts, Net).Verdict);
    }

    [Theory]
    [InlineData("g3", PreScreenVerdict.MayNotFit)]
    [InlineData("g2", PreScreenVerdict.Fits)]
    public void Grade_3_excluded_conflicts_only_with_grade_3(string grade, PreScreenVerdict expected)
    {
        var facts = new[] { Exclusion("grade", "G3 excluded", "Grade 3 tumours.") };

        Assert.Equal(expected, PreScreen.Check(Profile(("pt-grade", grade)), facts, Net).Verdict);
    }

    [Theory]
    [InlineData("poorly excluded", "poorly", PreScreenVerdict.MayNotFit)]
    [InlineData("well", "poorly", PreScreenVerdict.MayNotFit)]
    [InlineData("well", "well", PreScreenVerdict.Fits)]
    public void Differentiation_well_required_or_poorly_excluded(string stated, string given, PreScreenVerdict expected)
    {
        var facts = new[] { Inclusion("differentiation", stated, "Differentiation as stated.") };

        Assert.Equal(expected, PreScreen.Check(Profile(("pt-differentiation", given)), facts, Net).Verdict);
    }

    [Theory]
    [InlineData("excluded", "yes", PreScreenVerdict.MayNotFit)]
    [InlineData("excluded", "no", PreScreenVerdict.Fits)]
    [InlineData("required", "no", PreScreenVerdict.MayNotFit)]
    [InlineData("required", "yes", PreScreenVerdict.Fits)]
    public void MYCN_amplification_required_or_excluded_non_amplified_only(string stated, string amplified, PreScreenVerdict expected)
    {
        var facts = new[] { Inclusion("mycn-amplification", stated, "MYCN as stated.") };

        Assert.Equal(expected, PreScreen.Check(Profile(("pt-mycn-amplification", amplified)), facts, Neuroblastoma).Verdict);
    }

    [Fact]
    public void Progression_required_conflicts_with_stable_disease()
    {
        var facts = new[] { Inclusion("progression", "required within 12 months", "Progression within 12 months.") };

        Assert.Equal(PreScreenVerdict.MayNotFit, PreScreen.Check(Profile(("pt-progression", "no")), facts, Net).Verdict);
        Assert.Equal(PreScreenVerdict.Fits, PreScreen.Check(Profile(("pt-progression", "yes")), facts, Net).Verdict);
    }

    [Fact]
    public void Facts_of_the_other_disease_are_not_stated_for_a_trial_and_are_listed_because_they_were_answered()
    {
        var result = PreScreen.Check(Profile(("pt-ki67", "10")), [], Neuroblastoma);

        Assert.Equal(PreScreenVerdict.NotStated, result.Verdict);
        Assert.Equal(CriterionOutcome.NotStated, CheckOf(result, "ki67").Outcome);
    }

    [Fact]
    public void End_to_end_from_eligibility_text_an_exclusion_of_prior_anti_GD2_is_quoted()
    {
        var text = """
            Inclusion Criteria:
            * Patients must have relapsed or refractory high-risk neuroblastoma.
            Exclusion Criteria:
            * Prior treatment with anti-GD2 antibody therapy.
            """;
        var facts = CriteriaExtractor.Default.Extract(text, Neuroblastoma).Facts;

        var result = PreScreen.Check(Profile(("pt-prior-anti-gd2", "yes"), ("pt-disease-state", "relapsed")), facts, Neuroblastoma);

        Assert.Equal(PreScreenVerdict.MayNotFit, result.Verdict);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal("prior-anti-gd2", conflict.Criterion);
        Assert.Contains("anti-GD2", Assert.Single(conflict.Reasons).Quote);
        Assert.Equal(CriterionOutcome.Fits, CheckOf(result, "disease-state").Outcome);
    }

    [Fact]
    public void Parsing_keeps_answers_normalised_and_names_the_values_it_cannot_read()
    {
        var values = new Dictionary<string, string>
        {
            ["pt-mibg-avid"] = " YES ",
            ["pt-ki67"] = "12,5%",
            ["pt-grade"] = "G2",
            ["pt-disease-state"] = "unknown",
            ["pt-primary-site"] = "",
            ["pt-prior-prrt"] = "maybe",
            ["pt-performance-score"] = "120",
            ["pt-hide-conflicts"] = "sometimes",
        };

        var (profile, invalid) = PatientProfile.Parse(name => values.GetValueOrDefault(name));

        Assert.Equal(new Dictionary<string, string> { ["pt-mibg-avid"] = "yes", ["pt-ki67"] = "12.5", ["pt-grade"] = "g2" }, profile.Answers);
        Assert.Equal(["pt-performance-score", "pt-prior-prrt", "pt-hide-conflicts"], invalid);
        Assert.False(profile.HideConflicts);
    }

    [Fact]
    public void Every_criterion_the_extractor_reads_has_a_question()
    {
        var asked = PatientQuestions.All.Select(q => (q.Criterion, q.Disease)).ToHashSet();

        Assert.All(CriteriaVocabulary.Default.Criteria, rule => Assert.Contains((rule.Id, rule.Disease), asked));
    }
}
