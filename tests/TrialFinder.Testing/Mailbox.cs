using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using TrialFinder.Infrastructure.Email;

namespace TrialFinder.Testing;

/// <summary>
/// The e-mails the test site "sent": registered as the site's <see cref="IEmailSender"/>, it keeps each
/// message so tests read them like a mailbox (the product never logs a message's body). Account e-mails
/// leave through a background queue, so readers wait a little for them.
/// </summary>
public sealed partial class Mailbox : IEmailSender
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly ConcurrentQueue<EmailMessage> _messages = new();

    public IReadOnlyList<EmailMessage> Messages => _messages.ToArray();

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }

    public IReadOnlyList<EmailMessage> To(string address) =>
        Messages.Where(m => string.Equals(m.To, address, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The newest message to the address whose subject contains the text, once there are at least <paramref name="count"/> of them.</summary>
    public async Task<EmailMessage> WaitForAsync(string address, string subjectContains, int count = 1)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var matching = To(address).Where(m => m.Subject.Contains(subjectContains, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matching.Count >= count)
            {
                return matching[^1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"No e-mail to {address} about '{subjectContains}'. Sent: {string.Join(" | ", Messages.Select(m => $"{m.To}: {m.Subject}"))}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The only link in the newest message to the address whose subject contains the text.</summary>
    public async Task<string> LinkInAsync(string address, string subjectContains, int count = 1)
    {
        var links = Links((await WaitForAsync(address, subjectContains, count)).Body);
        return links.Count == 1 ? links[0] : throw new InvalidOperationException($"Expected one link in the e-mail to {address}, found {links.Count}.");
    }

    public static IReadOnlyList<string> Links(string body) => Link().Matches(body).Select(m => m.Value).ToList();

    /// <summary>The path and query of a link, to follow it on the test server.</summary>
    public static string PathOf(string link) => new Uri(link).PathAndQuery;

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Link();
}
