using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Infrastructure.Settings;

namespace TrialFinder.Infrastructure.Email;

public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>When empty, messages go to <see cref="PickupDirectory"/> if set, else nowhere (only the fact is logged).</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535, ErrorMessage = Allowed.WholeNumber)]
    public int SmtpPort { get; set; } = 587;

    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    public bool SmtpEnableSsl { get; set; } = true;

    /// <summary>A folder where each message is written as an .eml file (for running without a mail server).</summary>
    public string? PickupDirectory { get; set; }

    [Required(ErrorMessage = "use an e-mail address"), EmailAddress(ErrorMessage = "use an e-mail address")]
    public string From { get; set; } = "trialfinder@localhost";
}

public sealed record EmailMessage(string To, string Subject, string Body);

/// <summary>Sends one e-mail now.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Sends account and digest e-mails by SMTP, or writes them to a pickup folder. The body is never logged:
/// it holds one-time links (confirmation, password reset, unsubscribe).
/// </summary>
public sealed class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var mail = new MailMessage(settings.From, message.To, message.Subject, message.Body);
        if (!string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            using var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort) { EnableSsl = settings.SmtpEnableSsl };
            if (!string.IsNullOrEmpty(settings.SmtpUser))
            {
                client.Credentials = new NetworkCredential(settings.SmtpUser, settings.SmtpPassword);
            }

            await client.SendMailAsync(mail, cancellationToken);
            logger.LogInformation("E-mail '{Subject}' sent to {To}", message.Subject, message.To);
        }
        else if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            var folder = Path.GetFullPath(settings.PickupDirectory);
            Directory.CreateDirectory(folder);
            // Readable as plain text in the file (links unbroken), for a person running the site without a mail server.
            mail.BodyEncoding = System.Text.Encoding.UTF8;
            mail.BodyTransferEncoding = System.Net.Mime.TransferEncoding.EightBit;
            using var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = folder };
            await client.SendMailAsync(mail, cancellationToken);
            logger.LogInformation("E-mail '{Subject}' to {To} written to {Folder}", message.Subject, message.To, folder);
        }
        else
        {
            logger.LogWarning("E-mail '{Subject}' to {To} not sent: set Email:SmtpHost, or Email:PickupDirectory to keep e-mails as files",
                message.Subject, message.To);
        }
    }
}
