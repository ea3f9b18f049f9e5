using TrialFinder.Core.Classification;

namespace TrialFinder.Core.Tests.Classification;

public class StudyClassifierTests
{
    private static StudyClassification Classify(RegistryRecordBuilder record) =>
        StudyClassifier.Default.Classify(record.Build());

    /// <summary>A neutral study: a title and condition that name no therapy, so only the intervention can tag it.</summary>
    private static RegistryRecordBuilder TreatmentStudy() =>
        new RegistryRecordBuilder().Title("A Study in Children With High-Risk Cancer").Condition("Neuroblastoma");

    // One row per therapy type, written as the registry writes intervention names.
    public static TheoryData<string, string, string> TherapiesByInterventionName() => new()
    {
        { "BIOLOGICAL", "Dinutuximab beta", "anti-gd2" },
        { "BIOLOGICAL", "Dinutuximab", "anti-gd2" },
        { "BIOLOGICAL", "hu3F8", "anti-gd2" },
        { "DRUG", "Naxitamab", "anti-gd2" },
        { "BIOLOGICAL", "hu14.18K322A", "anti-gd2" },
        { "BIOLOGICAL", "ch14.18/CHO", "anti-gd2" },
        { "DRUG", "177Lu-DOTATATE", "lu177-prrt" },
        { "DRUG", "Lutathera", "lu177-prrt" },
        { "DRUG", "Lutetium Lu 177 Dotatate", "lu177-prrt" },
        { "DRUG", "[177Lu]Lu-edotreotide", "lu177-prrt" },
        { "RADIATION", "Peptide receptor radionuclide therapy", "lu177-prrt" },
        { "DRUG", "225Ac-DOTATATE", "other-radioligand" },
        { "DRUG", "212Pb-DOTAMTATE", "other-radioligand" },
        { "DRUG", "Iodine I 131 Omburtamab", "other-radioligand" },
        { "RADIATION", "131I-MIBG", "mibg" },
        { "DRUG", "Iobenguane I-131", "mibg" },
        { "DRUG", "Azedra", "mibg" },
        { "DRUG", "Lorlatinib", "alk-inhibitor" },
        { "DRUG", "Crizotinib", "alk-inhibitor" },
        { "DRUG", "Ceritinib", "alk-inhibitor" },
        { "DRUG", "DFMO", "dfmo" },
        { "DRUG", "Eflornithine", "dfmo" },
        { "BIOLOGICAL", "GD2-CART01", "cell-therapy" },
        { "BIOLOGICAL", "Allogeneic natural killer cells", "cell-therapy" },
        { "BIOLOGICAL", "Bivalent GD2/GD3 vaccine", "vaccine" },
        { "DRUG", "Nivolumab", "checkpoint-inhibitor" },
        { "DRUG", "Pembrolizumab", "checkpoint-inhibitor" },
        { "DRUG", "Everolimus", "targeted-therapy" },
        { "DRUG", "Sunitinib malate", "targeted-therapy" },
        { "DRUG", "Cabozantinib", "targeted-therapy" },
        { "DRUG", "Octreotide LAR", "somatostatin-analogue" },
        { "DRUG", "Lanreotide", "somatostatin-analogue" },
        { "DRUG", "Capecitabine", "chemotherapy" },
        { "DRUG", "Temozolomide", "chemotherapy" },
        { "DRUG", "Cyclophosphamide", "chemotherapy" },
        { "PROCEDURE", "Autologous stem cell transplant", "stem-cell-transplant" },
        { "RADIATION", "External beam radiation therapy", "radiotherapy" },
        { "PROCEDURE", "Surgical resection", "surgery" },
        { "PROCEDURE", "Transarterial chemoembolization", "liver-directed" },
        { "PROCEDURE", "Radiofrequency ablation", "liver-directed" },
    };

    [Theory]
    [MemberData(nameof(TherapiesByInterventionName))]
    public void An_intervention_name_tags_its_therapy_type(string type, string name, string slug)
    {
        var result = Classify(TreatmentStudy().Intervention(type, name));

        Assert.Contains(slug, result.TherapyTypes);
        var evidence = Assert.Single(result.Evidence, e => e.Kind == TagKinds.Therapy && e.Slug == slug);
        Assert.Equal(EvidenceSources.Intervention, evidence.Source);
        Assert.Equal(name, evidence.MatchedText);
    }

    [Fact]
    public void Every_therapy_type_in_the_vocabulary_has_a_case_above()
    {
        var covered = TherapiesByInterventionName().Select(row => (string)row[2]).ToHashSet();
        var missing = Vocabulary.Default.Therapies.Select(t => t.Slug).Where(slug => !covered.Contains(slug)).ToList();
        Assert.True(missing.Count == 0, "Therapy types without a test case: " + string.Join(", ", missing));
    }

    [Fact]
    public void A_brand_name_among_the_other_names_tags_the_therapy_and_says_so()
    {
        var result = Classify(TreatmentStudy().Drug("Investigational antibody", "Danyelza", "Naxitamab-gqgk"));

        Assert.Contains("anti-gd2", result.TherapyTypes);
        var evidence = Assert.Single(result.Evidence, e => e.Slug == "anti-gd2");
        Assert.Equal(EvidenceSources.InterventionOtherName, evidence.Source);
        Assert.Equal("tagged anti-GD2 immunotherapy because of intervention other name 'Danyelza'", evidence.Explain("anti-GD2 immunotherapy"));
    }

    [Fact]
    public void The_title_alone_can_name_the_therapy()
    {
        var result = Classify(new RegistryRecordBuilder().Title("Lorlatinib in Patients With ALK-Driven Neuroblastoma").Condition("Neuroblastoma"));

        Assert.Contains("alk-inhibitor", result.TherapyTypes);
        Assert.Equal(EvidenceSources.Title, Assert.Single(result.Evidence, e => e.Slug == "alk-inhibitor").Source);
    }

    [Fact]
    public void Evidence_explains_which_intervention_caused_the_tag()
    {
        var result = Classify(TreatmentStudy().Intervention("BIOLOGICAL", "Dinutuximab beta").Drug("Isotretinoin"));

        var evidence = Assert.Single(result.Evidence, e => e.Slug == "anti-gd2");
        Assert.Equal(TagKinds.Therapy, evidence.Kind);
        Assert.Equal(EvidenceSources.Intervention, evidence.Source);
        Assert.Equal("Dinutuximab beta", evidence.MatchedText);
        Assert.Equal("dinutuximab*", evidence.Term);
        var name = Vocabulary.Default.FindTherapy("anti-gd2")!.Name;
        Assert.Equal("tagged anti-GD2 immunotherapy because of intervention 'Dinutuximab beta'", evidence.Explain(name));
    }

    [Fact]
    public void Every_tag_has_evidence_and_every_evidence_is_a_tag()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Lutathera Versus Everolimus in Progressive Pancreatic Neuroendocrine Tumours")
            .Condition("Pancreatic Neuroendocrine Tumor")
            .Drug("Lutetium Lu 177 Dotatate", "Lutathera")
            .Drug("Everolimus"));

        var tags = result.Diseases.Select(s => (TagKinds.Disease, s))
            .Concat(result.NetSubtypes.Select(s => (TagKinds.NetSubtype, s)))
            .Concat(result.TherapyTypes.Select(s => (TagKinds.Therapy, s)))
            .Concat(result.TakesRefractory ? [(TagKinds.Refractory, "refractory")] : Array.Empty<(string, string)>())
            .Order()
            .ToList();
        Assert.Equal(tags, result.Evidence.Select(e => (e.Kind, e.Slug)).Order().ToList());
        Assert.Equal(["net"], result.Diseases);
        Assert.Equal(["pancreatic"], result.NetSubtypes);
        Assert.True(result.TakesRefractory);
        Assert.Equal(new[] { "lu177-prrt", "targeted-therapy" }.Order(), result.TherapyTypes.Order());
    }

    // --- Near misses: names that look like a therapy or disease but are not.

    [Theory]
    [InlineData("Olfactory Neuroblastoma")]
    [InlineData("Esthesioneuroblastoma")]
    public void Olfactory_neuroblastoma_is_not_neuroblastoma(string condition)
    {
        var result = Classify(new RegistryRecordBuilder().Title("Proton Therapy for Sinonasal Tumours").Condition(condition));
        Assert.DoesNotContain("neuroblastoma", result.Diseases);
    }

    [Fact]
    public void An_mibg_scan_is_not_mibg_therapy()
    {
        var result = Classify(TreatmentStudy().Intervention("DRUG", "123I-MIBG scan"));
        Assert.DoesNotContain("mibg", result.TherapyTypes);
    }

    [Fact]
    public void An_mibg_intervention_that_is_a_diagnostic_test_is_not_mibg_therapy()
    {
        var result = Classify(TreatmentStudy().Intervention("DIAGNOSTIC_TEST", "131I-MIBG", "Iobenguane I-131"));

        Assert.DoesNotContain("mibg", result.TherapyTypes);
        Assert.DoesNotContain(result.Evidence, e => e.Kind == TagKinds.Therapy);
    }

    [Theory]
    [InlineData("DRUG", "Ga-68 DOTATATE PET")]
    [InlineData("DRUG", "Gallium Ga 68-DOTATATE")]
    [InlineData("DRUG", "68Ga-DOTATOC PET/CT")]
    [InlineData("DIAGNOSTIC_TEST", "64Cu-DOTATATE PET")]
    public void A_somatostatin_receptor_pet_tracer_is_neither_prrt_nor_a_somatostatin_analogue(string type, string name)
    {
        var result = Classify(new RegistryRecordBuilder().Title("Imaging in Neuroendocrine Tumors").Condition("Neuroendocrine Tumors").Intervention(type, name));

        Assert.DoesNotContain("lu177-prrt", result.TherapyTypes);
        Assert.DoesNotContain("somatostatin-analogue", result.TherapyTypes);
    }

    [Fact]
    public void Lutetium_psma_for_prostate_cancer_is_not_lu177_prrt()
    {
        var result = Classify(new RegistryRecordBuilder().Title("177Lu-PSMA-617 in Metastatic Prostate Cancer").Condition("Prostate Cancer").Drug("177Lu-PSMA-617"));
        Assert.DoesNotContain("lu177-prrt", result.TherapyTypes);
    }

    [Fact]
    public void Lutetium_dotatate_is_not_tagged_as_a_somatostatin_analogue()
    {
        var result = Classify(new RegistryRecordBuilder().Title("PRRT for Neuroendocrine Tumors").Condition("Neuroendocrine Tumors").Drug("177Lu-DOTATATE"));

        Assert.Contains("lu177-prrt", result.TherapyTypes);
        Assert.DoesNotContain("somatostatin-analogue", result.TherapyTypes);
    }

    [Fact]
    public void Actinium_dotatate_is_another_radioligand_not_lu177()
    {
        var result = Classify(new RegistryRecordBuilder().Title("Alpha Emitter in Neuroendocrine Tumors").Condition("Neuroendocrine Tumors").Drug("225Ac-DOTATATE"));

        Assert.Contains("other-radioligand", result.TherapyTypes);
        Assert.DoesNotContain("lu177-prrt", result.TherapyTypes);
    }

    [Theory]
    [InlineData("Primitive Neuroectodermal Tumor")]
    [InlineData("Primitive Neuroectodermal Tumor (PNET)")]
    public void A_primitive_neuroectodermal_tumour_is_not_a_neuroendocrine_tumour(string condition)
    {
        var result = Classify(new RegistryRecordBuilder().Title("Chemotherapy for Childhood Brain Tumours").Condition(condition));

        Assert.DoesNotContain("net", result.Diseases);
        Assert.Empty(result.NetSubtypes);
    }

    [Fact]
    public void Cyclosporine_is_not_chemotherapy_but_cyclophosphamide_is()
    {
        Assert.DoesNotContain("chemotherapy", Classify(TreatmentStudy().Drug("Cyclosporine")).TherapyTypes);
        Assert.Contains("chemotherapy", Classify(TreatmentStudy().Drug("Cyclophosphamide")).TherapyTypes);
    }

    [Theory]
    [InlineData("GD2 CAR T cells")]
    [InlineData("GD2-CART01")]
    [InlineData("Autologous GD2-specific CAR T cells")]
    public void Gd2_car_t_cells_are_cell_therapy_not_anti_gd2_antibodies(string name)
    {
        var result = Classify(TreatmentStudy().Intervention("BIOLOGICAL", name));

        Assert.Contains("cell-therapy", result.TherapyTypes);
        Assert.DoesNotContain("anti-gd2", result.TherapyTypes);
    }

    [Fact]
    public void Isotretinoin_is_not_a_targeted_therapy()
    {
        var result = Classify(TreatmentStudy().Drug("Isotretinoin", "13-cis-retinoic acid"));
        Assert.DoesNotContain("targeted-therapy", result.TherapyTypes);
    }

    [Fact]
    public void Cyclosporine_and_isotretinoin_and_gm_csf_tag_nothing()
    {
        var result = Classify(TreatmentStudy().Drug("Cyclosporine").Drug("Isotretinoin").Drug("Sargramostim", "GM-CSF"));
        Assert.Empty(result.TherapyTypes);
    }

    [Fact]
    public void A_title_saying_the_tumour_cannot_be_removed_by_surgery_is_not_a_surgery_trial()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Cisplatin and Etoposide in Treating Patients With Neuroendocrine Carcinoma That Is Metastatic or Cannot Be Removed by Surgery")
            .Condition("Neuroendocrine Carcinoma")
            .Drug("Cisplatin").Drug("Etoposide"));

        Assert.DoesNotContain("surgery", result.TherapyTypes);
        Assert.Contains("chemotherapy", result.TherapyTypes);
    }

    [Fact]
    public void Adjuvant_treatment_after_resection_is_not_a_surgery_trial()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Adjuvant 177Lu-DOTATATE After Resection of Neuroendocrine Liver Metastases")
            .Condition("Neuroendocrine Tumors")
            .Drug("Lutathera"));

        Assert.DoesNotContain("surgery", result.TherapyTypes);
        Assert.Contains("lu177-prrt", result.TherapyTypes);
    }

    [Fact]
    public void Lutetium_named_in_the_title_as_earlier_treatment_is_not_lu177_prrt()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Holmium-166-radioembolization in NET After Lutetium-177-dotatate",
                   "Adjuvant Hepatic Holmium-166-radioembolization in Patients Who Have Been Treated With Lutetium-177-dotatate")
            .Condition("Neuroendocrine Tumors")
            .Intervention("DEVICE", "Holmium-166 microspheres hepatic radioembolization"));

        Assert.DoesNotContain("lu177-prrt", result.TherapyTypes);
        Assert.Contains("liver-directed", result.TherapyTypes);
    }

    [Fact]
    public void Anti_gd2_t_cells_in_a_title_are_cell_therapy_not_an_antibody()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("A Phase I Trial of Anti-GD2 T-cells (1RG-CART)")
            .Condition("Neuroblastoma")
            .Intervention("BIOLOGICAL", "1RG-CART"));

        Assert.DoesNotContain("anti-gd2", result.TherapyTypes);
        Assert.Contains("cell-therapy", result.TherapyTypes);
    }

    [Fact]
    public void Chemoembolization_is_both_liver_directed_therapy_and_chemotherapy()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Embolization for Neuroendocrine Tumor Liver Metastases")
            .Condition("Neuroendocrine Tumor")
            .Intervention("COMBINATION_PRODUCT", "Transarterial chemoembolization"));

        Assert.Contains("liver-directed", result.TherapyTypes);
        Assert.Contains("chemotherapy", result.TherapyTypes);
    }

    [Fact]
    public void Ultratrace_iobenguane_written_with_mibg_in_brackets_is_mibg_therapy()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Phase 1 Study in Malignant Pheochromocytoma")
            .Condition("Pheochromocytoma")
            .Drug("Ultratrace Iobenguane (MIBG) I 131"));

        Assert.Contains("mibg", result.TherapyTypes);
    }

    [Fact]
    public void A_transplant_named_only_in_the_summary_treatment_plan_is_a_transplant_trial()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("177Lutetium-DOTATATE in Children With Relapsed Neuroblastoma")
            .Condition("Neuroblastoma")
            .Summary("Two doses are given two weeks apart. This strategy requires a readiness for autologous stem cell transplantation in all patients.")
            .Drug("177Lu-DOTATATE"));

        Assert.Contains("stem-cell-transplant", result.TherapyTypes);
        Assert.Equal(EvidenceSources.Summary, Assert.Single(result.Evidence, e => e.Slug == "stem-cell-transplant").Source);
    }

    [Fact]
    public void A_transplant_the_summary_names_as_earlier_treatment_is_not_a_transplant_trial()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Naxitamab in Neuroblastoma")
            .Condition("Neuroblastoma")
            .Summary("Children whose neuroblastoma relapsed after autologous stem cell transplant will receive naxitamab.")
            .Drug("Naxitamab"));

        Assert.DoesNotContain("stem-cell-transplant", result.TherapyTypes);
    }

    [Fact]
    public void A_drug_class_named_in_the_summary_as_background_does_not_tag_the_therapy()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Durvalumab Plus Tremelimumab in Neuroendocrine Neoplasms")
            .Condition("Neuroendocrine Neoplasms")
            .Summary("The most used therapy for neuroendocrine tumors are somatostatin analogs. Cabozantinib is a chemotherapy drug.")
            .Drug("Durvalumab").Drug("Tremelimumab"));

        Assert.Equal(["checkpoint-inhibitor"], result.TherapyTypes);
    }

    // --- Diseases and NET subtypes, from conditions, titles and keywords as registries write them.

    [Theory]
    [InlineData("Neuroblastoma")]
    [InlineData("Neuroblastoma, High-Risk")]
    [InlineData("Ganglioneuroblastoma")]
    [InlineData("Neuroblastomas")]
    public void A_neuroblastoma_condition_tags_neuroblastoma(string condition)
    {
        var result = Classify(new RegistryRecordBuilder().Title("A Study").Condition(condition));

        Assert.Equal(["neuroblastoma"], result.Diseases);
        Assert.Empty(result.NetSubtypes);
        Assert.Equal(EvidenceSources.Condition, Assert.Single(result.Evidence, e => e.Kind == TagKinds.Disease).Source);
    }

    [Fact]
    public void A_title_naming_neuroblastoma_tags_it_when_conditions_are_generic()
    {
        var result = Classify(new RegistryRecordBuilder().Title("Naxitamab for High-Risk Neuroblastoma").Condition("Solid Tumor, Childhood"));

        Assert.Equal(["neuroblastoma"], result.Diseases);
        Assert.Equal(EvidenceSources.Title, Assert.Single(result.Evidence, e => e.Kind == TagKinds.Disease).Source);
    }

    public static TheoryData<string, string> NetSubtypeConditions() => new()
    {
        { "Pancreatic Neuroendocrine Tumor", "pancreatic" },
        { "Insulinoma", "pancreatic" },
        { "Small Intestinal Neuroendocrine Tumor", "gastrointestinal" },
        { "Midgut Carcinoid Tumor", "gastrointestinal" },
        { "Gastroenteropancreatic Neuroendocrine Tumor", "gep" },
        { "GEP-NET", "gep" },
        { "Lung Neuroendocrine Tumor", "lung" },
        { "Carcinoid Tumor", "carcinoid" },
        { "Neuroendocrine Carcinoma", "neuroendocrine-carcinoma" },
        { "Large Cell Neuroendocrine Carcinoma", "neuroendocrine-carcinoma" },
        { "Pheochromocytoma", "pheochromocytoma-paraganglioma" },
        { "Paraganglioma", "pheochromocytoma-paraganglioma" },
        { "Merkel Cell Carcinoma", "merkel-cell" },
    };

    [Theory]
    [MemberData(nameof(NetSubtypeConditions))]
    public void A_net_condition_tags_net_and_its_subtype(string condition, string subtype)
    {
        var result = Classify(new RegistryRecordBuilder().Title("A Study").Condition(condition));

        Assert.Equal(["net"], result.Diseases);
        Assert.Contains(subtype, result.NetSubtypes);
        var evidence = Assert.Single(result.Evidence, e => e.Kind == TagKinds.NetSubtype && e.Slug == subtype);
        Assert.Equal(condition, evidence.MatchedText);
    }

    [Fact]
    public void Every_disease_and_net_subtype_in_the_vocabulary_has_a_case_above()
    {
        var covered = NetSubtypeConditions().Select(row => (string)row[1]).Append("neuroblastoma").Append("net").ToHashSet();
        var missing = Vocabulary.Default.Diseases.Concat(Vocabulary.Default.NetSubtypes)
            .Select(t => t.Slug).Where(slug => !covered.Contains(slug)).ToList();
        Assert.True(missing.Count == 0, "Disease tags without a test case: " + string.Join(", ", missing));
    }

    [Fact]
    public void Lung_carcinoid_is_both_a_lung_net_and_a_carcinoid()
    {
        var result = Classify(new RegistryRecordBuilder().Title("Lanreotide in Lung Carcinoids").Condition("Lung Carcinoid Tumor", "Atypical Carcinoid"));

        Assert.Equal(["net"], result.Diseases);
        Assert.Equal(new[] { "carcinoid", "lung" }, result.NetSubtypes.Order());
    }

    [Fact]
    public void A_subtype_word_in_a_study_without_a_net_is_not_a_net_subtype()
    {
        var result = Classify(new RegistryRecordBuilder().Title("Surgery for Small Bowel Obstruction").Condition("Small Bowel Obstruction"));

        Assert.Empty(result.Diseases);
        Assert.Empty(result.NetSubtypes);
    }

    [Fact]
    public void A_basket_trial_can_carry_both_diseases()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("MIBG Therapy for Neuroblastoma and Pheochromocytoma")
            .Condition("Neuroblastoma", "Pheochromocytoma"));

        Assert.Equal(new[] { "net", "neuroblastoma" }, result.Diseases.Order());
        Assert.Equal(["pheochromocytoma-paraganglioma"], result.NetSubtypes);
    }

    /// <summary>Subtypes come from the record's words only: a lung NET is a carcinoid only where the record says so.</summary>
    [Theory]
    [InlineData("Lung Neuroendocrine Tumors")]
    [InlineData("Bronchial Neuroendocrine Tumors")]
    public void A_lung_neuroendocrine_tumour_is_a_lung_net_but_not_called_a_carcinoid(string condition)
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Lanreotide Versus Placebo in Typical or Atypical Lung Neuroendocrine Tumors")
            .Condition(condition));

        Assert.Equal(["lung"], result.NetSubtypes);
    }

    [Fact]
    public void The_old_name_entero_pancreatic_endocrine_tumour_is_a_gep_net()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Study of Lanreotide Autogel in Non-functioning Entero-pancreatic Endocrine Tumours (CLARINET)")
            .Condition("Endocrine Tumors"));

        Assert.Equal(["net"], result.Diseases);
        Assert.Equal(new[] { "gastrointestinal", "gep", "pancreatic" }, result.NetSubtypes.Order());
    }

    [Fact]
    public void A_gep_tumour_names_both_its_pancreatic_and_gastrointestinal_origins()
    {
        var result = Classify(new RegistryRecordBuilder().Title("A Study").Condition("Gastroenteropancreatic Neuroendocrine Tumor"));

        Assert.Equal(new[] { "gastrointestinal", "gep", "pancreatic" }, result.NetSubtypes.Order());
        Assert.All(result.Evidence.Where(e => e.Kind == TagKinds.NetSubtype),
            e => Assert.Equal("Gastroenteropancreatic Neuroendocrine Tumor", e.MatchedText));
    }

    [Fact]
    public void A_trial_enrolling_both_pancreatic_and_gastrointestinal_nets_is_a_gep_trial_with_both_as_evidence()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Lanreotide in Progressive Pancreatic or Midgut Neuroendocrine Tumours")
            .Condition("Neuroendocrine Tumors"));

        Assert.Equal(new[] { "gastrointestinal", "gep", "pancreatic" }, result.NetSubtypes.Order());
        Assert.Equal(
            result.Evidence.Where(e => e.Kind == TagKinds.NetSubtype && e.Slug is "pancreatic" or "gastrointestinal").Select(e => e.MatchedText).Order(),
            result.Evidence.Where(e => e.Kind == TagKinds.NetSubtype && e.Slug == "gep").Select(e => e.MatchedText).Order());
    }

    [Fact]
    public void A_pancreatic_net_alone_is_not_a_gep_net()
    {
        var result = Classify(new RegistryRecordBuilder().Title("A Study").Condition("Pancreatic Neuroendocrine Tumor"));

        Assert.Equal(["pancreatic"], result.NetSubtypes);
    }

    [Fact]
    public void Net_subtypes_named_only_in_the_inclusion_criteria_are_tagged()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Actinium-225 DOTATATE in Neuroendocrine Neoplasms")
            .Condition("Neuroendocrine Neoplasm")
            .Criteria("Inclusion Criteria:\n\n1. Histopathologically confirmed G1, G2 or G3 GEP-NET or GEP-NEC\n\nExclusion Criteria:\n\n1. Lung carcinoid"));

        Assert.Equal(new[] { "gastrointestinal", "gep", "neuroendocrine-carcinoma", "pancreatic" }, result.NetSubtypes.Order());
        var evidence = Assert.Single(result.Evidence, e => e.Slug == "neuroendocrine-carcinoma");
        Assert.Equal(EvidenceSources.InclusionCriteria, evidence.Source);
    }

    [Fact]
    public void A_subtype_in_a_negated_inclusion_line_is_not_tagged()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Everolimus in Advanced Neuroendocrine Tumors")
            .Condition("Neuroendocrine Tumors")
            .Criteria("Inclusion Criteria:\n\n* No history of and no active symptoms related to carcinoid syndrome\n"
                + "* Patients with poorly differentiated neuroendocrine carcinoma are not eligible\n\nExclusion Criteria:\n\n* Pregnancy"));

        Assert.Empty(result.NetSubtypes);
    }

    [Fact]
    public void A_gep_origin_named_only_in_the_summary_is_tagged()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Holmium-166 Radioembolization in NET")
            .Condition("Neuroendocrine Tumors")
            .Summary("Patients with gastroenteropancreatic neuroendocrine tumours often die from intrahepatic disease. Patients with liver metastases will be included."));

        Assert.Equal(new[] { "gastrointestinal", "gep", "pancreatic" }, result.NetSubtypes.Order());
        Assert.Equal(EvidenceSources.Summary, Assert.Single(result.Evidence, e => e.Slug == "gep").Source);
    }

    [Fact]
    public void A_subtype_the_summary_keeps_out_of_the_trial_is_not_tagged()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Everolimus in Advanced Neuroendocrine Tumors")
            .Condition("Neuroendocrine Tumors")
            .Summary("Patients with pancreatic neuroendocrine tumors are not eligible. Lung carcinoids are excluded."));

        Assert.Empty(result.NetSubtypes);
    }

    [Fact]
    public void Inclusion_criteria_do_not_make_a_study_about_something_else_a_net_study()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("A Study of Sleep in Adults")
            .Condition("Insomnia")
            .Criteria("Inclusion Criteria:\n\n* History of pancreatic neuroendocrine tumour\n\nExclusion Criteria:\n\n* Pregnancy"));

        Assert.Empty(result.Diseases);
        Assert.Empty(result.NetSubtypes);
    }

    // --- Relapsed or refractory.

    [Theory]
    [InlineData("Relapsed Neuroblastoma")]
    [InlineData("Refractory Neuroblastoma")]
    [InlineData("Recurrent Neuroblastoma")]
    public void A_relapsed_or_refractory_condition_takes_refractory_patients(string condition)
    {
        var result = Classify(new RegistryRecordBuilder().Title("A Study").Condition(condition));

        Assert.True(result.TakesRefractory);
        Assert.Equal(condition, Assert.Single(result.Evidence, e => e.Kind == TagKinds.Refractory).MatchedText);
    }

    [Fact]
    public void Inclusion_criteria_that_ask_for_relapsed_disease_make_the_study_take_refractory_patients()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Naxitamab in Neuroblastoma")
            .Condition("Neuroblastoma")
            .Criteria("Inclusion Criteria:\n\n* Age 1 to 21 years\n* Relapsed or refractory high-risk neuroblastoma\n\nExclusion Criteria:\n\n* Pregnancy"));

        Assert.True(result.TakesRefractory);
        var evidence = Assert.Single(result.Evidence, e => e.Kind == TagKinds.Refractory);
        Assert.Equal(EvidenceSources.InclusionCriteria, evidence.Source);
        Assert.Contains("Relapsed or refractory", evidence.MatchedText);
    }

    [Theory]
    [InlineData("Malignant Progressive Pheochromocytoma and Paraganglioma (PPGL)")]
    [InlineData("Metastatic Neuroblastoma With a Poor Response to Induction Chemotherapy")]
    [InlineData("Neuroblastoma With Relapse in the Central Nervous System")]
    public void Progressive_poorly_responding_or_relapsed_disease_named_in_a_title_takes_refractory_patients(string title)
    {
        var result = Classify(new RegistryRecordBuilder().Title(title).Condition("Neuroblastoma"));
        Assert.True(result.TakesRefractory);
    }

    [Fact]
    public void A_child_whose_low_risk_disease_progressed_to_stage_4_is_upfront_not_refractory()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Therapy for Children With Advanced Stage Neuroblastoma")
            .Condition("Neuroblastoma")
            .Criteria("Inclusion Criteria:\n\n* Children at least 365 days initially diagnosed with INSS stage 1, 2, 4S who progressed to a stage 4 without interval chemotherapy\n\nExclusion Criteria:\n\n* Prior therapy"));

        Assert.False(result.TakesRefractory);
    }

    [Fact]
    public void Relapse_free_survival_in_the_title_of_an_upfront_trial_is_not_refractory()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Improving Relapse-Free Survival in Newly Diagnosed High-Risk Neuroblastoma",
                   "A Randomised Trial to Improve Event-Free and Relapse-Free Survival With Dinutuximab Beta in Front-Line Treatment of Neuroblastoma")
            .Condition("Neuroblastoma")
            .Criteria("Inclusion Criteria:\n\n* Newly diagnosed high-risk neuroblastoma\n* No prior systemic therapy\n\nExclusion Criteria:\n\n* Pregnancy"));

        Assert.False(result.TakesRefractory);
        Assert.DoesNotContain(result.Evidence, e => e.Kind == TagKinds.Refractory);
    }

    [Fact]
    public void Relapse_free_survival_in_the_summary_of_an_upfront_trial_is_not_refractory()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Dinutuximab Beta in Newly Diagnosed High-Risk Neuroblastoma")
            .Condition("Neuroblastoma")
            .Summary("This randomised trial asks whether dinutuximab beta given with induction improves event-free and relapse-free survival. "
                + "Recurrence-free survival at 3 years is a secondary endpoint.")
            .Criteria("Inclusion Criteria:\n\n* High-risk neuroblastoma\n\nExclusion Criteria:\n\n* Pregnancy"));

        Assert.False(result.TakesRefractory);
        Assert.DoesNotContain(result.Evidence, e => e.Kind == TagKinds.Refractory);
    }

    [Fact]
    public void Earlier_treatment_without_progression_in_the_summary_is_not_refractory()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Lutathera in Grade 2 and Grade 3 GEP-NET")
            .Condition("Gastroenteropancreatic Neuroendocrine Tumor")
            .Summary("Lutathera is given as a first line treatment. Somatostatin analog naive patients were eligible, "
                + "as well as patients previously treated with SSAs in the absence of progression."));

        Assert.False(result.TakesRefractory);
    }

    [Fact]
    public void A_summary_that_admits_second_line_patients_takes_refractory_patients()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("177Lu-Edotreotide Versus Best Standard of Care in GEP-NETs")
            .Condition("Neuroendocrine Tumors")
            .Summary("The purpose of the study is to evaluate 177Lu-edotreotide as 1st or 2nd line of treatment compared to best standard of care."));

        Assert.True(result.TakesRefractory);
        Assert.Equal(EvidenceSources.Summary, Assert.Single(result.Evidence, e => e.Kind == TagKinds.Refractory).Source);
    }

    [Fact]
    public void Relapsed_in_the_exclusion_criteria_does_not_make_the_study_take_refractory_patients()
    {
        var result = Classify(new RegistryRecordBuilder()
            .Title("Dinutuximab Beta in First-Line High-Risk Neuroblastoma")
            .Condition("Neuroblastoma")
            .Criteria("Inclusion Criteria:\n\n* High-risk neuroblastoma in first remission\n\nExclusion Criteria:\n\n* Relapsed or refractory disease\n* Prior anti-GD2 therapy"));

        Assert.False(result.TakesRefractory);
    }

    // --- Studies about something else.

    public static TheoryData<string> RealRecords() => TestData.RealRecordIds();

    [Theory]
    [MemberData(nameof(RealRecords))]
    public void A_real_study_about_another_disease_gets_no_disease_tag(string nctId)
    {
        using var document = TestData.ReadJson(TestData.RealRecordPath(nctId));
        var result = StudyClassifier.Default.Classify(TrialFinder.Sync.Mapping.RegistryStudyMapper.Map(document.RootElement));

        Assert.Empty(result.Diseases);
        Assert.Empty(result.NetSubtypes);
        Assert.DoesNotContain(result.Evidence, e => e.Kind is TagKinds.Disease or TagKinds.NetSubtype);
    }
}
