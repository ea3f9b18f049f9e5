using TrialFinder.Core.Classification;

namespace TrialFinder.Core.Tests.Classification;

/// <summary>
/// The rules of LABELLING.md that a keyword match gets wrong, each with a case that must tag and a near miss that
/// must not. Sentences are short ones written in the registry's style for the error classes seen on unseen trials.
/// </summary>
public class ClinicalReadingTests
{
    private static StudyClassification Classify(RegistryRecordBuilder record) => StudyClassifier.Default.Classify(record.Build());

    private static RegistryRecordBuilder NetStudy(string title) => new RegistryRecordBuilder().Title(title).Condition("Neuroendocrine Tumors");

    private static RegistryRecordBuilder NeuroblastomaStudy(string title) => new RegistryRecordBuilder().Title(title).Condition("Neuroblastoma");

    // --- Scope: a therapy named as earlier, excluded or allowed treatment is not given.

    [Theory]
    [InlineData("Everolimus in Progressive NET After Prior 177Lu-DOTATATE", "lu177-prrt")]
    [InlineData("Sunitinib for Pancreatic NET Previously Treated With Lutathera", "lu177-prrt")]
    [InlineData("Cabozantinib in NET Refractory to Octreotide", "somatostatin-analogue")]
    [InlineData("Study of a New Agent in Octreotide-Refractory Carcinoid Syndrome", "somatostatin-analogue")]
    [InlineData("Capecitabine in NET After Failure of Everolimus", "targeted-therapy")]
    [InlineData("A Registry of NET Patients Without Prior Chemotherapy", "chemotherapy")]
    [InlineData("Lanreotide in Patients Who Have Received Sunitinib", "targeted-therapy")]
    public void A_title_naming_earlier_or_excluded_treatment_does_not_tag_it(string title, string slug)
    {
        var result = Classify(NetStudy(title));
        Assert.DoesNotContain(slug, result.TherapyTypes);
    }

    [Fact]
    public void Consolidation_of_first_remission_after_chemotherapy_and_transplant_tags_neither()
    {
        var result = Classify(NeuroblastomaStudy(
            "Consolidation of First Remission After Induction Chemotherapy and Autologous Stem Cell Transplant in High-Risk Neuroblastoma"));

        Assert.DoesNotContain("chemotherapy", result.TherapyTypes);
        Assert.DoesNotContain("stem-cell-transplant", result.TherapyTypes);
    }

    [Theory]
    [InlineData("Lutathera With or Without Octreotide LAR in GEP-NET", "somatostatin-analogue")]
    [InlineData("Chemotherapy Prior to Surgery for Pancreatic NET", "surgery")]
    [InlineData("Neoadjuvant Capecitabine and Temozolomide Before Surgery in Pancreatic NET", "surgery")]
    [InlineData("Everolimus Versus Sunitinib After Prior Lanreotide", "targeted-therapy")]
    public void Near_misses_of_the_scope_rules_still_tag_the_given_therapy(string title, string slug)
    {
        var result = Classify(NetStudy(title));
        Assert.Contains(slug, result.TherapyTypes);
    }

    [Fact]
    public void The_title_tags_what_is_given_and_not_what_came_before_in_the_same_sentence()
    {
        var result = Classify(NetStudy("Holmium-166 Radioembolization After Prior 177Lu-DOTATATE in NET Liver Metastases"));

        Assert.Contains("liver-directed", result.TherapyTypes);
        Assert.DoesNotContain("lu177-prrt", result.TherapyTypes);
    }

    [Fact]
    public void Summary_sentences_about_allowed_or_required_earlier_treatment_tag_nothing()
    {
        var result = Classify(NetStudy("A Phase 2 Study in Advanced NET")
            .Summary("Patients must have received everolimus. Concurrent octreotide is allowed. "
                + "Prior chemotherapy is not allowed. Participants will receive the study drug daily."));

        Assert.Empty(result.TherapyTypes);
    }

    [Fact]
    public void A_summary_sentence_saying_what_participants_receive_tags_it_when_the_interventions_are_silent()
    {
        var result = Classify(NetStudy("A Phase 2 Study in Advanced NET")
            .Summary("Participants will receive cabozantinib daily. Patients who progressed after prior everolimus may enrol."));

        Assert.Equal(["targeted-therapy"], result.TherapyTypes);
        Assert.Equal("Participants will receive cabozantinib daily.", Assert.Single(result.Evidence, e => e.Kind == TagKinds.Therapy).MatchedText);
    }

    // --- Titles and summaries are read only where the interventions name no therapy.

    [Fact]
    public void The_title_does_not_add_therapies_the_interventions_do_not_give()
    {
        var result = Classify(NeuroblastomaStudy("Dinutuximab Beta Maintenance in Neuroblastoma Treated With Chemotherapy and Radiotherapy")
            .Intervention("BIOLOGICAL", "Dinutuximab beta"));

        Assert.Equal(["anti-gd2"], result.TherapyTypes);
    }

    [Fact]
    public void The_title_names_the_therapy_when_the_interventions_name_none()
    {
        var result = Classify(NeuroblastomaStudy("Naxitamab for Children With Neuroblastoma").Intervention("OTHER", "Investigational product"));

        Assert.Equal(["anti-gd2"], result.TherapyTypes);
        Assert.Equal(EvidenceSources.Title, Assert.Single(result.Evidence, e => e.Kind == TagKinds.Therapy).Source);
    }

    [Fact]
    public void Criteria_never_tag_a_therapy()
    {
        var result = Classify(NetStudy("A Study in Advanced NET")
            .Criteria("Inclusion Criteria:\n* Progression after everolimus or sunitinib\n* Stable dose of octreotide\nExclusion Criteria:\n* Prior PRRT with 177Lu-DOTATATE"));

        Assert.Empty(result.TherapyTypes);
    }

    // --- Imaging agents and diagnostic tests are never therapy.

    [Theory]
    [InlineData("DRUG", "68Ga-DOTATATE")]
    [InlineData("DRUG", "[64Cu]Cu-DOTATATE")]
    [InlineData("DRUG", "18F-MFBG")]
    [InlineData("DRUG", "Iobenguane I-123")]
    [InlineData("DRUG", "124I-MIBG")]
    [InlineData("DRUG", "Indium In 111 Pentetreotide")]
    [InlineData("RADIATION", "Gallium Ga 68 Dotatoc")]
    [InlineData("PROCEDURE", "Somatostatin receptor PET/CT")]
    public void An_imaging_isotope_or_scan_is_never_a_therapy(string type, string name)
    {
        var result = Classify(NetStudy("Imaging of Somatostatin Receptor Positive NET Before PRRT").Intervention(type, name));

        Assert.Empty(result.TherapyTypes);
    }

    [Fact]
    public void A_diagnostic_study_gets_no_therapy_from_the_treatment_its_title_prepares_for()
    {
        var result = Classify(NetStudy("Ga-68 DOTATATE PET to Select Patients for Lutathera Therapy")
            .Intervention("DIAGNOSTIC_TEST", "Ga-68 DOTATATE PET/CT"));

        Assert.Empty(result.TherapyTypes);
    }

    // --- Radioligands by isotope and carrier.

    [Theory]
    [InlineData("177Lu-DOTATATE")]
    [InlineData("Lu 177 dotatate")]
    [InlineData("Lutetium Lu 177 Dotatate")]
    [InlineData("[177Lu]Lu-DOTA-TATE")]
    [InlineData("Lutetium (177Lu) oxodotreotide")]
    [InlineData("177Lu-DOTA0-Tyr3-Octreotate")]
    [InlineData("177Lu-edotreotide")]
    [InlineData("ITM-11")]
    [InlineData("177Lu-satoreotide tetraxetan")]
    [InlineData("Lutathera")]
    public void Lutetium_on_a_somatostatin_receptor_carrier_is_lu177_prrt(string name)
    {
        var result = Classify(NetStudy("PRRT in NET").Drug(name));

        Assert.Equal(["lu177-prrt"], result.TherapyTypes);
    }

    [Theory]
    [InlineData("90Y-DOTATOC")]
    [InlineData("Yttrium-90 DOTA-TOC")]
    [InlineData("Intra-arterial Y-90 labelled somatostatin analogue")]
    [InlineData("212Pb-DOTAMTATE")]
    [InlineData("AlphaMedix")]
    [InlineData("225Ac-DOTATATE")]
    [InlineData("RYZ101")]
    [InlineData("[161Tb]Tb-DOTA-LM3")]
    [InlineData("177Lu-PSMA-617")]
    [InlineData("Iodine I 131 Omburtamab")]
    public void Any_other_therapeutic_isotope_and_carrier_is_another_radioligand(string name)
    {
        var result = Classify(NetStudy("Radioligand Study in NET").Drug(name));

        Assert.Contains("other-radioligand", result.TherapyTypes);
        Assert.DoesNotContain("lu177-prrt", result.TherapyTypes);
        Assert.DoesNotContain("somatostatin-analogue", result.TherapyTypes);
        Assert.DoesNotContain("radiotherapy", result.TherapyTypes);
    }

    [Theory]
    [InlineData("131I-MIBG")]
    [InlineData("Iobenguane I 131")]
    [InlineData("I-131 metaiodobenzylguanidine")]
    public void Iodine_131_on_mibg_is_mibg_therapy(string name)
    {
        var result = Classify(NeuroblastomaStudy("MIBG Therapy in Neuroblastoma").Intervention("RADIATION", name));

        Assert.Equal(["mibg"], result.TherapyTypes);
    }

    [Fact]
    public void Yttrium_90_microspheres_are_liver_directed_not_a_radioligand()
    {
        var result = Classify(NetStudy("Radioembolization of NET Liver Metastases").Intervention("DEVICE", "Yttrium-90 microspheres radioembolization"));

        Assert.Contains("liver-directed", result.TherapyTypes);
        Assert.DoesNotContain("other-radioligand", result.TherapyTypes);
    }

    [Fact]
    public void RadioTherapy_in_the_name_of_a_radioligand_is_not_external_radiotherapy()
    {
        var result = Classify(NetStudy("Targeted Alpha RadioTherapy in NET").Drug("212Pb-DOTAMTATE Targeted Alpha RadioTherapy"));

        Assert.DoesNotContain("radiotherapy", result.TherapyTypes);
        Assert.Contains("other-radioligand", result.TherapyTypes);
    }

    [Fact]
    public void External_beam_radiotherapy_given_beside_a_radioligand_is_still_radiotherapy()
    {
        var result = Classify(NeuroblastomaStudy("MIBG and Radiotherapy").Intervention("RADIATION", "131I-MIBG").Intervention("RADIATION", "External beam radiotherapy"));

        Assert.Equal(new[] { "mibg", "radiotherapy" }.Order(), result.TherapyTypes.Order());
    }

    // --- Disease synonyms.

    [Theory]
    [InlineData("Peripheral Neuroblastic Tumours")]
    [InlineData("Peripheral Neuroblastic Tumor")]
    [InlineData("Ganglioneuroblastoma, Nodular")]
    [InlineData("Neuroblastoma (Schwannian Stroma-Poor)")]
    public void Neuroblastoma_synonyms_tag_neuroblastoma(string condition)
    {
        Assert.Equal(["neuroblastoma"], Classify(new RegistryRecordBuilder().Title("A Study").Condition(condition)).Diseases);
    }

    [Fact]
    public void Ganglioneuroma_alone_is_not_neuroblastoma()
    {
        Assert.Empty(Classify(new RegistryRecordBuilder().Title("Surgery for Ganglioneuroma").Condition("Ganglioneuroma")).Diseases);
    }

    [Theory]
    [InlineData("Carcinoma, Neuroendocrine")]
    [InlineData("APUDoma")]
    [InlineData("Chemodectoma")]
    public void Thesaurus_names_of_neuroendocrine_tumours_tag_net(string condition)
    {
        Assert.Equal(["net"], Classify(new RegistryRecordBuilder().Title("A Study").Condition(condition)).Diseases);
    }

    [Fact]
    public void A_somatostatin_receptor_positive_tumour_study_about_nets_is_a_net_study()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Somatostatin Receptor PET in Somatostatin Receptor Positive Tumors")
            .Condition("Somatostatin Receptor Positive Tumors")
            .Summary("This study images patients with well-differentiated neuroendocrine tumours."));

        Assert.Equal(["net"], result.Diseases);
        Assert.Equal("Somatostatin Receptor Positive Tumors", Assert.Single(result.Evidence, e => e.Kind == TagKinds.Disease).MatchedText);
    }

    [Fact]
    public void A_somatostatin_receptor_positive_tumour_study_about_something_else_is_not_a_net_study()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Somatostatin Receptor PET in Somatostatin Receptor Positive Tumors")
            .Condition("Somatostatin Receptor Positive Tumors")
            .Summary("This study images patients with meningioma."));

        Assert.Empty(result.Diseases);
    }

    [Fact]
    public void A_basket_trial_naming_neuroblastoma_as_an_eligible_diagnosis_is_a_neuroblastoma_trial()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("An ALK Inhibitor in Children With Solid Tumours")
            .Condition("Solid Tumor, Childhood")
            .Criteria("Inclusion Criteria:\n* Histologically confirmed relapsed neuroblastoma or other ALK-driven solid tumour\nExclusion Criteria:\n* Pregnancy"));

        Assert.Equal(["neuroblastoma"], result.Diseases);
        Assert.Equal(EvidenceSources.InclusionCriteria, Assert.Single(result.Evidence, e => e.Kind == TagKinds.Disease).Source);
    }

    [Fact]
    public void A_basket_trial_that_excludes_neuroblastoma_is_not_a_neuroblastoma_trial()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("An ALK Inhibitor in Children With Solid Tumours")
            .Condition("Solid Tumor, Childhood")
            .Criteria("Inclusion Criteria:\n* Histologically confirmed solid tumour other than neuroblastoma is not eligible\nExclusion Criteria:\n* Neuroblastoma"));

        Assert.Empty(result.Diseases);
    }

    // --- Diseases where the brief title is silent (sentences from development records where one exists).

    [Fact]
    public void A_trial_whose_brief_title_names_no_disease_takes_the_disease_its_summary_names_as_its_population()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Drug X in Treating Young Patients With Relapsed or Refractory Solid Tumors")
            .Condition("Solid Tumor")
            .Summary("This phase I trial studies drug X in children with relapsed solid tumours, including neuroblastoma."));

        Assert.Equal(["neuroblastoma"], result.Diseases);
        Assert.Equal(EvidenceSources.Summary, Assert.Single(result.Evidence, e => e.Kind == TagKinds.Disease).Source);
    }

    [Theory]
    [InlineData("In vitro studies in cell lines derived from pediatric tumors (Ewing's sarcoma, neuroblastoma, osteosarcoma) indicate that drug X is a potent inhibitor of cell proliferation.")]
    [InlineData("Unlike neuroblastoma, these tumours rarely respond to chemotherapy.")]
    [InlineData("Other studies have shown that drug X is active in children with neuroblastoma.")]
    [InlineData("This phase I trial studies drug X in children with relapsed solid tumours other than neuroblastoma.")]
    [InlineData("Children with neuroblastoma are not eligible.")]
    public void A_disease_named_as_laboratory_background_a_comparison_another_study_or_an_exception_is_not_the_trial_s(string sentence)
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Drug X in Treating Young Patients With Relapsed or Refractory Solid Tumors")
            .Condition("Solid Tumor")
            .Summary(sentence));

        Assert.Empty(result.Diseases);
    }

    [Fact]
    public void Where_the_brief_title_is_silent_a_second_disease_named_in_the_inclusion_criteria_counts_too()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Iobenguane I-131 Therapy in Children and Adults")
            .Condition("Pheochromocytoma")
            .Criteria("Inclusion Criteria:\n* Relapsed or refractory neuroblastoma, pheochromocytoma or paraganglioma\nExclusion Criteria:\n* Pregnancy"));

        Assert.Equal(["net", "neuroblastoma"], result.Diseases.Order());
    }

    [Fact]
    public void Where_the_brief_title_names_the_disease_a_summary_s_passing_mention_of_another_is_not_read()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Iobenguane I-131 Therapy in Pheochromocytoma")
            .Condition("Pheochromocytoma")
            .Summary("Iobenguane is given to patients with pheochromocytoma; it is also given to children with neuroblastoma in other protocols."));

        Assert.Equal(["net"], result.Diseases);
    }

    // --- NET subtypes: only the sites the record says the trial enrols.

    [Fact]
    public void Sites_named_as_exceptions_are_not_subtypes()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Testing the Combination of Cabozantinib, Nivolumab, and Ipilimumab for Poorly Differentiated Neuroendocrine Tumors")
            .Criteria("Inclusion Criteria:\n* Patients must have metastatic, histologically confirmed poorly-differentiated neuroendocrine neoplasms per 2018 World Health Organization (WHO) classification, with the exception of small cell lung cancer and merkel cell carcinoma.\nExclusion Criteria:\n* Pregnancy"));

        Assert.Equal(["net"], result.Diseases);
        Assert.DoesNotContain("merkel-cell", result.NetSubtypes);
        Assert.DoesNotContain("lung", result.NetSubtypes);
    }

    [Fact]
    public void A_site_the_tumour_lies_outside_of_is_not_a_subtype()
    {
        var result = Classify(NetStudy("Atezolizumab With Platinum and Etoposide").Summary(
            "This phase II/III trial compares atezolizumab with chemotherapy versus chemotherapy alone for the treatment of poorly differentiated extrapulmonary (originated outside the lung) neuroendocrine cancer."));

        Assert.DoesNotContain("lung", result.NetSubtypes);
    }

    [Fact]
    public void A_bracketed_exception_leaves_the_site_it_qualifies()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Pembrolizumab With Platinum and Etoposide in High Grade Gastroenteropancreatic or Lung (Excluding Small Cell) Neuroendocrine Carcinoma"));

        Assert.Contains("lung", result.NetSubtypes);
        Assert.Contains("neuroendocrine-carcinoma", result.NetSubtypes);
    }

    [Fact]
    public void A_non_pancreatic_origin_is_not_pancreatic_and_a_carcinoid_of_the_gi_system_is_gastrointestinal()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Cabozantinib and Nivolumab for Carcinoid Tumors")
            .Condition("Carcinoid Tumor", "Carcinoid Tumor of GI System")
            .Criteria("Inclusion Criteria:\n* Patients with locally unresectable or metastatic well-differentiated neuroendocrine tumor of non-pancreatic (ie, carcinoid) origin\nExclusion Criteria:\n* Pregnancy"));

        Assert.Equal(["carcinoid", "gastrointestinal"], result.NetSubtypes.Order());
    }

    [Fact]
    public void A_site_negated_on_the_next_line_of_a_hard_wrapped_criterion_is_not_a_subtype()
    {
        const string criteria = "Inclusion Criteria:\n\n"
            + "- Patients must have histologic documentation or clinical evidence of a carcinoid tumor\n"
            + "of primary site (including foregut, midgut, hindgut or other non-pancreatic site);\n"
            + "tumors of unknown primary site are eligible provided the treating physician does not\n"
            + "suspect medullary thyroid cancer, pancreatic neuroendocrine tumor, paraganglioma, or\n"
            + "pheochromocytoma; unknown primary tumors will be classified as small bowel tumors for\n"
            + "the purpose of stratification\n\n"
            + "Exclusion Criteria:\n\n- Pregnancy";

        var result = Classify(NetStudy("Cabozantinib in Carcinoid Tumors").Criteria(criteria));

        Assert.DoesNotContain("pancreatic", result.NetSubtypes);
        Assert.DoesNotContain("pheochromocytoma-paraganglioma", result.NetSubtypes);
        Assert.Contains("gastrointestinal", result.NetSubtypes);
    }

    [Theory]
    [InlineData("Neuroendocrine Carcinoma of Pancreas", "pancreatic")]
    [InlineData("Histopathologic diagnosis of neuroendocrine carcinomas (GEP NEC and lung NEC)", "lung")]
    public void Thesaurus_and_abbreviated_site_names_tag_their_subtype(string condition, string subtype)
    {
        Assert.Contains(subtype, Classify(new RegistryRecordBuilder().Title("A Study").Condition(condition)).NetSubtypes);
    }

    // --- Relapsed or refractory.

    [Theory]
    [InlineData("Radiological progression within 12 months of the last dose of prior systemic therapy")]
    [InlineData("Progression of disease within 6 months after prior somatostatin analogue treatment")]
    [InlineData("Tumour progression in the last 12 months")]
    [InlineData("Disease refractory to standard induction therapy")]
    [InlineData("At least one prior line of systemic therapy")]
    [InlineData("Second-line or later treatment of GEP-NET")]
    [InlineData("Progressed on or after everolimus")]
    public void Inclusion_criteria_admitting_treated_and_progressing_patients_make_the_study_refractory(string criterion)
    {
        var result = Classify(NetStudy("A Study in Advanced NET").Criteria($"Inclusion Criteria:\n* {criterion}\nExclusion Criteria:\n* Pregnancy"));

        Assert.True(result.TakesRefractory);
        Assert.Equal(criterion, Assert.Single(result.Evidence, e => e.Kind == TagKinds.Refractory).MatchedText);
    }

    [Theory]
    [InlineData("Newly diagnosed high-risk neuroblastoma")]
    [InlineData("Previously untreated high-risk neuroblastoma")]
    [InlineData("High-risk neuroblastoma in first remission after induction")]
    [InlineData("Patients with relapsed disease are not eligible")]
    public void Front_line_criteria_do_not_make_the_study_refractory(string criterion)
    {
        var result = Classify(NeuroblastomaStudy("Maintenance Therapy in High-Risk Neuroblastoma")
            .Criteria($"Inclusion Criteria:\n* {criterion}\nExclusion Criteria:\n* Progressive disease within 3 months"));

        Assert.False(result.TakesRefractory);
    }

    [Theory]
    [InlineData("Induction Chemotherapy in Patients With Newly Diagnosed or Progressive Neuroblastoma")]
    [InlineData("Immunotherapy for Relapsed or Newly Diagnosed High-Risk Neuroblastoma")]
    public void A_title_naming_newly_diagnosed_and_relapsed_patients_together_is_open_to_both(string title)
    {
        var result = Classify(NeuroblastomaStudy(title));

        Assert.True(result.TakesRefractory);
    }

    [Fact]
    public void Newly_diagnosed_alone_in_a_title_still_keeps_the_study_front_line()
    {
        var result = Classify(NeuroblastomaStudy("Induction Chemotherapy in Patients With Newly Diagnosed Progressive-Stage Neuroblastoma"));

        Assert.False(result.TakesRefractory);
    }

    [Fact]
    public void Every_tag_keeps_the_sentence_it_came_from()
    {
        var result = Classify(NetStudy("A Study in Advanced NET")
            .Summary("Background on NETs. Participants will receive 177Lu-DOTATATE every 8 weeks.")
            .Criteria("Inclusion Criteria:\n* Age 18 or older. Progression within 12 months of prior everolimus.\nExclusion Criteria:\n* Pregnancy"));

        Assert.Equal("Participants will receive 177Lu-DOTATATE every 8 weeks.", Assert.Single(result.Evidence, e => e.Slug == "lu177-prrt").MatchedText);
        Assert.Equal("Progression within 12 months of prior everolimus.", Assert.Single(result.Evidence, e => e.Kind == TagKinds.Refractory).MatchedText);
    }

    // --- Rules found on the development set (Corpus/Development), each with a near miss.

    [Fact]
    public void A_lead_203_tracer_is_imaging_and_the_lead_212_therapy_it_prepares_for_is_not_given()
    {
        var result = Classify(NetStudy("A First-in-human Clinical Trial to Evaluate an Alpha-radiation Imaging Agent")
            .Summary("This is the first step to testing [212Pb]-based alpha radiation therapy in neuroendocrine therapy.")
            .Drug("[203Pb]VMT-alpha-NET")
            .Intervention("PROCEDURE", "SPECT/CT"));

        Assert.Empty(result.TherapyTypes);
    }

    [Fact]
    public void A_lead_212_radioligand_given_after_a_lead_203_scan_is_still_a_radioligand()
    {
        var result = Classify(NetStudy("A Safety Study of 212Pb-VMT-alpha-NET in Patients With Neuroendocrine Tumors")
            .Drug("[203Pb]VMT-alpha-NET")
            .Drug("[212Pb]VMT-alpha-NET"));

        Assert.Equal(["other-radioligand"], result.TherapyTypes);
    }

    [Fact]
    public void Carcinoid_syndrome_not_adequately_controlled_by_a_somatostatin_analogue_is_refractory_and_the_analogue_is_not_given()
    {
        var result = Classify(NetStudy("Telotristat for Somatostatin Analogue Not Adequately Controlled Carcinoid Syndrome")
            .Summary("Telotristat is compared with placebo in patients not adequately controlled by current SSA therapy."));

        Assert.DoesNotContain("somatostatin-analogue", result.TherapyTypes);
        Assert.True(result.TakesRefractory);
    }

    [Fact]
    public void Octreotide_given_with_another_drug_is_still_tagged()
    {
        var result = Classify(NetStudy("Octreotide Acetate and Bevacizumab in Treating Patients With Carcinoid Tumor"));

        Assert.Contains("somatostatin-analogue", result.TherapyTypes);
        Assert.Contains("targeted-therapy", result.TherapyTypes);
    }

    [Fact]
    public void A_recurrent_condition_term_does_not_outweigh_criteria_that_admit_no_relapse()
    {
        var withCriteria = Classify(new RegistryRecordBuilder()
            .Title("Monoclonal Antibody Therapy in Children With Neuroblastoma")
            .Condition("Recurrent Neuroblastoma", "Disseminated Neuroblastoma")
            .Criteria("Inclusion Criteria:\n* Must have recently completed myeloablative therapy with autologous stem cell rescue\nExclusion Criteria:\n* Pregnancy"));
        var withoutCriteria = Classify(new RegistryRecordBuilder()
            .Title("Monoclonal Antibody Therapy in Children With Neuroblastoma")
            .Condition("Recurrent Neuroblastoma"));

        Assert.False(withCriteria.TakesRefractory);
        Assert.True(withoutCriteria.TakesRefractory);
    }

    [Theory]
    [InlineData("High-risk neuroblastoma in first or subsequent partial response or better")]
    [InlineData("Neuroblastoma in second complete remission")]
    [InlineData("Progression of the liver metastases demonstrated within the past twelve months")]
    public void Later_remissions_and_progressing_metastases_make_the_study_refractory(string criterion)
    {
        var result = Classify(NeuroblastomaStudy("A Study in Neuroblastoma")
            .Criteria($"Inclusion Criteria:\n* {criterion}\nExclusion Criteria:\n* Pregnancy"));

        Assert.True(result.TakesRefractory);
    }

    [Fact]
    public void Surgery_in_the_summary_plan_is_given_even_where_the_interventions_list_only_drugs()
    {
        var given = Classify(new RegistryRecordBuilder().Title("Chemo-immunotherapy in Resectable Merkel Cell Carcinoma").Condition("Merkel Cell Carcinoma")
            .Summary("Participants will receive one cycle of retifanlimab plus platinum-etoposide chemotherapy prior to their scheduled surgery.")
            .Drug("Retifanlimab").Drug("Cisplatin"));
        var earlier = Classify(new RegistryRecordBuilder().Title("Adjuvant Surufatinib in Pancreatic NET").Condition("Pancreatic Neuroendocrine Tumor")
            .Summary("Patients have a risk of recurrence after radical resection. Participants will receive surufatinib or placebo.")
            .Drug("Surufatinib"));

        Assert.Contains("surgery", given.TherapyTypes);
        Assert.DoesNotContain("surgery", earlier.TherapyTypes);
    }

    [Fact]
    public void An_intra_arterial_radioligand_is_a_radioligand_and_liver_directed()
    {
        var result = Classify(NetStudy("Selective Intra-arterial Injection of PRRT in Neuroendocrine Tumor Patients With Liver Metastases")
            .Drug("[90]Y-DOTATOC"));

        Assert.Contains("other-radioligand", result.TherapyTypes);
        Assert.Contains("liver-directed", result.TherapyTypes);
        Assert.DoesNotContain("lu177-prrt", result.TherapyTypes);
    }

    [Fact]
    public void An_intravenous_radioligand_is_not_liver_directed()
    {
        var result = Classify(NetStudy("Yttrium-90 DOTATOC for Neuroendocrine Tumors").Drug("[90]Y-DOTATOC"));

        Assert.Equal(["other-radioligand"], result.TherapyTypes);
    }

    [Theory]
    [InlineData("Tarlatamab")]
    [InlineData("MLN8237")]
    [InlineData("Sacituzumab govitecan")]
    [InlineData("TROP2-ADC")]
    public void Bispecific_engagers_antibody_drug_conjugates_and_drug_codes_are_targeted_therapy(string drug)
    {
        var result = Classify(NetStudy("A Study in Neuroendocrine Carcinoma").Drug(drug));

        Assert.Equal(["targeted-therapy"], result.TherapyTypes);
    }

    [Fact]
    public void Keywords_name_the_treatment_where_the_interventions_are_silent_but_not_where_they_are_listed()
    {
        var silent = Classify(NetStudy("Refractory Digestive Neuroendocrine Carcinomas Treated With Tarlatamab").Keyword("Tarlatamab", "FOLFIRI"));
        var listed = Classify(NetStudy("A Study in Digestive Neuroendocrine Carcinomas").Keyword("FOLFIRI").Drug("Tarlatamab"));

        Assert.Contains("chemotherapy", silent.TherapyTypes);
        Assert.DoesNotContain("chemotherapy", listed.TherapyTypes);
    }

    [Theory]
    [InlineData("MK-3475", "checkpoint-inhibitor")]
    [InlineData("BMS-936558", "checkpoint-inhibitor")]
    [InlineData("MEDI4736", "checkpoint-inhibitor")]
    [InlineData("Serplulimab", "checkpoint-inhibitor")]
    [InlineData("Sulfatinib", "targeted-therapy")]
    [InlineData("HMPL-012", "targeted-therapy")]
    [InlineData("RAD001", "targeted-therapy")]
    [InlineData("XL184", "targeted-therapy")]
    [InlineData("Epirubicin", "chemotherapy")]
    [InlineData("Nedaplatin", "chemotherapy")]
    public void Drug_codes_and_other_names_from_the_thesaurus_are_tagged_by_their_class(string drug, string slug)
    {
        var result = Classify(NetStudy("A Study in Advanced Neuroendocrine Neoplasms").Drug(drug));

        Assert.Equal([slug], result.TherapyTypes);
    }

    [Theory]
    [InlineData("Brachytherapy")]
    [InlineData("Gamma Knife radiosurgery")]
    [InlineData("Carbon ion radiotherapy")]
    public void Sealed_source_and_particle_radiotherapy_is_radiotherapy(string name)
    {
        var result = Classify(NetStudy("Local Therapy for Neuroendocrine Tumor Metastases").Intervention("RADIATION", name));

        Assert.Equal(["radiotherapy"], result.TherapyTypes);
    }

    [Fact]
    public void A_thesaurus_drug_code_named_only_as_prior_treatment_is_not_given()
    {
        var result = Classify(NetStudy("A Study in Advanced NET")
            .Criteria("Inclusion Criteria:\n* Progression after prior RAD001\nExclusion Criteria:\n* Pregnancy")
            .Drug("Lutathera"));

        Assert.Equal(["lu177-prrt"], result.TherapyTypes);
    }

    // --- Backbone named with the new drug, background care, and refractoriness written in other ways (issue 13, round 4).

    [Fact]
    public void The_backbone_a_title_adds_the_new_drug_to_is_given_even_where_only_the_new_drug_is_listed()
    {
        var added = Classify(new RegistryRecordBuilder()
            .Title("Testing the Addition of an Anticancer Drug, Olaparib, to the Usual Chemotherapy (Temozolomide) for Advanced Pheochromocytoma")
            .Condition("Metastatic Paraganglioma")
            .Drug("Olaparib"));
        var earlier = Classify(NetStudy("Pembrolizumab Added to Lanreotide in NET Previously Treated With Chemotherapy").Drug("Pembrolizumab"));

        Assert.Contains("chemotherapy", added.TherapyTypes);
        Assert.Contains("targeted-therapy", added.TherapyTypes);
        Assert.Contains("somatostatin-analogue", earlier.TherapyTypes);
        Assert.DoesNotContain("chemotherapy", earlier.TherapyTypes);
    }

    [Fact]
    public void A_summary_sentence_combining_treatments_names_the_backbone_but_a_hedged_rationale_does_not()
    {
        var given = Classify(NeuroblastomaStudy("Dinutuximab in Relapsed Neuroblastoma")
            .Summary("Participants receive dinutuximab in combination with irinotecan and temozolomide.").Drug("Dinutuximab"));
        var hedged = Classify(NeuroblastomaStudy("Dinutuximab in Relapsed Neuroblastoma")
            .Summary("Dinutuximab given in combination with chemotherapy may work better in some patients.").Drug("Dinutuximab"));

        Assert.Contains("chemotherapy", given.TherapyTypes);
        Assert.DoesNotContain("chemotherapy", hedged.TherapyTypes);
    }

    [Fact]
    public void The_disease_s_usual_care_in_a_summary_is_not_given_in_the_trial()
    {
        var background = Classify(new RegistryRecordBuilder().Title("Prognostic Factors of Head and Neck Paragangliomas").Condition("Paraganglioma")
            .Summary("The standard of care is classically surgical but may expose to important sequelae. Surgery is the treatment of choice for small tumours."));
        var given = Classify(new RegistryRecordBuilder().Title("Neoadjuvant Temozolomide in Paraganglioma").Condition("Paraganglioma")
            .Summary("Patients will undergo surgery after three cycles.").Drug("Temozolomide"));

        Assert.DoesNotContain("surgery", background.TherapyTypes);
        Assert.Contains("surgery", given.TherapyTypes);
    }

    [Fact]
    public void Haploidentical_nk_cells_are_a_cell_therapy_and_not_a_transplant()
    {
        var cells = Classify(NeuroblastomaStudy("Haploidentical Natural Killer Cells in Relapsed Neuroblastoma"));
        var transplant = Classify(NeuroblastomaStudy("Haploidentical Stem Cell Transplantation in Neuroblastoma"));

        Assert.Contains("cell-therapy", cells.TherapyTypes);
        Assert.DoesNotContain("stem-cell-transplant", cells.TherapyTypes);
        Assert.Contains("stem-cell-transplant", transplant.TherapyTypes);
    }

    [Theory]
    [InlineData("Pancreatic NET after progression to a previous targeted agent")]
    [InlineData("Recurrent or persistent disease after standard therapy")]
    [InlineData("Tumours not responding to conventional treatment")]
    [InlineData("Up to two prior systemic therapies for metastatic disease")]
    [InlineData("Relapsed or progressive disease")]
    [InlineData("Disease that did not respond to induction chemotherapy")]
    [InlineData("Residual disease following four cycles of induction")]
    [InlineData("Failure of only one line of prior systemic cancer treatment")]
    public void Refractoriness_written_in_other_ways_makes_the_study_refractory(string criterion)
    {
        var result = Classify(NetStudy("A Study in Advanced NET").Criteria($"Inclusion Criteria:\n* {criterion}\nExclusion Criteria:\n* Pregnancy"));

        Assert.True(result.TakesRefractory);
    }

    [Fact]
    public void Progression_as_an_outcome_and_surgery_as_the_only_earlier_treatment_are_not_relapse()
    {
        var outcome = Classify(NetStudy("Primary Tumour Resection in Small Intestinal NET")
            .Summary("The study will also assess how long patients stay free from disease progression."));
        var adjuvant = Classify(NetStudy("Everolimus in Pancreatic NET Metastatic to the Liver Previously Treated With Surgery"));

        Assert.False(outcome.TakesRefractory);
        Assert.False(adjuvant.TakesRefractory);
    }

    [Fact]
    public void A_recurrent_condition_term_does_not_make_a_study_of_newly_or_previously_diagnosed_patients_refractory()
    {
        var newlyDiagnosed = Classify(new RegistryRecordBuilder().Title("Intensive Therapy in Patients With Newly Diagnosed High-Risk Neuroblastoma")
            .Condition("Recurrent Neuroblastoma", "Stage 4 Neuroblastoma"));
        var survivors = Classify(new RegistryRecordBuilder().Title("Late Effects After Treatment in Patients With Previously Diagnosed High-Risk Neuroblastoma")
            .Condition("Recurrent Neuroblastoma"));

        Assert.False(newlyDiagnosed.TakesRefractory);
        Assert.False(survivors.TakesRefractory);
    }

    // --- Scope: the population's own treatment and what other studies did are not given in the trial. The sentences are
    // taken from development records (NCT00085930, NCT01601535, NCT03724409, NCT06172296, the snapshot's telotristat trial).

    [Theory]
    [InlineData("Additional in vitro and in vivo studies have shown that Aurora A kinase inhibitors result in enhanced cytotoxicity when used in combination with chemotherapy.", "chemotherapy")]
    [InlineData("Patients who received localized emergency radiation to sites of life threatening disease may take part.", "radiotherapy")]
    public void A_neuroblastoma_summary_sentence_about_other_studies_or_the_patients_history_does_not_tag(string sentence, string slug)
    {
        var result = Classify(NeuroblastomaStudy("A Study in Relapsed Neuroblastoma").Summary(sentence));

        Assert.DoesNotContain(slug, result.TherapyTypes);
    }

    [Theory]
    [InlineData("In other studies, 90Y-DOTATOC has been administered through a vein (IV) to target somatostatin receptor positive tumor tissue.", "other-radioligand")]
    [InlineData("Patients currently receiving stable-dose somatostatin analog (SSA) therapy are randomised to the study drug or placebo.", "somatostatin-analogue")]
    [InlineData("Patients in whom standard chemotherapy has failed are randomised to the study drug or placebo.", "chemotherapy")]
    [InlineData("Quality of life is compared in patients receiving chemotherapy and in patients under surveillance.", "chemotherapy")]
    [InlineData("Patients given an autologous stem cell transplant before enrolment are followed for late effects.", "stem-cell-transplant")]
    public void A_net_summary_sentence_about_other_studies_or_the_patients_history_does_not_tag(string sentence, string slug)
    {
        var result = Classify(NetStudy("A Study in Advanced Neuroendocrine Tumours").Summary(sentence));

        Assert.DoesNotContain(slug, result.TherapyTypes);
    }

    [Fact]
    public void Patients_who_received_a_therapy_are_history_in_a_trial_and_the_cohort_s_treatment_in_an_observational_study()
    {
        const string summary = "Outcomes are evaluated in patients who received 177Lu-DOTATATE for progressive midgut NET.";
        var trial = Classify(NetStudy("Quality of Life in Midgut NET").Summary(summary));
        var cohort = Classify(NetStudy("Quality of Life in Midgut NET").StudyType("OBSERVATIONAL").Summary(summary));

        Assert.DoesNotContain("lu177-prrt", trial.TherapyTypes);
        Assert.Contains("lu177-prrt", cohort.TherapyTypes);
    }

    /// <summary>Descriptions are read for every tag, so background written there must be told apart sentence by sentence.</summary>
    [Fact]
    public void An_intervention_description_about_what_other_antibodies_did_tags_only_what_the_trial_gives()
    {
        var result = Classify(NeuroblastomaStudy("GD2-CAR EBV-Specific CTLs in Relapsed Neuroblastoma")
            .DescribedIntervention("BIOLOGICAL", "GD2-CAR EBV-specific CTLs",
                "14g2a and other antibodies that bind to GD2 have been used to treat people with neuroblastoma. "
                + "Patients receive an infusion of autologous EBV-specific CTLs that carry a GD2 chimeric antigen receptor."));

        Assert.Contains("cell-therapy", result.TherapyTypes);
        Assert.DoesNotContain("anti-gd2", result.TherapyTypes);
    }

    [Fact]
    public void An_arm_description_naming_an_approved_drug_as_background_does_not_tag_it()
    {
        var result = Classify(NetStudy("Telotristat in Carcinoid Syndrome")
            .Arm("Telotristat", "EXPERIMENTAL", "Everolimus is approved for progressive NET of lung or gut origin. Participants take telotristat ethyl three times daily.", "Telotristat Ethyl")
            .Drug("Telotristat Ethyl"));

        Assert.DoesNotContain("targeted-therapy", result.TherapyTypes);
    }

    [Theory]
    [InlineData("In this study, 90Y-DOTATOC will be administered through the hepatic artery.", "other-radioligand")]
    [InlineData("Participants receive lanreotide every 28 days and are assessed for symptom control.", "somatostatin-analogue")]
    [InlineData("Patients are randomised to chemotherapy with capecitabine and temozolomide or to everolimus.", "chemotherapy")]
    [InlineData("This study evaluates everolimus in patients whose tumours have grown.", "targeted-therapy")]
    [InlineData("This study evaluates 177Lu-DOTATATE in patients with NETs that have shown progression on octreotide.", "lu177-prrt")]
    [InlineData("Participants receive lanreotide for 12 weeks before randomisation to the study drug or placebo.", "somatostatin-analogue")]
    public void Near_misses_a_summary_sentence_that_gives_the_therapy_still_tags_it(string sentence, string slug)
    {
        var result = Classify(NetStudy("A Study in Advanced Neuroendocrine Tumours").Summary(sentence));

        Assert.Contains(slug, result.TherapyTypes);
    }

    [Fact]
    public void A_reported_result_does_not_reach_past_the_trial_s_own_treatment_in_the_same_sentence()
    {
        var result = Classify(NeuroblastomaStudy("A Study in Relapsed Neuroblastoma")
            .Summary("Previous studies have shown activity of GD2 antibodies, so this study will give dinutuximab with irinotecan."));

        Assert.Contains("anti-gd2", result.TherapyTypes);
        Assert.Contains("chemotherapy", result.TherapyTypes);
    }

    [Theory]
    [InlineData("Patients for whom standard treatment has failed")]
    [InlineData("Patients whose standard therapy failed")]
    [InlineData("Disease that no longer responds to somatostatin analogues")]
    [InlineData("Documented treatment failure of at least one systemic therapy")]
    public void Failure_of_standard_treatment_written_after_the_treatment_makes_the_study_refractory(string criterion)
    {
        var result = Classify(NetStudy("A Study in Advanced NET").Criteria($"Inclusion Criteria:\n* {criterion}\nExclusion Criteria:\n* Pregnancy"));

        Assert.True(result.TakesRefractory);
    }

    [Fact]
    public void Treatment_failure_as_an_outcome_is_not_relapse()
    {
        var result = Classify(NetStudy("Lanreotide in Advanced NET").Summary("The primary outcome is time to treatment failure."));

        Assert.False(result.TakesRefractory);
    }

    // --- A drug code the vocabulary cannot read: LABELLING.md tags the class the record gives it, and no tag otherwise.

    [Fact]
    public void A_summary_giving_an_intervention_code_as_an_example_of_a_class_tags_the_class()
    {
        // The summary sentence of the development record NCT00436852.
        var result = Classify(NeuroblastomaStudy("ABT-751 in Treating Children With Relapsed Neuroblastoma").Drug("ABT-751")
            .Summary("Drugs used in chemotherapy, such as ABT-751, work in different ways to stop the growth of tumor cells, either by killing the cells or by stopping them from dividing."));

        Assert.Equal(["chemotherapy"], result.TherapyTypes);
    }

    [Fact]
    public void Near_miss_a_class_whose_example_is_not_an_intervention_of_the_trial_and_a_bare_code_tag_nothing()
    {
        var otherExample = Classify(NeuroblastomaStudy("XY-1234 in Relapsed Neuroblastoma").Drug("XY-1234")
            .Summary("Drugs used in chemotherapy, such as cyclophosphamide, work in different ways to stop the growth of tumor cells."));
        var bareCode = Classify(NeuroblastomaStudy("XY-1234 in Relapsed Neuroblastoma").Drug("XY-1234")
            .Summary("XY-1234 may stop the growth of tumor cells by blocking some of the enzymes needed for cell growth."));

        Assert.Empty(otherExample.TherapyTypes);
        Assert.Empty(bareCode.TherapyTypes);
    }

    // --- Side effects, usual care and the disease's history name a therapy the trial does not give.

    [Theory]
    [InlineData("Acupuncture for Chemotherapy-Induced Nausea in Children With Neuroblastoma", "chemotherapy")]
    [InlineData("Exercise for Radiotherapy-Related Fatigue in Children With Neuroblastoma", "radiotherapy")]
    public void A_side_effect_of_a_therapy_does_not_tag_the_therapy(string title, string slug)
    {
        var result = Classify(NeuroblastomaStudy(title));

        Assert.DoesNotContain(slug, result.TherapyTypes);
    }

    [Theory]
    [InlineData("Most people with paraganglioma are treated with surgery.", "surgery")]
    [InlineData("Treatment ranges from watchful waiting to total pancreatectomy.", "surgery")]
    [InlineData("Localized tumours can generally be effectively treated with surgery.", "surgery")]
    [InlineData("Most patients have a poor prognosis despite multimodal therapy including surgery and autologous stem cell transplantation.", "stem-cell-transplant")]
    public void A_summary_sentence_about_the_disease_s_usual_care_does_not_tag_it(string sentence, string slug)
    {
        var result = Classify(NetStudy("A Study in Advanced Neuroendocrine Tumours").Summary(sentence));

        Assert.DoesNotContain(slug, result.TherapyTypes);
    }

    [Fact]
    public void Near_miss_surgery_the_trial_plans_still_tags()
    {
        var result = Classify(NetStudy("A Study in Advanced Neuroendocrine Tumours")
            .Summary("Patients will undergo surgery to remove the primary tumour after four cycles."));

        Assert.Contains("surgery", result.TherapyTypes);
    }

    [Fact]
    public void A_transplant_before_the_trial_written_post_is_history()
    {
        var result = Classify(NeuroblastomaStudy("GD2-CAR T Cells for Relapsed Neuroblastoma Post-allo Stem Cell Transplantation"));

        Assert.DoesNotContain("stem-cell-transplant", result.TherapyTypes);
    }

    [Fact]
    public void The_antibody_a_therapeutic_isotope_is_bound_to_is_the_radioligand_not_a_second_therapy()
    {
        var radiolabelled = Classify(NeuroblastomaStudy("A Study in Relapsed Neuroblastoma").Drug("iodine I 131 monoclonal antibody 3F8"));
        var both = Classify(NeuroblastomaStudy("A Study in Relapsed Neuroblastoma").Drug("iodine I 131 monoclonal antibody 3F8").Drug("hu3F8"));

        Assert.Contains("other-radioligand", radiolabelled.TherapyTypes);
        Assert.DoesNotContain("anti-gd2", radiolabelled.TherapyTypes);
        Assert.Contains("anti-gd2", both.TherapyTypes);
    }

    // --- Relapsed or refractory read as a clinician reads the eligibility.

    [Theory]
    [InlineData("Prior systemic chemotherapy for metastatic disease is allowed.")]
    [InlineData("Prior treatment with somatostatin analogues or everolimus is permitted.")]
    public void A_criterion_allowing_earlier_systemic_treatment_opens_the_trial_to_previously_treated_patients(string criterion)
    {
        var inclusion = Classify(NetStudy("A Study in Advanced NET").Criteria($"Inclusion Criteria:\n* Measurable disease\nExclusion Criteria:\n* {criterion}"));

        Assert.True(inclusion.TakesRefractory);
    }

    [Fact]
    public void Near_misses_prior_treatment_not_allowed_or_allowed_before_adjuvant_treatment_are_not_relapse()
    {
        var notAllowed = Classify(NetStudy("A Study in Advanced NET")
            .Criteria("Inclusion Criteria:\n* Measurable disease\nExclusion Criteria:\n* Prior systemic chemotherapy is not allowed."));
        var adjuvant = Classify(NetStudy("Adjuvant Everolimus After Resection of Pancreatic NET Liver Metastases")
            .Criteria("Inclusion Criteria:\n* Complete resection\n* Prior treatment with sunitinib is allowed."));

        Assert.False(notAllowed.TakesRefractory);
        Assert.False(adjuvant.TakesRefractory);
    }

    [Theory]
    [InlineData("Participants continue treatment until disease progression or unacceptable toxicity.")]
    [InlineData("Lanreotide is given as maintenance treatment after first-line chemotherapy.")]
    [InlineData("Patients who had not previously received standard therapy are enrolled.")]
    public void Treatment_duration_maintenance_after_first_line_and_negated_earlier_treatment_are_not_relapse(string sentence)
    {
        var result = Classify(NetStudy("Lanreotide in Advanced NET").Summary(sentence));

        Assert.False(result.TakesRefractory);
    }

    [Fact]
    public void A_response_category_defined_in_the_criteria_is_not_relapse()
    {
        var result = Classify(NeuroblastomaStudy("Consolidation in High-Risk Neuroblastoma")
            .Criteria("Inclusion Criteria:\n* Complete response after induction\n* Progressive disease (PD): new lesions appear\nExclusion Criteria:\n* Pregnancy"));

        Assert.False(result.TakesRefractory);
    }

    // --- Diseases and sites: names from NCIt and MeSH that a keyword match confuses.

    [Theory]
    [InlineData("Neutrophil Extracellular Traps (NETs) Formation Following Chemotherapy in Children With Cancer")]
    [InlineData("Topotecan in Ewing's Sarcoma/Peripheral PNET")]
    public void Neutrophil_extracellular_traps_and_peripheral_pnet_are_not_neuroendocrine_tumours(string title)
    {
        var result = Classify(new RegistryRecordBuilder().Title(title));

        Assert.DoesNotContain(StudyClassifier.NetSlug, result.Diseases);
    }

    [Fact]
    public void A_population_sentence_keeps_the_disease_it_names_before_an_unrelated_negation()
    {
        var result = Classify(new RegistryRecordBuilder().Title("Long-Term Infusion of ch14.18/CHO Plus Aldesleukin")
            .Summary("The aim is to give ch14.18/CHO to children with relapsed neuroblastoma without intravenous morphine."));
        var negated = Classify(new RegistryRecordBuilder().Title("Pain Control After Abdominal Surgery")
            .Summary("Children without neuroblastoma are enrolled."));

        Assert.Contains("neuroblastoma", result.Diseases);
        Assert.DoesNotContain("neuroblastoma", negated.Diseases);
    }

    [Theory]
    [InlineData("Recurrent Neuroendocrine Carcinoma of the Skin")]
    [InlineData("Stage IV Cutaneous Neuroendocrine Carcinoma")]
    public void Neuroendocrine_carcinoma_of_the_skin_is_merkel_cell_carcinoma(string condition)
    {
        var result = Classify(new RegistryRecordBuilder().Title("Imatinib in Skin Cancer").Condition(condition));

        Assert.Contains("merkel-cell", result.NetSubtypes);
        Assert.DoesNotContain("neuroendocrine-carcinoma", result.NetSubtypes);
    }

    [Fact]
    public void Well_differentiated_neuroendocrine_carcinoma_is_the_old_name_of_a_net_not_an_nec()
    {
        var oldName = Classify(new RegistryRecordBuilder().Title("Octreotide and Axitinib in Advanced Well-differentiated Neuroendocrine Carcinomas"));
        var nec = Classify(new RegistryRecordBuilder().Title("Cisplatin and Etoposide in Poorly Differentiated Neuroendocrine Carcinomas"));

        Assert.DoesNotContain("neuroendocrine-carcinoma", oldName.NetSubtypes);
        Assert.Contains("neuroendocrine-carcinoma", nec.NetSubtypes);
    }

    [Theory]
    [InlineData("Ga-68 PET/CT in GEP-NET or Broncho-pulmonary NET", new[] { "gep", "pancreatic", "gastrointestinal", "lung" })]
    [InlineData("Lanreotide in Duodeno-pancreatic Neuroendocrine Tumours", new[] { "gep", "pancreatic", "gastrointestinal" })]
    public void Sites_written_with_a_hyphen_are_read(string title, string[] sites)
    {
        var result = Classify(new RegistryRecordBuilder().Title(title));

        Assert.All(sites, site => Assert.Contains(site, result.NetSubtypes));
    }

    [Fact]
    public void A_summary_sentence_about_other_studies_names_no_enrolled_site()
    {
        var result = Classify(NetStudy("Lanreotide in Small Pancreatic NET in MEN1")
            .Summary("Somatostatin analogues have shown promising results in duodeno-pancreatic neuroendocrine tumours."));

        Assert.DoesNotContain("gep", result.NetSubtypes);
        Assert.Contains("pancreatic", result.NetSubtypes);
    }

    [Fact]
    public void Organs_a_net_arises_in_are_its_sites_and_organs_it_spread_to_are_not()
    {
        var origins = Classify(NetStudy("Pembrolizumab in Advanced Solid Tumours")
            .Criteria("Inclusion Criteria:\n* Neuroendocrine tumors (well- and moderately-differentiated) of the lung, appendix, small intestine, colon, rectum, or pancreas\nExclusion Criteria:\n* Pregnancy"));
        var spread = Classify(NetStudy("Everolimus in Advanced Midgut NET")
            .Criteria("Inclusion Criteria:\n* Neuroendocrine tumor of the small bowel with metastases to the lung or liver\nExclusion Criteria:\n* Pregnancy"));

        Assert.Contains("lung", origins.NetSubtypes);
        Assert.Contains("pancreatic", origins.NetSubtypes);
        Assert.Contains("gastrointestinal", origins.NetSubtypes);
        Assert.DoesNotContain("lung", spread.NetSubtypes);
    }

    [Fact]
    public void A_title_listing_the_trial_s_treatments_with_and_or_tags_each()
    {
        var result = Classify(NeuroblastomaStudy("Observation, Combination Chemotherapy, Radiation Therapy, and/or Autologous Stem Cell Transplant in Treating Young Patients With Neuroblastoma")
            .Drug("carboplatin"));

        Assert.Contains("radiotherapy", result.TherapyTypes);
        Assert.Contains("chemotherapy", result.TherapyTypes);
    }

    [Fact]
    public void A_summary_sentence_measuring_a_radioligand_s_toxicity_names_what_the_trial_gives()
    {
        var result = Classify(NeuroblastomaStudy("MIBG for Refractory Neuroblastoma")
            .Summary("This study is designed to determine the palliative benefit and toxicity of 131I-MIBG in patients with progressive neuroblastoma."));

        Assert.Contains("mibg", result.TherapyTypes);
    }

    [Fact]
    public void Systemic_targeted_radiotherapy_in_a_radioligand_trial_s_name_is_not_external_beam()
    {
        var result = Classify(NetStudy("Systemic Targeted Adaptive RadioTherapy of NeuroEndocrine Tumors").Drug("177Lu-DOTATOC"));

        Assert.Contains("lu177-prrt", result.TherapyTypes);
        Assert.DoesNotContain("radiotherapy", result.TherapyTypes);
    }

    [Fact]
    public void A_summary_sentence_about_other_studies_of_the_drugs_does_not_tag_their_comparator()
    {
        var result = Classify(NetStudy("Interferon and Octreotide in Metastatic Gastrinoma").Drug("Interferon")
            .Summary("In studies of patients with similar tumours, the drugs octreotide and interferon, alone or in combination, were better tolerated than chemotherapy."));

        Assert.DoesNotContain("chemotherapy", result.TherapyTypes);
    }

    [Fact]
    public void Near_miss_a_comparison_of_the_trial_s_own_arms_still_tags_the_comparator()
    {
        var result = Classify(NetStudy("Surufatinib Plus Toripalimab in Advanced Neuroendocrine Carcinoma")
            .Summary("To evaluate the efficacy of surufatinib combined with toripalimab compared with FOLFIRI in advanced neuroendocrine carcinoma."));

        Assert.Contains("chemotherapy", result.TherapyTypes);
    }

    [Fact]
    public void A_tumour_that_cannot_be_removed_by_surgery_is_not_operated_on_in_the_trial()
    {
        var result = Classify(NetStudy("Octreotide in Metastatic Gastrinoma")
            .Summary("Gastrinomas that have spread and cannot be surgically removed require drug treatment."));

        Assert.DoesNotContain("surgery", result.TherapyTypes);
    }

    [Theory]
    [InlineData("low-LET photon therapy")]
    [InlineData("low-LET cobalt-60 gamma ray therapy")]
    public void Radiation_interventions_named_as_old_nci_records_name_them_are_radiotherapy(string name)
    {
        var result = Classify(NeuroblastomaStudy("Intensive Therapy for Neuroblastoma").Intervention("RADIATION", name));

        Assert.Contains("radiotherapy", result.TherapyTypes);
    }

    [Theory]
    [InlineData("Medulloblastoma/PNET")]
    [InlineData("Posterior fossa PNET must be M1-3")]
    [InlineData("Ewing's sarcoma/PNET of bone")]
    public void Pnet_beside_a_cns_or_ewing_tumour_is_a_primitive_neuroectodermal_tumour_not_a_pancreatic_net(string criterion)
    {
        var result = Classify(new RegistryRecordBuilder().Title("Irinotecan in Children With Refractory Solid Tumors")
            .Criteria($"Inclusion Criteria:\n* Histologically confirmed solid tumour:\n* {criterion}\nExclusion Criteria:\n* Pregnancy"));

        Assert.DoesNotContain(StudyClassifier.NetSlug, result.Diseases);
    }

    [Fact]
    public void Bone_marrow_ablation_is_conditioning_not_liver_directed_therapy_and_an_interleukin_12_synonym_is_no_cell_therapy()
    {
        var result = Classify(NeuroblastomaStudy("High-Dose Therapy in Neuroblastoma")
            .Intervention("PROCEDURE", "bone marrow ablation with stem cell support")
            .Intervention("BIOLOGICAL", "recombinant interleukin-12", "natural killer cell stimulatory factor"));

        Assert.DoesNotContain("liver-directed", result.TherapyTypes);
        Assert.DoesNotContain("cell-therapy", result.TherapyTypes);
    }

    [Fact]
    public void Untreated_progression_to_a_higher_stage_is_not_relapse()
    {
        var result = Classify(NeuroblastomaStudy("Intensive Therapy for High-Risk Neuroblastoma")
            .Criteria("Inclusion Criteria:\n* Stage I, II, or IVS with disease progression to stage IV without interval chemotherapy\nExclusion Criteria:\n* Pregnancy"));

        Assert.False(result.TakesRefractory);
    }

    [Theory]
    [InlineData("No more than 2 prior chemotherapy regimens")]
    [InlineData("At least 4 weeks since prior chemotherapy")]
    public void Criteria_counting_or_timing_earlier_systemic_treatment_open_the_trial_to_previously_treated_patients(string criterion)
    {
        var result = Classify(NetStudy("Irinotecan in Advanced Neuroendocrine Carcinoma")
            .Criteria($"Inclusion Criteria:\n* Measurable disease\n* {criterion}\nExclusion Criteria:\n* Pregnancy"));

        Assert.True(result.TakesRefractory);
    }

    [Fact]
    public void A_recurrent_keyword_does_not_make_a_trial_with_criteria_refractory()
    {
        var result = Classify(new RegistryRecordBuilder().Title("Radiolabelled Antibody in Newly Diagnosed Brain Tumours")
            .Keyword("recurrent adult brain tumor")
            .Criteria("Inclusion Criteria:\n* Histologically confirmed newly diagnosed supratentorial brain tumour\nExclusion Criteria:\n* Pregnancy"));

        Assert.False(result.TakesRefractory);
    }

    [Theory]
    [InlineData("Antineoplastons in Neuroendocrine Tumour Unlikely to Respond to Surgery or Radiation Therapy", "surgery")]
    [InlineData("Endoscopic Stents Are Less Invasive Than Surgery for Duodenal Obstruction in Carcinoid Tumour", "surgery")]
    public void A_therapy_named_as_unlikely_to_help_or_as_the_alternative_is_not_given(string title, string slug)
    {
        var result = Classify(NetStudy(title));

        Assert.DoesNotContain(slug, result.TherapyTypes);
    }

    [Fact]
    public void Becatecarin_is_chemotherapy()
    {
        var result = Classify(NeuroblastomaStudy("Rebeccamycin Analogue in Children With Solid Tumors").Drug("becatecarin"));

        Assert.Contains("chemotherapy", result.TherapyTypes);
    }

    [Fact]
    public void A_trial_of_healthy_volunteers_enrols_nobody_with_the_disease_its_condition_names()
    {
        var volunteers = Classify(new RegistryRecordBuilder().Title("Dosimetry of a New Imaging Agent").Condition("Neuroendocrine Tumors")
            .Criteria("Inclusion Criteria:\n* Normal healthy volunteers\n* At least 21 years of age\nExclusion Criteria:\n* Pregnancy"));
        var both = Classify(new RegistryRecordBuilder().Title("Dosimetry of a New Imaging Agent").Condition("Neuroendocrine Tumors")
            .Criteria("Inclusion Criteria:\n* Healthy volunteers or patients with a neuroendocrine tumour\nExclusion Criteria:\n* Pregnancy"));

        Assert.Empty(volunteers.Diseases);
        Assert.Contains(StudyClassifier.NetSlug, both.Diseases);
    }

    [Fact]
    public void A_gep_name_in_brackets_after_a_midgut_tumour_names_its_family_not_a_pancreatic_site()
    {
        var apposition = Classify(NetStudy("Lu177-Dotatate Intervals in Midgut NET")
            .Summary("Patients with slowly progressive, well-differentiated midgut neuroendocrine tumors (GEP-NETs) are randomised."));
        var gep = Classify(NetStudy("Lu177-Dotatate in GEP-NET")
            .Summary("Patients with gastroenteropancreatic neuroendocrine tumors (GEP-NETs) are randomised."));

        Assert.Contains("gastrointestinal", apposition.NetSubtypes);
        Assert.DoesNotContain("gep", apposition.NetSubtypes);
        Assert.DoesNotContain("pancreatic", apposition.NetSubtypes);
        Assert.Contains("gep", gep.NetSubtypes);
    }
}
