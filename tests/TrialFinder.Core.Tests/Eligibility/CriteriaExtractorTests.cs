using TrialFinder.Core.Eligibility;

namespace TrialFinder.Core.Tests.Eligibility;

/// <summary>Each rule of criteria.json with a sentence it must read and a near miss it must leave alone.</summary>
public class CriteriaExtractorTests
{
    private static CriteriaReading Read(string disease, string inclusion, string exclusion = "") =>
        CriteriaExtractor.Default.Extract($"Inclusion Criteria:\n\n* {inclusion}\n\nExclusion Criteria:\n\n* {(exclusion.Length > 0 ? exclusion : "Pregnancy")}", [disease]);

    [Theory]
    [InlineData("Patients must have relapsed or refractory neuroblastoma.", "disease-state", "relapsed, refractory")]
    [InlineData("Newly diagnosed high-risk neuroblastoma.", "disease-state", "newly-diagnosed")]
    [InlineData("Neuroblastoma that is in first complete remission.", "disease-state", "in-remission")]
    [InlineData("Patients must have evidence of MIBG uptake into tumor at one site.", "mibg-avid", "required")]
    [InlineData("Patients are required to have an activating ALK aberration in their tumor.", "alk-alteration", "required")]
    [InlineData("MYCN non-amplified", "mycn-amplification", "excluded")]
    [InlineData("Measurable or evaluable disease.", "measurable-disease", "measurable-or-evaluable")]
    [InlineData("At least one measurable lesion according to RECIST 1.1.", "measurable-disease", "measurable")]
    [InlineData("Prior treatment with hu3F8 is allowed.", "prior-anti-gd2", "allowed")]
    [InlineData("Patients must have completed consolidation with autologous stem cell transplant.", "prior-autologous-transplant", "required")]
    [InlineData("Relapse in the central nervous system is required.", "cns-disease", "required")]
    [InlineData("Karnofsky score >= 60% if 16 years or older or Lansky score >= 50% if younger", "performance-score", "lansky>=50, karnofsky>=60")]
    [InlineData("Physical strength score 0-2 (ECOG standard).", "performance-score", "ecog<=2")]
    public void Neuroblastoma_rules_read_what_the_inclusion_criteria_state(string sentence, string criterion, string expected) =>
        Assert.Equal(expected, Read("neuroblastoma", sentence).ValueOf(criterion));

    [Theory]
    [InlineData("Histologic verification at original diagnosis or relapse.", "disease-state")]
    [InlineData("Failure to achieve complete response after induction.", "disease-state", "refractory")]
    [InlineData("Measurable tumor that is MIBG avid or FDG avid on PET.", "mibg-avid")]
    [InlineData("Patients with ALK mutations or MET amplification; patients must have an ALK mutation or MET mutation.", "alk-alteration")]
    [InlineData("Stage 4 with MYCN amplification, or age > 18 months regardless of MYCN status.", "mycn-amplification")]
    [InlineData("Osteosarcoma patients must have measurable disease.", "measurable-disease")]
    [InlineData("Known hypersensitivity to anti-GD2 antibodies.", "prior-anti-gd2")]
    [InlineData("Patients who will undergo 131I-MIBG therapy on this study.", "prior-mibg-therapy")]
    [InlineData("Stem cell product available for study.", "prior-autologous-transplant")]
    [InlineData("Life expectancy of at least 12 weeks.", "performance-score")]
    public void Neuroblastoma_near_misses_stay_not_stated(string sentence, string criterion, string expected = CriteriaReading.NotStated) =>
        Assert.Equal(expected, Read("neuroblastoma", sentence).ValueOf(criterion));

    [Theory]
    [InlineData("Prior 131I-MIBG therapy", "prior-mibg-therapy", "excluded")]
    [InlineData("Autologous stem cell transplant within 6 weeks prior to enrollment", "prior-autologous-transplant", "allowed")]
    [InlineData("Prior treatment with lorlatinib", "prior-alk-inhibitor", "excluded")]
    [InlineData("Active CNS metastases", "cns-disease", "excluded")]
    public void Neuroblastoma_exclusions_exclude_unless_only_recent_use_does(string exclusion, string criterion, string expected) =>
        Assert.Equal(expected, Read("neuroblastoma", "Neuroblastoma", exclusion).ValueOf(criterion));

    [Theory]
    [InlineData("Well differentiated pancreatic NET, grade 1 or grade 2 (Ki-67 < 20%).", "primary-site", "pancreas")]
    [InlineData("Well differentiated pancreatic NET, grade 1 or grade 2 (Ki-67 < 20%).", "grade", "G1, G2")]
    [InlineData("Well differentiated pancreatic NET, grade 1 or grade 2 (Ki-67 < 20%).", "ki67", "<20")]
    [InlineData("Well differentiated pancreatic NET, grade 1 or grade 2 (Ki-67 < 20%).", "differentiation", "well")]
    [InlineData("GEP-NET with primary in stomach, pancreas or gut.", "primary-site", "gastroenteropancreatic")]
    [InlineData("Ki67 index ≥10 and ≤ 55%", "ki67", "10-55")]
    [InlineData("Low and intermediate grade neuroendocrine tumours", "grade", "G1, G2")]
    [InlineData("Somatostatin receptor-positive (SSTR+) disease.", "sstr-imaging", "required")]
    [InlineData("Disease progression by RECIST 1.1 within 12 months prior to randomization.", "progression", "required within 12 months")]
    [InlineData("Radiological evidence of disease progression in the 24 weeks before enrolment.", "progression", "required within 6 months")]
    [InlineData("Documented carcinoid syndrome requiring medical therapy.", "functional-syndrome", "required")]
    [InlineData("Functional or nonfunctional tumors are allowed.", "functional-syndrome", "allowed")]
    [InlineData("Prior everolimus and/or sunitinib therapy is allowed.", "prior-everolimus", "allowed")]
    [InlineData("Prior everolimus and/or sunitinib therapy is allowed.", "prior-sunitinib", "allowed")]
    [InlineData("Patients on octreotide LAR for at least 12 weeks.", "prior-somatostatin-analogue", "required")]
    [InlineData("Patients must not have received prior temozolomide or capecitabine.", "prior-chemotherapy", "excluded")]
    [InlineData("Previous chemoembolization is allowed if completed more than 4 weeks before.", "prior-liver-directed", "allowed")]
    [InlineData("Prior treatment with 4 cycles of 177Lu-DOTATATE.", "prior-prrt", "required")]
    public void Net_rules_read_what_the_inclusion_criteria_state(string sentence, string criterion, string expected) =>
        Assert.Equal(expected, Read("net", sentence).ValueOf(criterion));

    [Theory]
    [InlineData("Tumours including, but not limited to, lung, thymus and pancreas.", "primary-site")]
    [InlineData("G1 is defined as < 2 mitoses and <3% Ki-67 index.", "grade")]
    [InlineData("G2 is defined as 2-20 mitoses and/or 3-20% Ki-67 index.", "ki67")]
    [InlineData("Somatostatin receptor scintigraphy with result (positive or negative) within 4 weeks.", "sstr-imaging")]
    [InlineData("Suspected somatostatin receptor positive tumours.", "sstr-imaging")]
    [InlineData("Pre-study 68Ga-DOTATATE PET/CT scan performed within 5 weeks.", "sstr-imaging")]
    [InlineData("Symptoms uncontrolled OR morphologically progressive tumour.", "progression")]
    [InlineData("Eligible for treatment with PRRT (Lutathera) according to the label.", "prior-prrt")]
    [InlineData("Grade 3 or lower hearing loss is not excluded.", "grade")]
    public void Net_near_misses_stay_not_stated(string sentence, string criterion) =>
        Assert.Equal(CriteriaReading.NotStated, Read("net", sentence).ValueOf(criterion));

    [Theory]
    [InlineData("Prior PRRT.", "prior-prrt", "excluded")]
    [InlineData("Treatment with long acting somatostatin analogues within 28 days prior to dosing", "prior-somatostatin-analogue", "allowed")]
    [InlineData("Known allergy to somatostatin analogues", "prior-somatostatin-analogue", CriteriaReading.NotStated)]
    [InlineData("Poorly differentiated neuroendocrine carcinoma", "differentiation", "poorly excluded")]
    [InlineData("High grade neuroendocrine tumours (G3 NET)", "grade", "G3 excluded")]
    [InlineData("History of carcinoid syndrome", "functional-syndrome", "excluded")]
    public void Net_exclusions_exclude_unless_only_recent_use_does(string exclusion, string criterion, string expected) =>
        Assert.Equal(expected, Read("net", "Neuroendocrine tumour", exclusion).ValueOf(criterion));

    [Fact]
    public void Criteria_of_the_other_disease_are_not_read()
    {
        var reading = Read("neuroblastoma", "Well differentiated pancreatic NET, Ki-67 < 20%, relapsed.");

        Assert.Equal(CriteriaReading.NotStated, reading.ValueOf("ki67"));
        Assert.Equal("relapsed", reading.ValueOf("disease-state"));
    }

    [Fact]
    public void Every_fact_carries_its_sentence_and_section()
    {
        var reading = Read("net", "Ki-67 index ≤ 20%.", "Prior PRRT.");

        var ki67 = Assert.Single(reading.Facts, f => f.Criterion == "ki67");
        Assert.Equal("Ki-67 index ≤ 20%.", ki67.Quote);
        Assert.Equal(CriteriaSection.Inclusion, ki67.Section);
        Assert.Equal(CriteriaSection.Exclusion, Assert.Single(reading.Facts, f => f.Criterion == "prior-prrt").Section);
    }

    [Fact]
    public void A_sentence_hard_wrapped_over_two_lines_is_read_whole_and_quoted_exactly()
    {
        const string criteria = "Inclusion Criteria:\n\n"
            + "  - Patients must have a well differentiated neuroendocrine tumour with a Ki-67 index\n"
            + "    of 20% or less and disease progression within the 12 months before enrolment\n\n"
            + "Exclusion Criteria:\n\n"
            + "  - Patients who received peptide receptor radionuclide therapy at any time before\n"
            + "    randomisation\n";

        var reading = CriteriaExtractor.Default.Extract(criteria, ["net"]);

        Assert.Equal("required within 12 months", reading.ValueOf("progression"));
        Assert.Equal("excluded", reading.ValueOf("prior-prrt"));
        var progression = Assert.Single(reading.Facts, f => f.Criterion == "progression");
        Assert.Contains("\n    of 20% or less", progression.Quote, StringComparison.Ordinal);
        Assert.Equal(progression.Quote, criteria.Substring(progression.Start, progression.Quote.Length));
    }

    [Fact]
    public void An_empty_text_states_nothing() =>
        Assert.Empty(CriteriaExtractor.Default.Extract("", ["neuroblastoma", "net"]).Facts);
}
