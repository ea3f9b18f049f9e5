using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TrialFinder.Core.Studies;

/// <summary>
/// The version of how a stored study is read (its tags by <see cref="Classification.StudyClassifier"/>, its eligibility
/// facts by <see cref="Eligibility.CriteriaExtractor"/>): the rules version below and a fingerprint of the two data files
/// that drive them. Every study stores the version it was read with; the workers re-read the studies whose version is
/// not this one.
/// </summary>
public static class StudyReading
{
    /// <summary>
    /// Bump by one whenever a change in code (not in vocabulary.json or criteria.json, which the fingerprint already sees)
    /// changes what the classifier or the criteria extractor read from a study.
    /// </summary>
    public const int RulesVersion = 3;

    private const string VocabularyResource = "TrialFinder.Core.Classification.vocabulary.json";
    private const string CriteriaResource = "TrialFinder.Core.Eligibility.criteria.json";

    /// <summary>"r{rules}-{16 hex digits}" for the rules and data files this build ships.</summary>
    public static string CurrentVersion { get; } = Version(RulesVersion, EmbeddedText(VocabularyResource), EmbeddedText(CriteriaResource));

    /// <summary>
    /// The version for these rules and data files. The JSON is compared without its layout (indentation, line endings),
    /// so workers built from checkouts with different line endings agree.
    /// </summary>
    public static string Version(int rulesVersion, string vocabularyJson, string criteriaJson)
    {
        var canonical = string.Join('\n', rulesVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Compact(vocabularyJson), Compact(criteriaJson));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return $"r{rulesVersion}-{Convert.ToHexStringLower(hash)[..16]}";
    }

    private static string Compact(string json) =>
        JsonNode.Parse(json)?.ToJsonString() ?? throw new InvalidOperationException("A reading data file is empty.");

    private static string EmbeddedText(string resource)
    {
        using var stream = typeof(StudyReading).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded {resource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
