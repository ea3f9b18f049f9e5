using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using TrialFinder.Sync.Notifications;

namespace TrialFinder.IntegrationTests.Features.Accounts;

/// <summary>
/// The e-mails the site "sent": with no SMTP server configured, EmailSender writes each message to the
/// log, and this logger provider keeps them so tests can read them like a mailbox.
/// </summary>
public sealed partial class EmailLog : ILoggerProvider
{
    public static readonly string Category = typeof(EmailSender).FullName!;

    private readonly ConcurrentQueue<EmailMessage> _messages = new();

    public IReadOnlyList<EmailMessage> Messages => _messages.ToArray();

    public IReadOnlyList<EmailMessage> To(string address) =>
        Messages.Where(m => string.Equals(m.To, address, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The only link in the newest message to the address whose subject contains the text.</summary>
    public string LinkIn(string address, string subjectContains)
    {
        var message = To(address).LastOrDefault(m => m.Subject.Contains(subjectContains, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"No e-mail to {address} about '{subjectContains}'. Sent: {string.Join(" | ", Messages.Select(m => $"{m.To}: {m.Subject}"))}");
        return Assert.Single(Links(message.Body));
    }

    public static IReadOnlyList<string> Links(string body) => Link().Matches(body).Select(m => m.Value).ToList();

    /// <summary>The path and query of a link, to follow it on the test server whatever host the e-mail names.</summary>
    public static string PathOf(string link) => new Uri(link).PathAndQuery;

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Recorder(this) : NullLogger;

    public void Dispose()
    {
    }

    private static readonly ILogger NullLogger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Link();

    private sealed class Recorder(EmailLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            var fields = values.ToDictionary(v => v.Key, v => v.Value?.ToString());
            if (fields.TryGetValue("To", out var to) && fields.TryGetValue("Subject", out var subject) && fields.TryGetValue("Body", out var body)
                && to is not null && subject is not null && body is not null)
            {
                log._messages.Enqueue(new EmailMessage(to, subject, body));
            }
        }
    }
}
