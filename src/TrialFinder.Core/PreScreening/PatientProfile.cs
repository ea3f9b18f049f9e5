namespace TrialFinder.Core.PreScreening;

/// <summary>
/// What a family told us about the patient: an answer per question they answered, keyed by the question's name.
/// A question left at "don't know" has no answer here and is never a reason for anything.
/// </summary>
public sealed class PatientProfile
{
    private readonly Dictionary<string, string> _answers;

    private PatientProfile(Dictionary<string, string> answers, bool hideConflicts)
    {
        _answers = answers;
        HideConflicts = hideConflicts;
    }

    public static PatientProfile Empty { get; } = new([], false);

    /// <summary>Hide the trials whose stated criteria clearly conflict with the answers.</summary>
    public bool HideConflicts { get; }

    public bool IsEmpty => _answers.Count == 0;

    public IReadOnlyDictionary<string, string> Answers => _answers;

    public string? AnswerTo(PatientQuestion question) => _answers.GetValueOrDefault(question.Name);

    /// <summary>
    /// Reads the answers from query values (the first value of each name). Returns the names whose value is neither
    /// "don't know" nor an answer the question takes; those are left out of the profile.
    /// </summary>
    public static (PatientProfile Profile, IReadOnlyList<string> Invalid) Parse(Func<string, string?> valueOf)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var invalid = new List<string>();
        foreach (var question in PatientQuestions.All)
        {
            var value = valueOf(question.Name);
            if (PatientQuestions.IsDontKnow(value))
            {
                continue;
            }

            if (PatientQuestions.Normalize(question, value!) is { } answer)
            {
                answers[question.Name] = answer;
            }
            else
            {
                invalid.Add(question.Name);
            }
        }

        var hide = valueOf(PatientQuestions.HideConflicts);
        var hideConflicts = false;
        if (!string.IsNullOrWhiteSpace(hide) && !bool.TryParse(hide.Trim(), out hideConflicts))
        {
            invalid.Add(PatientQuestions.HideConflicts);
        }

        return (new PatientProfile(answers, hideConflicts), invalid);
    }
}
