using TrialFinder.Core.Classification;
using TrialFinder.Core.Studies;
using TrialFinder.Infrastructure.Localization;

namespace TrialFinder.Core.Tests.Studies;

/// <summary>Changes are stored with an English summary and shown in the reader's language from their kind and values.</summary>
public class StudyChangeTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static RegistryRecordBuilder Trial() =>
        new RegistryRecordBuilder()
            .Id("NCT09990042")
            .Title("Naxitamab for Relapsed Neuroblastoma")
            .Status(RegistryStatuses.NotYetRecruiting)
            .Phase("PHASE2")
            .Ages("1 Year", null)
            .Criteria("Inclusion Criteria:\n\n* Relapsed neuroblastoma")
            .Site("Memorial Sloan Kettering Cancer Center", "New York", "United States", "RECRUITING")
            .Site("Hospital Sant Joan de Deu", "Barcelona", "Spain", "NOT_YET_RECRUITING");

    /// <summary>One change of every kind the catalogue records.</summary>
    private static List<StudyChange> EveryKindOfChange()
    {
        var after = new RegistryRecordBuilder()
            .Id("NCT09990042")
            .Title("Naxitamab for Relapsed or Refractory Neuroblastoma")
            .Status(RegistryStatuses.Recruiting)
            .Phase("PHASE2", "PHASE3")
            .Ages(null, "21 Years")
            .Criteria("Inclusion Criteria:\n\n* Relapsed or refractory neuroblastoma")
            .Site("Hospital Sant Joan de Deu", "Barcelona", "Spain", "RECRUITING")
            .Site("Great Ormond Street Hospital", "London", "United Kingdom", "RECRUITING");
        var changes = StudyChangeDetector.Detect(Trial().Build(), after.Build(), Now, syncRunId: 7).ToList();

        var study = Trial().Build();
        study.ApplyClassification(new StudyClassification(["neuroblastoma"], [], false, ["radiotherapy"], []));
        changes.Add(StudyChangeDetector.DetectTagChange(study, new StudyClassification(["neuroblastoma"], [], true, ["other-radioligand"], []), Now, 7)!);
        changes.Add(new StudyChange { NctId = "NCT09990042", Kind = StudyChangeKinds.Listing, Summary = StudyChangeDetector.Delisted });
        changes.Add(new StudyChange { NctId = "NCT09990042", Kind = StudyChangeKinds.Listing, Summary = StudyChangeDetector.Relisted });
        return changes;
    }

    private static string In(string language, StudyChange change) =>
        StudyChangeText.Describe(change.Kind, change.Summary, change.OldValue, change.NewValue,
            (name, arguments) => JsonStringLocalizer.Text(JsonStringLocalizer.CultureOf(language), name, arguments));

    [Fact]
    public void Every_kind_of_change_is_covered()
    {
        var kinds = EveryKindOfChange().Select(c => c.Kind).ToHashSet();
        var known = typeof(StudyChangeKinds).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        Assert.Equal(known.Order(), kinds.Order());
    }

    [Fact]
    public void In_english_a_change_reads_exactly_as_its_stored_summary()
    {
        Assert.All(EveryKindOfChange(), change => Assert.Equal(change.Summary, In("en", change)));
    }

    [Fact]
    public void In_french_no_change_reads_as_its_english_summary()
    {
        var changes = EveryKindOfChange();
        Assert.All(changes, change => Assert.NotEqual(change.Summary, In("fr", change)));
        Assert.Equal("Statut passé de NOT_YET_RECRUITING à RECRUITING", In("fr", changes.Single(c => c.Kind == StudyChangeKinds.OverallStatus)));
        Assert.Equal("Âges admis passés de 1 Year – pas de maximum à pas de minimum – 21 Years", In("fr", changes.Single(c => c.Kind == StudyChangeKinds.EligibleAges)));
        Assert.Equal("Centre Hospital Sant Joan de Deu, Barcelona, Spain passé de NOT_YET_RECRUITING à RECRUITING",
            In("fr", changes.Single(c => c.Kind == StudyChangeKinds.SiteStatus)));
        Assert.Equal("Étiquettes modifiées : ajout de refractory, therapy:other-radioligand; retrait de therapy:radiotherapy",
            In("fr", changes.Single(c => c.Kind == StudyChangeKinds.Tags)));
    }

    [Fact]
    public void A_change_whose_values_do_not_say_enough_is_shown_as_stored()
    {
        var unknown = new StudyChange { NctId = "NCT09990042", Kind = "something-new", Summary = "Something new happened" };
        var oldListing = new StudyChange { NctId = "NCT09990042", Kind = StudyChangeKinds.Listing, Summary = "Delisted in an older wording" };

        Assert.Equal("Something new happened", In("fr", unknown));
        Assert.Equal("Delisted in an older wording", In("fr", oldListing));
    }
}
