using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TrialFinder.IntegrationTests.Infrastructure;

/// <summary>
/// Every log line of every category the host lets through, as text: message, state values, exception; with
/// <paramref name="scopes"/>, the scopes too (for tests that no value reaches any part of a log).
/// </summary>
public sealed class LogCapture(bool scopes = false) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly bool _scopes = scopes;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            if (owner._scopes)
            {
                owner._lines.Enqueue($"{category} scope: {state}");
            }

            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner._lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {values} {exception}");
        }
    }
}
