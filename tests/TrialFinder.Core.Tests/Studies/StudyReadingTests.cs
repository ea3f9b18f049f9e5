using TrialFinder.Core.Studies;

namespace TrialFinder.Core.Tests.Studies;

/// <summary>
/// The reading version changes exactly when what decides a study's reading changes: the rules version a developer bumps,
/// or the contents of vocabulary.json or criteria.json, never their layout.
/// </summary>
public sealed class StudyReadingTests
{
    private const string Vocabulary = """{ "diseases": [ { "slug": "net", "terms": ["carcinoid"] } ] }""";
    private const string Criteria = """{ "criteria": [ { "id": "ki67", "kind": "ki67" } ] }""";

    [Fact]
    public void The_version_names_the_rules_version_and_is_stable_for_the_same_inputs()
    {
        var version = StudyReading.Version(3, Vocabulary, Criteria);

        Assert.Matches("^r3-[0-9a-f]{16}$", version);
        Assert.Equal(version, StudyReading.Version(3, Vocabulary, Criteria));
    }

    [Fact]
    public void Indentation_and_line_endings_of_the_data_files_do_not_change_the_version()
    {
        var reformatted = Vocabulary.Replace(" ", "").Replace("{", "{\r\n    ").Replace(",", ",\r\n");

        Assert.Equal(StudyReading.Version(1, Vocabulary, Criteria), StudyReading.Version(1, reformatted, Criteria));
    }

    [Fact]
    public void A_new_term_a_new_criterion_rule_or_a_bumped_rules_version_changes_the_version()
    {
        var version = StudyReading.Version(1, Vocabulary, Criteria);

        Assert.NotEqual(version, StudyReading.Version(1, Vocabulary.Replace("\"carcinoid\"", "\"carcinoid\", \"carcinoids\""), Criteria));
        Assert.NotEqual(version, StudyReading.Version(1, Vocabulary, Criteria.Replace("ki67", "grade")));
        Assert.NotEqual(version, StudyReading.Version(2, Vocabulary, Criteria));
    }

    [Fact]
    public void The_current_version_is_read_from_the_shipped_data_files_and_the_rules_version_constant()
    {
        Assert.StartsWith($"r{StudyReading.RulesVersion}-", StudyReading.CurrentVersion);
        Assert.Matches("^r[0-9]+-[0-9a-f]{16}$", StudyReading.CurrentVersion);
    }
}
