using TrialFinder.Core.Classification;
using TrialFinder.Core.Studies;

namespace TrialFinder.Core.Tests.Studies;

public class StudyChangeDetectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static RegistryRecordBuilder Trial() =>
        new RegistryRecordBuilder()
            .Id("NCT09990042")
            .Title("Naxitamab for Relapsed Neuroblastoma", "A Phase 2 Study of Naxitamab and GM-CSF")
            .Status(RegistryStatuses.NotYetRecruiting)
            .Phase("PHASE2")
            .Ages("1 Year", "21 Years")
            .Criteria("Inclusion Criteria:\n\n* Relapsed neuroblastoma\n\nExclusion Criteria:\n\n* Pregnancy")
            .Site("Memorial Sloan Kettering Cancer Center", "New York", "United States", "RECRUITING", 40.76, -73.96)
            .Site("Hospital Sant Joan de Deu", "Barcelona", "Spain", "NOT_YET_RECRUITING", 41.38, 2.1);

    private static IReadOnlyList<StudyChange> Changes(RegistryRecordBuilder before, RegistryRecordBuilder after) =>
        StudyChangeDetector.Detect(before.Build(), after.Build(), Now, syncRunId: 7);

    [Fact]
    public void An_identical_study_has_no_changes() =>
        Assert.Empty(Changes(Trial(), Trial()));

    [Fact]
    public void Criteria_that_differ_only_in_spacing_are_not_a_change()
    {
        var after = Trial().Criteria("Inclusion Criteria:\n\n*  Relapsed   neuroblastoma\n\nExclusion Criteria:\n\n* Pregnancy\n");
        Assert.Empty(Changes(Trial(), after));
    }

    [Fact]
    public void A_status_change_is_reported_with_old_and_new_status()
    {
        var change = Assert.Single(Changes(Trial(), Trial().Status(RegistryStatuses.Recruiting)));

        Assert.Equal(StudyChangeKinds.OverallStatus, change.Kind);
        Assert.Equal("NOT_YET_RECRUITING", change.OldValue);
        Assert.Equal("RECRUITING", change.NewValue);
        Assert.Contains("NOT_YET_RECRUITING", change.Summary);
        Assert.Contains("RECRUITING", change.Summary);
        Assert.Equal("NCT09990042", change.NctId);
        Assert.Equal(7, change.SyncRunId);
        Assert.Equal(Now, change.DetectedAt);
    }

    [Fact]
    public void A_new_site_is_reported_as_added()
    {
        var after = Trial().Site("Great Ormond Street Hospital", "London", "United Kingdom", "RECRUITING", 51.52, -0.12);

        var change = Assert.Single(Changes(Trial(), after));

        Assert.Equal(StudyChangeKinds.SiteAdded, change.Kind);
        Assert.Contains("Great Ormond Street Hospital", change.Summary);
        Assert.Contains("London", change.NewValue);
    }

    [Fact]
    public void A_site_that_disappears_is_reported_as_removed()
    {
        var before = Trial().Site("Great Ormond Street Hospital", "London", "United Kingdom");

        var change = Assert.Single(Changes(before, Trial()));

        Assert.Equal(StudyChangeKinds.SiteRemoved, change.Kind);
        Assert.Contains("Great Ormond Street Hospital", change.OldValue);
    }

    [Fact]
    public void A_site_that_starts_recruiting_is_reported_as_a_site_status_change()
    {
        var before = new RegistryRecordBuilder().Id("NCT09990042").Site("Hospital Sant Joan de Deu", "Barcelona", "Spain", "NOT_YET_RECRUITING");
        var after = new RegistryRecordBuilder().Id("NCT09990042").Site("Hospital Sant Joan de Deu", "Barcelona", "Spain", "RECRUITING");

        var change = Assert.Single(Changes(before, after));

        Assert.Equal(StudyChangeKinds.SiteStatus, change.Kind);
        Assert.Equal("NOT_YET_RECRUITING", change.OldValue);
        Assert.Equal("RECRUITING", change.NewValue);
        Assert.Contains("Barcelona", change.Summary);
    }

    [Fact]
    public void A_site_whose_coordinates_are_refined_is_not_a_change()
    {
        var before = new RegistryRecordBuilder().Site("Hospital Sant Joan de Deu", "Barcelona", "Spain", "RECRUITING", 41.38, 2.1);
        var after = new RegistryRecordBuilder().Site("Hospital Sant Joan de Deu", "Barcelona", "Spain", "RECRUITING", 41.3851, 2.1014);

        Assert.Empty(Changes(before, after));
    }

    [Fact]
    public void A_wider_age_range_is_reported_as_an_eligible_ages_change()
    {
        var change = Assert.Single(Changes(Trial(), Trial().Ages("6 Months", "21 Years")));

        Assert.Equal(StudyChangeKinds.EligibleAges, change.Kind);
        Assert.Contains("1 Year", change.OldValue);
        Assert.Contains("6 Months", change.NewValue);
    }

    [Fact]
    public void Dropping_the_maximum_age_is_reported()
    {
        var change = Assert.Single(Changes(Trial(), Trial().Ages("1 Year", null)));

        Assert.Equal(StudyChangeKinds.EligibleAges, change.Kind);
        Assert.Contains("no maximum", change.NewValue);
    }

    [Fact]
    public void Changed_criteria_are_reported()
    {
        var after = Trial().Criteria("Inclusion Criteria:\n\n* Relapsed or refractory neuroblastoma\n\nExclusion Criteria:\n\n* Pregnancy");

        var change = Assert.Single(Changes(Trial(), after));

        Assert.Equal(StudyChangeKinds.EligibilityCriteria, change.Kind);
        Assert.Contains("refractory", change.NewValue);
    }

    [Fact]
    public void A_phase_change_is_reported()
    {
        var before = new RegistryRecordBuilder().Phase("PHASE1");
        var after = new RegistryRecordBuilder().Phase("PHASE1", "PHASE2");

        var change = Assert.Single(Changes(before, after));

        Assert.Equal(StudyChangeKinds.Phase, change.Kind);
        Assert.Equal("PHASE1", change.OldValue);
        Assert.Equal("PHASE1, PHASE2", change.NewValue);
    }

    [Fact]
    public void A_retitled_study_is_reported()
    {
        var change = Assert.Single(Changes(Trial(), Trial().Title("Naxitamab and GM-CSF for Refractory Neuroblastoma", "A Phase 2 Study of Naxitamab and GM-CSF")));

        Assert.Equal(StudyChangeKinds.Title, change.Kind);
        Assert.Equal("Naxitamab for Relapsed Neuroblastoma", change.OldValue);
    }

    [Fact]
    public void Several_changes_at_once_are_all_reported()
    {
        var after = Trial()
            .Status(RegistryStatuses.Recruiting)
            .Ages("6 Months", "21 Years")
            .Site("Great Ormond Street Hospital", "London", "United Kingdom");

        var kinds = Changes(Trial(), after).Select(c => c.Kind).Order().ToList();

        Assert.Equal(
            new[] { StudyChangeKinds.EligibleAges, StudyChangeKinds.OverallStatus, StudyChangeKinds.SiteAdded }.Order(),
            kinds);
    }

    [Fact]
    public void The_same_tags_in_another_order_or_with_other_evidence_are_not_a_tag_change()
    {
        var study = Trial().Build();
        study.ApplyClassification(new StudyClassification(["neuroblastoma"], [], true, ["anti-gd2", "chemotherapy"], []));
        var reordered = new StudyClassification(["neuroblastoma"], [], true, ["chemotherapy", "anti-gd2"],
            [new TagEvidence("therapy", "anti-gd2", "intervention", "Naxitamab", "naxitamab*")]);

        Assert.Null(StudyChangeDetector.DetectTagChange(study, reordered, Now, syncRunId: null));
    }

    [Fact]
    public void A_tag_gained_and_a_tag_lost_are_one_change_naming_both()
    {
        var study = Trial().Build();
        study.ApplyClassification(new StudyClassification(["neuroblastoma"], [], false, ["radiotherapy"], []));
        var now = new StudyClassification(["neuroblastoma"], [], true, ["other-radioligand"], []);

        var change = StudyChangeDetector.DetectTagChange(study, now, Now, syncRunId: null);

        Assert.NotNull(change);
        Assert.Equal(StudyChangeKinds.Tags, change.Kind);
        Assert.Equal("Tags changed: added refractory, therapy:other-radioligand; removed therapy:radiotherapy", change.Summary);
        Assert.Equal("disease:neuroblastoma, therapy:radiotherapy", change.OldValue);
        Assert.Equal("disease:neuroblastoma, refractory, therapy:other-radioligand", change.NewValue);
    }
}
