namespace TrialFinder.Bench;

internal sealed class CommandLineException(string message) : Exception(message);

/// <summary>Options given as <c>--name value</c> pairs, and with <c>positional</c> other words too.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _options;

    private CommandLine(Dictionary<string, string> options, List<string> words)
    {
        _options = options;
        Words = words;
    }

    public IReadOnlyList<string> Words { get; }

    public static CommandLine Parse(string[] args, string[] required, bool positional = false)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length || !options.TryAdd(args[i][2..], args[i + 1]))
                {
                    throw new CommandLineException($"{args[i]} needs one value and is given once");
                }

                i++;
            }
            else if (positional)
            {
                words.Add(args[i]);
            }
            else
            {
                throw new CommandLineException($"unexpected argument {args[i]}");
            }
        }

        var parsed = new CommandLine(options, words);
        foreach (var name in required)
        {
            parsed.Required(name);
        }

        return parsed;
    }

    public string Required(string name) =>
        _options.TryGetValue(name, out var value) ? value : throw new CommandLineException($"--{name} is required");

    public string? Optional(string name) => _options.GetValueOrDefault(name);

    public int Number(string name, int fallback, int min, int max)
    {
        if (!_options.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new CommandLineException($"--{name} takes a whole number from {min} to {max}");
    }
}
