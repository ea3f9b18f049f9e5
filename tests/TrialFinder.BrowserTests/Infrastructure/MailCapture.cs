using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace TrialFinder.BrowserTests.Infrastructure;

/// <summary>
/// Keeps the site's log messages so a test can read the e-mails the product writes to the log when no
/// SMTP server is configured (it logs them at Information; this provider gets Information whatever the
/// site's default log level is).
/// </summary>
public sealed partial class MailCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages.ToArray();

    /// <summary>The first link in a logged e-mail to the address whose text contains <paramref name="pathPart"/>.</summary>
    public string? LinkTo(string address, string pathPart) =>
        Messages.Where(m => m.Contains(address, StringComparison.OrdinalIgnoreCase))
            .SelectMany(m => Link().Matches(m))
            .Select(m => m.Value)
            .FirstOrDefault(url => url.Contains(pathPart, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+")]
    private static partial Regex Link();

    private sealed class Logger(MailCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._messages.Enqueue(exception is null ? formatter(state, exception) : formatter(state, exception) + Environment.NewLine + exception);
            }
        }
    }
}
