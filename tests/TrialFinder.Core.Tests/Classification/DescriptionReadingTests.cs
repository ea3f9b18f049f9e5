using TrialFinder.Core.Classification;

namespace TrialFinder.Core.Tests.Classification;

/// <summary>
/// Arm and intervention descriptions as evidence of the therapies a trial gives (LABELLING.md: "the arms/description say
/// participants receive it"), under the same scope rules as every other text, with the false friends that read as a
/// therapy the trial does not give.
/// </summary>
public class DescriptionReadingTests
{
    private static StudyClassification Classify(RegistryRecordBuilder record) => StudyClassifier.Default.Classify(record.Build());

    private static RegistryRecordBuilder FrontLineNeuroblastoma() => new RegistryRecordBuilder()
        .Title("Dinutuximab in Newly Diagnosed High-Risk Neuroblastoma")
        .Condition("Neuroblastoma")
        .Intervention("BIOLOGICAL", "Dinutuximab");

    private static RegistryRecordBuilder NetStudy() => new RegistryRecordBuilder()
        .Title("A Study in Neuroendocrine Tumours")
        .Condition("Neuroendocrine Tumors");

    [Fact]
    public void An_arm_that_gives_multimodal_backbone_therapy_tags_each_part_although_only_the_antibody_is_an_intervention()
    {
        var result = Classify(FrontLineNeuroblastoma().Arm("Arm A", "EXPERIMENTAL",
            "Induction chemotherapy followed by surgery, ASCT and radiotherapy, then dinutuximab.", "Dinutuximab"));

        Assert.Equal(["anti-gd2", "chemotherapy", "radiotherapy", "stem-cell-transplant", "surgery"], result.TherapyTypes.Order());
        var chemotherapy = Assert.Single(result.Evidence, e => e.Kind == TagKinds.Therapy && e.Slug == "chemotherapy");
        Assert.Equal(EvidenceSources.ArmDescription, chemotherapy.Source);
    }

    [Fact]
    public void A_phase_by_phase_arm_in_the_registry_outline_style_tags_every_modality_it_gives()
    {
        var result = Classify(FrontLineNeuroblastoma().Arm("Treatment (multimodal therapy)", "EXPERIMENTAL",
            "INDUCTION: Patients receive cyclophosphamide IV and topotecan IV on days 1-5 of courses 1-2. Patients undergo "
            + "surgical resection of the primary tumour after course 5. CONSOLIDATION: Patients undergo autologous peripheral blood "
            + "stem cell transplantation. Patients then undergo external-beam radiation therapy to the primary site. "
            + "MAINTENANCE: Beginning after completion of radiation therapy, patients receive dinutuximab IV.", "Dinutuximab"));

        Assert.Equal(["anti-gd2", "chemotherapy", "radiotherapy", "stem-cell-transplant", "surgery"], result.TherapyTypes.Order());
    }

    [Fact]
    public void An_intervention_description_naming_what_is_given_with_the_drug_tags_it_with_its_source()
    {
        var result = Classify(FrontLineNeuroblastoma()
            .DescribedIntervention("BIOLOGICAL", "Naxitamab", "Given with cyclophosphamide and topotecan in every cycle."));

        var evidence = Assert.Single(result.Evidence, e => e.Kind == TagKinds.Therapy && e.Slug == "chemotherapy");
        Assert.Equal(EvidenceSources.InterventionDescription, evidence.Source);
        Assert.Contains("cyclophosphamide", evidence.MatchedText);
    }

    [Theory]
    [InlineData("Patients who have received prior chemotherapy receive dinutuximab.", "chemotherapy")]
    [InlineData("Dinutuximab after completing chemotherapy and autologous stem cell transplant.", "chemotherapy")]
    [InlineData("Dinutuximab after completing chemotherapy and autologous stem cell transplant.", "stem-cell-transplant")]
    [InlineData("Dinutuximab alone; no chemotherapy.", "chemotherapy")]
    [InlineData("Dinutuximab for chemotherapy-naive patients.", "chemotherapy")]
    [InlineData("Dinutuximab instead of chemotherapy.", "chemotherapy")]
    [InlineData("Outcomes compared with historical chemotherapy controls.", "chemotherapy")]
    [InlineData("Patients in this arm will not receive radiotherapy.", "radiotherapy")]
    [InlineData("Concurrent radiotherapy is not allowed.", "radiotherapy")]
    [InlineData("Excluded: surgery within 4 weeks.", "surgery")]
    [InlineData("Hepatic radioembolization, adjuvant to systemic 177Lu-DOTATATE.", "lu177-prrt")]
    public void A_description_naming_earlier_excluded_or_withheld_therapy_does_not_tag_it(string description, string slug)
    {
        var result = Classify(FrontLineNeuroblastoma().Arm("Arm A", "EXPERIMENTAL", description, "Dinutuximab"));

        Assert.DoesNotContain(slug, result.TherapyTypes);
    }

    [Fact]
    public void Standard_of_care_alone_tags_nothing()
    {
        var result = Classify(NetStudy()
            .Drug("Lanreotide")
            .Arm("Control", "ACTIVE_COMPARATOR", "Standard of care as decided by the treating physician."));

        Assert.Equal(["somatostatin-analogue"], result.TherapyTypes);
    }

    [Theory]
    [InlineData("[225Ac]Ac-DOTATATE", "Investigational radiotherapeutic drug targeting somatostatin receptor-positive neuroendocrine neoplasms")]
    [InlineData("177Lu-DOTATATE", "Radioligand therapy given as 4 cycles of 7.4 GBq.")]
    [InlineData("177Lu-DOTATATE", "A radiopharmaceutical given every 8 weeks.")]
    [InlineData("Study drug", "Investigational radiotherapeutic drug given every 8 weeks.")]
    public void A_radioactive_drug_described_as_radiotherapeutic_is_not_external_radiotherapy(string name, string description)
    {
        var result = Classify(NetStudy().DescribedIntervention("DRUG", name, description)
            .Arm("Treatment", "EXPERIMENTAL", description, name));

        Assert.DoesNotContain("radiotherapy", result.TherapyTypes);
    }

    [Fact]
    public void External_radiotherapy_in_an_arm_beside_a_radioligand_is_still_tagged()
    {
        var result = Classify(NetStudy()
            .DescribedIntervention("DRUG", "177Lu-DOTATATE", "Four cycles of 7.4 GBq.")
            .Arm("Combined", "EXPERIMENTAL", "Patients undergo stereotactic body radiation therapy to the liver before the first cycle.", "177Lu-DOTATATE"));

        Assert.Contains("radiotherapy", result.TherapyTypes);
        Assert.Contains("lu177-prrt", result.TherapyTypes);
    }

    [Fact]
    public void A_no_intervention_arm_describes_what_the_trial_does_not_give()
    {
        var result = Classify(NetStudy()
            .Drug("Lutathera")
            .Arm("Observation", "NO_INTERVENTION", "Routine follow-up with surgery only if the tumour grows.")
            .Arm("Treatment", "EXPERIMENTAL", "Lutathera every 8 weeks.", "Lutathera"));

        Assert.DoesNotContain("surgery", result.TherapyTypes);
        Assert.Contains("lu177-prrt", result.TherapyTypes);
    }

    [Fact]
    public void A_study_whose_every_intervention_is_a_scan_gives_nothing_its_arm_describes()
    {
        var result = Classify(NetStudy()
            .Intervention("DIAGNOSTIC_TEST", "68Ga-DOTATATE PET/CT")
            .Arm("Imaging", "EXPERIMENTAL", "A 68Ga-DOTATATE scan before planned surgery.", "68Ga-DOTATATE PET/CT"));

        Assert.Empty(result.TherapyTypes);
    }
}
