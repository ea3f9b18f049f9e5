using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using TrialFinder.Core.PreScreening;

namespace TrialFinder.Web.Features.PreScreen;

/// <summary>
/// A patient's facts travel in the query string (pt-… parameters), which ASP.NET Core logs at Information ("Request
/// starting GET /trials?…"), redirects log, and tracing records as <c>url.query</c>. Every such parameter is cut out of
/// log lines and trace attributes here, name and value alike.
/// </summary>
public static partial class PatientFactsRedaction
{
    public const string Placeholder = "[redacted]";

    /// <summary>Whether a text (a URL, a query string, a log line) holds a patient parameter, plain or percent-encoded.</summary>
    public static bool Contains(string? text) => text is not null && PatientParameter().IsMatch(text);

    /// <summary>The text with each patient parameter (and anything after it up to the next parameter) replaced.</summary>
    public static string Redact(string text) => PatientParameter().Replace(text, m => m.Groups["sep"].Value + Placeholder);

    /// <summary>Removes the query from the current request's trace when it carries patient facts (run first in the pipeline).</summary>
    public static Task RedactTraceAsync(HttpContext context, Func<Task> next)
    {
        if (Contains(context.Request.QueryString.Value) && Activity.Current is { } activity)
        {
            foreach (var tag in activity.TagObjects.Where(t => t.Value is string value && Contains(value)).ToList())
            {
                activity.SetTag(tag.Key, Redact((string)tag.Value!));
            }

            activity.SetTag("url.query", Placeholder);
            activity.DisplayName = Redact(activity.DisplayName);
        }

        return next();
    }

    [GeneratedRegex(@"(?<sep>[?&]|%3F|%26)" + PatientQuestions.Prefix + @"(?:[^&#\s""'<>%]|%(?!26))*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PatientParameter();
}

/// <summary>Wraps the site's logger factory so that no log line, of any category, carries a patient parameter.</summary>
public sealed class PatientFactsRedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var values = state as IEnumerable<KeyValuePair<string, object?>>;
            var carries = PatientFactsRedaction.Contains(message)
                || values?.Any(v => v.Key != "{OriginalFormat}" && PatientFactsRedaction.Contains(Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture))) == true;
            if (!carries)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var redacted = new RedactedState(
                PatientFactsRedaction.Redact(message),
                (values ?? []).Select(v => v.Key == "{OriginalFormat}"
                        ? v
                        : new KeyValuePair<string, object?>(v.Key, Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) is { } text && PatientFactsRedaction.Contains(text)
                            ? PatientFactsRedaction.Redact(text)
                            : v.Value))
                    .ToList());
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
        }
    }

    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public int Count => values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
