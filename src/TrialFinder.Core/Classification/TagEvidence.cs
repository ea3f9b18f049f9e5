namespace TrialFinder.Core.Classification;

/// <summary>Why a study carries a tag: which part of the record matched which vocabulary term.</summary>
public sealed record TagEvidence(string Kind, string Slug, string Source, string MatchedText, string Term)
{
    public string Explain(string tagName) => $"tagged {tagName} because of {Source} '{MatchedText}'";
}

public static class TagKinds
{
    public const string Disease = "disease";
    public const string NetSubtype = "net-subtype";
    public const string Refractory = "refractory";
    public const string Therapy = "therapy";
}

public static class EvidenceSources
{
    public const string Condition = "condition";
    public const string Keyword = "keyword";
    public const string Title = "title";
    public const string Intervention = "intervention";
    public const string InterventionOtherName = "intervention other name";
    public const string InterventionDescription = "intervention description";
    public const string ArmDescription = "arm description";
    public const string InclusionCriteria = "inclusion criteria";
    public const string Criteria = "eligibility criteria";
    public const string Summary = "brief summary";
}

public sealed record StudyClassification(
    IReadOnlyList<string> Diseases,
    IReadOnlyList<string> NetSubtypes,
    bool TakesRefractory,
    IReadOnlyList<string> TherapyTypes,
    IReadOnlyList<TagEvidence> Evidence);
