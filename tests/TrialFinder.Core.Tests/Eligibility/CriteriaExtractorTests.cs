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
    [InlineData("Performance status: Lansky 60-100% OR Karnofsky 70-100% (> 16 years of age)", "performance-score", "lansky>=60, karnofsky>=70")]
    [InlineData("Lansky or Karnofsky Score must be more than 50", "performance-score", "lansky>50, karnofsky>50")]
    [InlineData("Must have positive iodine I 131 metaiodobenzylguanidine (131I-MIBG) scan within the past 6 weeks", "mibg-avid", "required")]
    [InlineData("Measurable disease, defined as at least one metaiodobenzylguanidine (MIBG)-avid target lesion", "measurable-disease", "measurable-or-evaluable")]
    [InlineData("Patients with bone marrow only disease are eligible to enroll.", "measurable-disease", "measurable-or-evaluable")]
    [InlineData("At least 1 measurable target lesion >10mm in longest dimension", "measurable-disease", "measurable")]
    [InlineData("No clinical or radiological evidence of central nervous system (CNS) disease", "cns-disease", "excluded")]
    [InlineData("No response, stable disease, or mixed response after 3 courses of chemotherapy", "disease-state", "refractory")]
    [InlineData("At least stable disease after megatherapy followed by autologous stem cell reinfusion", "prior-autologous-transplant", "required")]
    [InlineData("Patients must have a Lansky Play Scale17 of 60% (\\<16 yrs old), Karnofsky score 60% (\\>16 yrs old), or ECOG score of \\< or equal to 2", "performance-score", "lansky>=60, karnofsky>=60, ecog<=2")]
    [InlineData("Patients must have MIBG evaluable disease which is defined as evidence of uptake into tumor at one site.", "mibg-avid", "required")]
    [InlineData("Patient considered relapsed or refractory with lymphoma or any non-hematologic malignancy", "disease-state", "relapsed, refractory")]
    [InlineData("The patient may have had prior central nervous system (CNS) metastases provided the following criteria are all met:", "cns-disease", "allowed")]
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
    [InlineData("Refractory Wilms' tumor", "disease-state")]
    [InlineData("At least one MIBG-avid or FDG-avid lesion", "mibg-avid")]
    [InlineData("Must have a positive 131I-MIBG scan", "prior-mibg-therapy")]
    [InlineData("Drugs used as standard of care for this transplant procedure are allowed", "prior-autologous-transplant")]
    [InlineData("Patients who receive greater than 12 mCi/kg are required to have stem cell rescue products harvested prior to study treatment.", "prior-autologous-transplant")]
    [InlineData("Achieved response status: stable disease or better (CR, VGPR, PR, SD).", "disease-state")]
    [InlineData("CNS metastases allowed in patients not at risk for progression during the first 30 days", "disease-state")]
    [InlineData("Lansky score >= 50 (< 16 years of age)", "performance-score", "lansky>=50")]
    [InlineData("Measurable or evaluable disease by MIBG scan", "mibg-avid")]
    [InlineData("Recovered from prior therapy: no persistent toxicity above grade 1", "disease-state")]
    [InlineData("Must not be refractory to platelet transfusions", "disease-state")]
    [InlineData("Expected event-free or progression-free survival below 50%", "disease-state")]
    public void Neuroblastoma_near_misses_stay_not_stated(string sentence, string criterion, string expected = CriteriaReading.NotStated) =>
        Assert.Equal(expected, Read("neuroblastoma", sentence).ValueOf(criterion));

    [Theory]
    [InlineData("Prior 131I-MIBG therapy", "prior-mibg-therapy", "excluded")]
    [InlineData("Autologous stem cell transplant within 6 weeks prior to enrollment", "prior-autologous-transplant", "allowed")]
    [InlineData("Prior treatment with lorlatinib", "prior-alk-inhibitor", "excluded")]
    [InlineData("Active CNS metastases", "cns-disease", "excluded")]
    [InlineData("Prior bone marrow transplantation", "prior-autologous-transplant", "excluded")]
    [InlineData("Patients with brain metastases that have been treated and stable for > 30 days following treatment will be eligible.", "cns-disease", "allowed")]
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
    [InlineData("Metastatic neuroendocrine tumours (or low to intermediate grade)", "grade", "G1, G2")]
    [InlineData("Pancreatic NET GI-WHO grade 1-2 by histology", "grade", "G1, G2")]
    [InlineData("Pancreatic NET GI-WHO grade 1-2 by histology", "primary-site", "pancreas")]
    [InlineData("Well\u2010differentiated;", "differentiation", "well")]
    [InlineData("Progressive prior to treatment (clinical or radiological progression);", "progression", "required")]
    [InlineData("Non-functional neuroendocrine tumours of the pancreatic tail", "functional-syndrome", "excluded")]
    [InlineData("Secreting and non-secreting GEP-NEN", "functional-syndrome", "allowed")]
    [InlineData("Elevated urine 5-hydroxyindoleacetic acid (5-HIAA)", "functional-syndrome", "required")]
    [InlineData("Patient currently on octreotide LAR 30 mg every 3 or 4 weeks", "prior-somatostatin-analogue", "required")]
    [InlineData("Progression while receiving cytotoxic chemotherapy or at any time after receiving it", "prior-chemotherapy", "required")]
    [InlineData("Patients cannot have had prior chemotherapy for small cell lung cancer", "prior-chemotherapy", "excluded")]
    [InlineData("SSA therapy is recommended, and has not yet begun.", "prior-somatostatin-analogue", "excluded")]
    [InlineData("Absence of surgical, chemotherapy and / or radiotherapy treatments for at least 30 days.", "prior-chemotherapy", "allowed")]
    [InlineData("Minimum of four weeks since liver-directed therapy (embolization, etc.) or systemic treatment other than octreotide LAR", "prior-liver-directed", "allowed")]
    [InlineData("Patients treated with sunitinib or everolimus", "prior-everolimus", "allowed")]
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
    [InlineData("Minimum of four weeks since liver-directed therapy (embolization, etc.) or systemic treatment other than octreotide LAR", "prior-somatostatin-analogue")]
    [InlineData("Advanced or metastatic non-small cell lung cancer after failure of chemotherapy", "primary-site")]
    [InlineData("No previous irradiation to the only site of disease, unless that site had subsequent evidence of progression", "progression")]
    [InlineData("Patients with poorly differentiated or high-grade neuroendocrine carcinoma are not eligible.", "grade")]
    [InlineData("Adequate pulmonary function (DLCO > 50%) and no interstitial lung disease", "primary-site")]
    [InlineData("No history of pancreatitis; amylase and lipase within normal limits", "primary-site")]
    [InlineData("No gastrointestinal disorders that would affect absorption of oral medication", "primary-site")]
    public void Net_near_misses_stay_not_stated(string sentence, string criterion) =>
        Assert.Equal(CriteriaReading.NotStated, Read("net", sentence).ValueOf(criterion));

    [Theory]
    [InlineData("Prior PRRT.", "prior-prrt", "excluded")]
    [InlineData("Treatment with long acting somatostatin analogues within 28 days prior to dosing", "prior-somatostatin-analogue", "allowed")]
    [InlineData("Known allergy to somatostatin analogues", "prior-somatostatin-analogue", CriteriaReading.NotStated)]
    [InlineData("Poorly differentiated neuroendocrine carcinoma", "differentiation", "poorly excluded")]
    [InlineData("High grade neuroendocrine tumours (G3 NET)", "grade", "G3 excluded")]
    [InlineData("Patients with poorly differentiated neuroendocrine carcinoma, high-grade neuroendocrine carcinoma and small cell carcinoma were not eligible.", "grade", "G3 excluded")]
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
    public void A_nested_item_reads_the_wash_out_or_negation_of_the_criterion_that_introduces_it()
    {
        const string criteria = "Inclusion Criteria:\n"
            + "  - The following time must have elapsed from the last dose to enrollment:\n"
            + "      - stem cell transplant or infusion without TBI 12 weeks\n"
            + "  - Stem cell product available\n";

        var reading = CriteriaExtractor.Default.Extract(criteria, ["neuroblastoma"]);

        var fact = Assert.Single(reading.Facts, f => f.Criterion == "prior-autologous-transplant");
        Assert.Equal("allowed", fact.Value);
        Assert.StartsWith("stem cell transplant", fact.Quote, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wash_out_far_from_a_therapy_in_a_long_sentence_does_not_make_that_therapy_allowed()
    {
        var reading = Read("neuroblastoma",
            "At least stable disease after megatherapy followed by autologous stem cell reinfusion Performance status: Lansky 80-100% "
            + "Life expectancy: Not specified Hematopoietic: Lymphocyte count at least 500/mm3 Platelet count at least 30,000/mm3 "
            + "Other: At least 30 days since prior investigational drugs or devices");

        Assert.Equal("required", reading.ValueOf("prior-autologous-transplant"));
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
