namespace TrialFinder.Core;

/// <summary>
/// The exact word each value of an enum is stored as in its database column (and written in logs, metrics and job
/// arguments). Spelled out rather than derived from member names, so renaming a member never changes stored data.
/// </summary>
public sealed class StoredNames<TEnum> where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> _names;
    private readonly Dictionary<string, TEnum> _values;

    public StoredNames(params (TEnum Value, string Name)[] names)
    {
        _names = names.ToDictionary(n => n.Value, n => n.Name);
        _values = names.ToDictionary(n => n.Name, n => n.Value, StringComparer.Ordinal);
        if (_names.Count != Enum.GetValues<TEnum>().Length)
        {
            throw new InvalidOperationException($"Every {typeof(TEnum).Name} needs a stored name.");
        }
    }

    public string Of(TEnum value) => _names[value];

    public TEnum Parse(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new FormatException($"'{name}' is not a stored {typeof(TEnum).Name}.");

    public bool TryParse(string? name, out TEnum value) => _values.TryGetValue(name ?? "", out value);
}
