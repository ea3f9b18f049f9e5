using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TrialFinder.Infrastructure.Email;

/// <summary>
/// E-mails to send after the response: a request that leads to an e-mail costs the same whether or not it
/// is sent, and whatever the mail server's speed (no account enumeration by timing).
/// </summary>
public interface IMailQueue
{
    void Enqueue(EmailMessage message);
}

/// <summary>An in-process queue (bounded; a full queue drops the oldest e-mail rather than slowing requests).</summary>
public sealed class MailQueue : IMailQueue
{
    public const int Capacity = 1000;

    private readonly Channel<EmailMessage> _channel =
        Channel.CreateBounded<EmailMessage>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Enqueue(EmailMessage message) => _channel.Writer.TryWrite(message);

    public IAsyncEnumerable<EmailMessage> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}

/// <summary>Sends the queued e-mails one after the other; a failed e-mail is logged (without its body) and dropped.</summary>
public sealed class MailQueueSender(MailQueue queue, IEmailSender email, ILogger<MailQueueSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in queue.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await email.SendAsync(message, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogError(exception, "E-mail '{Subject}' to {To} could not be sent", message.Subject, message.To);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
