using TrialFinder.Core.Classification;

namespace TrialFinder.Core.Tests.Classification;

/// <summary>
/// Drug names the vocabulary does not list are read by their WHO INN stem. Every name that must be tagged here is a
/// real INN absent from the vocabulary's terms, the development records and the snapshot, so the tag can only come
/// from its stem; the near misses are supportive drugs, imaging agents, antibodies against other targets,
/// immunosuppressants that share a stem, radiolabelled carriers and drugs named as earlier treatment.
/// </summary>
public class DrugStemTests
{
    private static StudyClassification ClassifyDrugs(params string[] drugs)
    {
        var record = new RegistryRecordBuilder().Title("A Study in Advanced Neuroendocrine Tumors").Condition("Neuroendocrine Tumors");
        foreach (var drug in drugs)
        {
            record.Drug(drug);
        }

        return StudyClassifier.Default.Classify(record.Build());
    }

    [Theory]
    [InlineData("Osimertinib")]
    [InlineData("Tivozanib")]
    [InlineData("Encorafenib")]
    [InlineData("Dalpiciclib")]
    [InlineData("Alpelisib")]
    [InlineData("Rucaparib")]
    [InlineData("Glasdegib")]
    [InlineData("Sotorasib")]
    [InlineData("Ivosidenib")]
    [InlineData("Venetoclax")]
    [InlineData("Capivasertib")]
    [InlineData("Belinostat")]
    [InlineData("Valemetostat")]
    [InlineData("Ixazomib")]
    [InlineData("Ridaforolimus")]
    public void An_unlisted_kinase_or_other_targeted_inhibitor_is_tagged_by_its_stem(string drug) =>
        AssertTaggedByStem(ClassifyDrugs(drug), "targeted-therapy", drug);

    [Theory]
    [InlineData("Satraplatin")]
    [InlineData("Pirarubicin")]
    [InlineData("Rubitecan")]
    [InlineData("Fotemustine")]
    [InlineData("Tesetaxel")]
    [InlineData("Sapacitabine")]
    [InlineData("Clofarabine")]
    [InlineData("Raltitrexed")]
    [InlineData("Pralatrexate")]
    [InlineData("Teniposide")]
    [InlineData("Vinflunine")]
    [InlineData("Trofosfamide")]
    [InlineData("Treosulfan")]
    public void An_unlisted_cytotoxic_is_tagged_chemotherapy_by_its_stem(string drug) =>
        AssertTaggedByStem(ClassifyDrugs(drug), "chemotherapy", drug);

    [Theory]
    [InlineData("Zimberelimab")]
    [InlineData("Balstilimab")]
    [InlineData("Prolgolimab")]
    [InlineData("Envafolimab")]
    [InlineData("Cosibelimab")]
    [InlineData("Favezelimab")]
    [InlineData("Tiragolumab")]
    [InlineData("Sasanlimab")]
    [InlineData("Volrustomig")]
    public void An_unlisted_immunomodulating_antibody_against_an_immune_checkpoint_is_tagged_by_its_stem(string drug) =>
        AssertTaggedByStem(ClassifyDrugs(drug), "checkpoint-inhibitor", drug);

    [Theory]
    [InlineData("Tisagenlecleucel")]
    [InlineData("Lifileucel")]
    [InlineData("Axicabtagene Ciloleucel")]
    public void An_unlisted_cell_product_is_tagged_cell_therapy_by_its_stem(string drug) =>
        AssertTaggedByStem(ClassifyDrugs(drug), "cell-therapy", drug.Split(' ')[0]);

    [Theory]
    [InlineData("Imetelstat")]
    [InlineData("Nirogacestat")]
    [InlineData("Marimastat")]
    [InlineData("Danvatirsen")]
    public void An_unlisted_enzyme_inhibitor_or_antisense_oligonucleotide_is_targeted_therapy_by_its_USAN_stem(string drug) =>
        AssertTaggedByStem(ClassifyDrugs(drug), "targeted-therapy", drug);

    [Theory]
    [InlineData("Obinutuzumab")]
    [InlineData("Figitumumab")]
    [InlineData("Tisotumab")]
    [InlineData("Teclistamab")]
    [InlineData("Zanidatamab")]
    public void An_unlisted_antibody_against_a_tumour_target_is_targeted_therapy_by_its_infix(string drug) =>
        AssertTaggedByStem(ClassifyDrugs(drug), "targeted-therapy", drug);

    [Theory]
    [InlineData("Plinabulin")]
    [InlineData("Pixantrone")]
    [InlineData("Ixabepilone")]
    public void An_unlisted_antimitotic_or_anthraquinone_cytotoxic_is_chemotherapy_by_its_USAN_stem(string drug) =>
        AssertTaggedByStem(ClassifyDrugs(drug), "chemotherapy", drug);

    [Theory]
    [InlineData("Gemogenovatucel-T")]
    [InlineData("Rocapuldencel-T")]
    public void A_tumour_cell_or_dendritic_cell_product_is_a_vaccine_by_its_USAN_stem(string drug)
    {
        var result = ClassifyDrugs(drug);

        AssertTaggedByStem(result, "vaccine", drug.Split('-')[0]);
        Assert.DoesNotContain("cell-therapy", result.TherapyTypes);
    }

    [Theory]
    [InlineData("Roxadustat")]
    [InlineData("Telotristat Ethyl")]
    [InlineData("Camostat")]
    [InlineData("Fomivirsen")]
    [InlineData("Intravenous Immunoglobulin")]
    [InlineData("Emtricitabine")]
    [InlineData("Denosumab")]
    public void A_drug_whose_stem_the_source_gives_another_class_gets_no_therapy_tag(string drug) =>
        Assert.Empty(ClassifyDrugs(drug).TherapyTypes);

    [Theory]
    [InlineData("Arsenic Trioxide", "chemotherapy")]
    [InlineData("Gallium Nitrate", "chemotherapy")]
    [InlineData("Cytotoxic T Lymphocytes", "cell-therapy")]
    [InlineData("EBV-Specific CTLs", "cell-therapy")]
    [InlineData("Antisense Oligonucleotide", "targeted-therapy")]
    [InlineData("Autologous Tumor Lysate", "vaccine")]
    public void A_named_product_or_class_without_a_stem_is_read_by_its_listed_name(string drug, string slug) =>
        Assert.Equal([slug], ClassifyDrugs(drug).TherapyTypes);

    [Fact]
    public void A_misspelled_anti_GD2_antibody_is_anti_GD2_and_not_read_by_the_tumour_antibody_stem() =>
        Assert.Equal(["anti-gd2"], ClassifyDrugs("Dinituximab").TherapyTypes);

    [Fact]
    public void An_unlisted_somatostatin_analogue_is_tagged_by_its_stem() =>
        AssertTaggedByStem(ClassifyDrugs("Vapreotide"), "somatostatin-analogue", "Vapreotide");

    [Theory]
    [InlineData("Filgrastim")]
    [InlineData("Mesna")]
    [InlineData("Ondansetron")]
    [InlineData("Dexrazoxane")]
    [InlineData("Leucovorin")]
    public void A_supportive_drug_gets_no_therapy_tag(string drug) =>
        Assert.Empty(ClassifyDrugs(drug).TherapyTypes);

    [Theory]
    [InlineData("Tocilizumab")]
    [InlineData("Emapalumab")]
    [InlineData("Eculizumab")]
    [InlineData("Denosumab")]
    [InlineData("Trastuzumab")]
    public void An_antibody_against_another_target_is_not_a_checkpoint_inhibitor(string drug) =>
        Assert.DoesNotContain("checkpoint-inhibitor", ClassifyDrugs(drug).TherapyTypes);

    [Fact]
    public void An_immunosuppressant_sharing_the_mtor_stem_is_not_targeted_therapy() =>
        Assert.Empty(ClassifyDrugs("Tacrolimus").TherapyTypes);

    [Fact]
    public void An_antibody_drug_conjugate_is_targeted_therapy_not_chemotherapy_although_its_payload_ends_in_tecan()
    {
        var result = ClassifyDrugs("Trastuzumab Deruxtecan");

        Assert.Contains("targeted-therapy", result.TherapyTypes);
        Assert.DoesNotContain("chemotherapy", result.TherapyTypes);
    }

    [Fact]
    public void A_listed_name_is_read_by_its_own_tag_and_not_by_the_stem_it_carries()
    {
        var result = ClassifyDrugs("Lorlatinib");

        Assert.Equal(["alk-inhibitor"], result.TherapyTypes);
    }

    [Theory]
    [InlineData("177Lu-Edotreotide", "lu177-prrt")]
    [InlineData("Lutetium Lu 177 Oxodotreotide", "lu177-prrt")]
    [InlineData("68Ga-Vapreotide PET", null)]
    public void A_radiolabelled_reotide_is_the_radioligand_readers_and_never_a_somatostatin_analogue(string drug, string? radioligand)
    {
        var result = ClassifyDrugs(drug);

        Assert.DoesNotContain("somatostatin-analogue", result.TherapyTypes);
        Assert.Equal(radioligand is null ? [] : [radioligand], result.TherapyTypes);
    }

    [Fact]
    public void An_imaging_intervention_with_a_stemmed_carrier_gives_no_therapy()
    {
        var result = StudyClassifier.Default.Classify(new RegistryRecordBuilder()
            .Title("Imaging Somatostatin Receptors in Neuroendocrine Tumors").Condition("Neuroendocrine Tumors")
            .Intervention("DIAGNOSTIC_TEST", "Indium In 111 Pentetreotide Scintigraphy")
            .Intervention("DRUG", "Technetium Tc 99m Depreotide")
            .Build());

        Assert.Empty(result.TherapyTypes);
    }

    [Theory]
    [InlineData("Lanreotide in Progressive NET After Prior Osimertinib", "targeted-therapy")]
    [InlineData("Lanreotide in NET Previously Treated With Satraplatin", "chemotherapy")]
    [InlineData("Sunitinib in NET Patients Refractory to Zimberelimab", "checkpoint-inhibitor")]
    [InlineData("Capecitabine for NET Patients Without Prior Vapreotide", "somatostatin-analogue")]
    public void A_stemmed_name_named_as_earlier_treatment_is_not_tagged(string title, string slug)
    {
        var result = StudyClassifier.Default.Classify(new RegistryRecordBuilder().Title(title).Condition("Neuroendocrine Tumors").Build());

        Assert.DoesNotContain(slug, result.TherapyTypes);
    }

    [Fact]
    public void A_title_that_gives_a_stemmed_drug_tags_it_where_the_interventions_are_silent()
    {
        var result = StudyClassifier.Default.Classify(new RegistryRecordBuilder()
            .Title("Tiragolumab and Rucaparib in Advanced Neuroendocrine Carcinoma").Condition("Neuroendocrine Carcinoma").Build());

        Assert.Contains("checkpoint-inhibitor", result.TherapyTypes);
        Assert.Contains("targeted-therapy", result.TherapyTypes);
    }

    [Theory]
    [InlineData("Taxane", "chemotherapy")]
    [InlineData("Vinca Alkaloid", "chemotherapy")]
    [InlineData("Topoisomerase Inhibitor", "chemotherapy")]
    [InlineData("MEK Inhibitor", "targeted-therapy")]
    [InlineData("Multikinase Inhibitor", "targeted-therapy")]
    [InlineData("HDAC Inhibitor", "targeted-therapy")]
    [InlineData("Anaplastic Lymphoma Kinase Inhibitor", "alk-inhibitor")]
    public void A_drug_class_named_instead_of_a_drug_is_tagged_with_its_class(string drugClass, string slug) =>
        Assert.Equal([slug], ClassifyDrugs(drugClass).TherapyTypes);

    [Fact]
    public void A_drug_class_named_as_earlier_treatment_is_not_tagged()
    {
        var result = StudyClassifier.Default.Classify(new RegistryRecordBuilder()
            .Title("Lanreotide in Neuroendocrine Tumours Progressing After Prior Anthracycline or MEK Inhibitor").Condition("Neuroendocrine Tumors").Build());

        Assert.Equal(["somatostatin-analogue"], result.TherapyTypes);
    }

    [Theory]
    [InlineData("Vintage Cohort of Neuroendocrine Tumour Patients")]
    [InlineData("Vinyl Chloride Exposure and Neuroendocrine Tumours")]
    public void An_ordinary_word_that_begins_like_a_vinca_alkaloid_is_not_chemotherapy(string title)
    {
        var result = StudyClassifier.Default.Classify(new RegistryRecordBuilder().Title(title).Condition("Neuroendocrine Tumors").Build());

        Assert.DoesNotContain("chemotherapy", result.TherapyTypes);
    }

    [Fact]
    public void Every_class_read_by_stems_names_the_WHO_stem_document_as_its_source()
    {
        var stemmed = Vocabulary.Default.Therapies.Where(t => t.Stems.Count > 0).ToList();

        Assert.Equal(["cell-therapy", "checkpoint-inhibitor", "chemotherapy", "somatostatin-analogue", "targeted-therapy", "vaccine"],
            stemmed.Select(t => t.Slug).Order(StringComparer.Ordinal));
        Assert.All(stemmed, tag => Assert.Contains(tag.Sources, s => s.Contains("WHO/EMP/RHT/TSN/2018.1", StringComparison.Ordinal)));
    }

    private static void AssertTaggedByStem(StudyClassification result, string slug, string name)
    {
        Assert.Contains(slug, result.TherapyTypes);
        var evidence = Assert.Single(result.Evidence, e => e.Kind == TagKinds.Therapy && e.Slug == slug);
        Assert.StartsWith(name.ToLowerInvariant() + " (INN stem ", evidence.Term, StringComparison.Ordinal);
    }
}
