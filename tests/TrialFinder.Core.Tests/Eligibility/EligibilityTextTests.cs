using TrialFinder.Core.Eligibility;

namespace TrialFinder.Core.Tests.Eligibility;

public class EligibilityTextTests
{
    private const string Registry =
        "Inclusion Criteria:\n\n* Age 1 to 21 years\n* Relapsed or refractory neuroblastoma. Measurable disease.\n  * Sub-item under the second\n\n"
        + "Exclusion Criteria:\n\n* Prior anti-GD2 therapy\n* Pregnancy";

    [Fact]
    public void The_registry_headings_split_the_criteria_into_inclusion_and_exclusion()
    {
        var text = EligibilityText.Parse(Registry);

        Assert.Equal(["Age 1 to 21 years", "Relapsed or refractory neuroblastoma. Measurable disease.", "Sub-item under the second"],
            text.Inclusion.Select(c => c.Text));
        Assert.Equal(["Prior anti-GD2 therapy", "Pregnancy"], text.Exclusion.Select(c => c.Text));
        Assert.Equal([CriteriaSection.Inclusion, CriteriaSection.Exclusion], text.Sections.Select(s => s.Kind));
        Assert.Equal(["Inclusion Criteria:", "Exclusion Criteria:"], text.Sections.Select(s => s.Heading));
    }

    [Fact]
    public void Every_criterion_and_sentence_knows_where_it_is_in_the_original_text()
    {
        var text = EligibilityText.Parse(Registry);

        foreach (var criterion in text.Criteria)
        {
            Assert.Equal(criterion.Text, Registry.Substring(criterion.Start, criterion.Length));
            foreach (var sentence in criterion.Sentences)
            {
                Assert.Equal(sentence.Text, Registry.Substring(sentence.Start, sentence.Length));
            }
        }

        var second = text.Inclusion.ElementAt(1);
        Assert.Equal(["Relapsed or refractory neuroblastoma.", "Measurable disease."], second.Sentences.Select(s => s.Text));
        Assert.Equal(0, second.Depth);
        Assert.Equal(1, text.Inclusion.ElementAt(2).Depth);
    }

    [Theory]
    [InlineData("Key Inclusion Criteria:\n- Progressive GEP-NET\nKey Exclusion Criteria:\n- Prior PRRT")]
    [InlineData("INCLUSION CRITERIA\n1. Progressive GEP-NET\nEXCLUSION CRITERIA\n1. Prior PRRT")]
    [InlineData("Inclusion criteria: Progressive GEP-NET\nNon-inclusion criteria: Prior PRRT")]
    [InlineData("Main inclusion criteria:\n• Progressive GEP-NET\nPatients will be excluded if:\n• Prior PRRT")]
    [InlineData("DISEASE CHARACTERISTICS:\n* Progressive GEP-NET\nExclusion criteria -\n* Prior PRRT")]
    [InlineData("Inclusion\n- Progressive GEP-NET\nExclusion\n- Prior PRRT")]
    [InlineData("Core Inclusion:\n\n  • Progressive GEP-NET\n\nCore Exclusion:\n\n  • Prior PRRT")]
    public void Heading_variants_are_recognised(string criteria)
    {
        var text = EligibilityText.Parse(criteria);

        Assert.Equal("Progressive GEP-NET", Assert.Single(text.Inclusion).Text);
        Assert.Equal("Prior PRRT", Assert.Single(text.Exclusion).Text);
    }

    [Fact]
    public void Text_without_headings_is_unlabelled_and_counts_as_describing_who_may_enrol()
    {
        var text = EligibilityText.Parse("Children with relapsed neuroblastoma.\nAdequate organ function.");

        Assert.Empty(text.Inclusion);
        Assert.Empty(text.Exclusion);
        Assert.Equal(2, text.NotExcluding.Count());
        Assert.All(text.Criteria, c => Assert.Equal(CriteriaSection.Unlabelled, c.Section));
    }

    [Fact]
    public void A_line_that_only_mentions_criteria_inside_a_bullet_is_not_a_heading()
    {
        var text = EligibilityText.Parse("Inclusion Criteria:\n* Measurable disease per RECIST 1.1 criteria:\n* Patients not eligible for surgery\nExclusion Criteria:\n* Pregnancy");

        Assert.Equal(2, text.Inclusion.Count());
        Assert.Equal("Pregnancy", Assert.Single(text.Exclusion).Text);
    }

    [Fact]
    public void Empty_or_missing_criteria_have_no_sections()
    {
        Assert.Empty(EligibilityText.Parse(null).Sections);
        Assert.Empty(EligibilityText.Parse("  \n ").Criteria);
    }

    private const string Wrapped =
        "Inclusion Criteria:\n\n"
        + "  1. Patients must have relapsed or refractory high-risk neuroblastoma that is\n"
        + "     MIBG avid on a scan done within 4 weeks before enrolment. Measurable disease\n"
        + "     is not required.\n"
        + "  2. Lansky or Karnofsky performance status of at least 50 percent for patients\n"
        + "  3. Adequate organ function defined as the following values for every patient\n"
        + "     at the time of enrolment:\n"
        + "       - Absolute neutrophil count of at least 750 per microlitre before the first\n"
        + "         dose\n\n"
        + "Exclusion Criteria:\n\n"
        + "  - Prior treatment with any anti-GD2 antibody, including dinutuximab or naxitamab,\n"
        + "    at any time before enrolment\n";

    [Fact]
    public void A_hard_wrapped_line_joins_the_criterion_it_continues_and_numbers_bullets_and_headings_start_new_ones()
    {
        var text = EligibilityText.Parse(Wrapped, joinWrappedLines: true);

        Assert.Equal(4, text.Inclusion.Count());
        var first = text.Inclusion.First();
        Assert.StartsWith("Patients must have relapsed", first.Text);
        Assert.EndsWith("is not required.", first.Text);
        Assert.Equal(
            ["Patients must have relapsed or refractory high-risk neuroblastoma that is\n     MIBG avid on a scan done within 4 weeks before enrolment.",
                "Measurable disease\n     is not required."],
            first.Sentences.Select(s => s.Text));
        Assert.StartsWith("Lansky or Karnofsky", text.Inclusion.ElementAt(1).Text);
        Assert.EndsWith("at the time of enrolment:", text.Inclusion.ElementAt(2).Text);
        Assert.EndsWith("before the first\n         dose", text.Inclusion.ElementAt(3).Text);
        Assert.Equal(2, text.Inclusion.ElementAt(3).Depth - text.Inclusion.ElementAt(2).Depth);
        Assert.EndsWith("at any time before enrolment", Assert.Single(text.Exclusion).Text);
    }

    [Fact]
    public void Joined_criteria_and_their_sentences_keep_their_exact_place_in_the_original_text()
    {
        var text = EligibilityText.Parse(Wrapped, joinWrappedLines: true);

        foreach (var criterion in text.Criteria)
        {
            Assert.Equal(criterion.Text, Wrapped.Substring(criterion.Start, criterion.Length));
            foreach (var sentence in criterion.Sentences)
            {
                Assert.Equal(sentence.Text, Wrapped.Substring(sentence.Start, sentence.Length));
            }
        }
    }

    [Theory]
    [InlineData("Inclusion Criteria:\n* Histologically confirmed neuroendocrine tumour of the\n  pancreas\n* Progressive disease", 2)]
    [InlineData("Inclusion Criteria:\n* Histologically confirmed neuroendocrine tumour of the\npancreas\n* Progressive disease", 2)]
    [InlineData("Inclusion Criteria:\nHistologically confirmed neuroendocrine tumour\nProgressive disease\nECOG 0-1", 3)]
    [InlineData("Inclusion Criteria:\n* Histologically confirmed neuroendocrine tumour;\n  Progressive disease", 2)]
    [InlineData("Inclusion Criteria:\n* Histologically confirmed neuroendocrine tumour of the\n\n  Progressive disease", 2)]
    [InlineData("Inclusion Criteria:\n* Adequate marrow function:\n  Hemoglobin > 8 g/dL", 2)]
    [InlineData("Inclusion Criteria:\nPatients with relapsed neuroblastoma must have a diagnostic scan showing that\n"
        + "MIBG uptake is present in at least one site before enrolment\nPrior MIBG therapy at any time is not allowed for patients in part A", 2)]
    public void Only_a_line_that_continues_an_open_sentence_joins_the_one_above(string criteria, int expected) =>
        Assert.Equal(expected, EligibilityText.Parse(criteria, joinWrappedLines: true).Inclusion.Count());

    [Fact]
    public void A_line_that_is_too_long_to_be_wrapped_text_keeps_the_next_capitalised_line_apart()
    {
        var text = EligibilityText.Parse(
            "Inclusion Criteria:\n"
            + "Histologically confirmed well differentiated neuroendocrine tumour of the small intestine or pancreas with liver metastases\n"
            + "Progressive disease by RECIST 1.1 within the last 12 months", joinWrappedLines: true);

        Assert.Equal(2, text.Inclusion.Count());
    }

    [Fact]
    public void Without_joining_every_wrapped_line_stays_a_criterion_of_its_own_as_the_classifier_reads_it() =>
        Assert.Equal(8, EligibilityText.Parse(Wrapped).Inclusion.Count());

    [Theory]
    [InlineData("Dose 1.5 mg/kg, e.g. by infusion; then rest.", new[] { "Dose 1.5 mg/kg, e.g. by infusion;", "then rest." })]
    [InlineData("Progression vs. baseline. Next sentence", new[] { "Progression vs. baseline.", "Next sentence" })]
    [InlineData("One line\nAnother line", new[] { "One line", "Another line" })]
    public void Sentences_end_at_full_stops_semicolons_and_line_breaks_but_not_abbreviations_or_decimals(string input, string[] expected)
    {
        Assert.Equal(expected, TextSentences.Split(input).Select(s => s.Text));
    }
}
