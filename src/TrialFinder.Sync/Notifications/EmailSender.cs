using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrialFinder.Sync.Settings;

namespace TrialFinder.Sync.Notifications;

public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>When empty, messages are written to the log instead of sent, so the product runs with no mail server.</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535, ErrorMessage = Allowed.WholeNumber)]
    public int SmtpPort { get; set; } = 587;

    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    public bool SmtpEnableSsl { get; set; } = true;

    [Required(ErrorMessage = "use an e-mail address"), EmailAddress(ErrorMessage = "use an e-mail address")]
    public string From { get; set; } = "trialfinder@localhost";
}

public sealed record EmailMessage(string To, string Subject, string Body);

/// <summary>Sends account and digest e-mails by SMTP when configured, otherwise logs them.</summary>
public sealed class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger)
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            logger.LogInformation("E-mail not sent (no Email:SmtpHost configured). To: {To}\nSubject: {Subject}\n{Body}",
                message.To, message.Subject, message.Body);
            return;
        }

        using var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort) { EnableSsl = settings.SmtpEnableSsl };
        if (!string.IsNullOrEmpty(settings.SmtpUser))
        {
            client.Credentials = new NetworkCredential(settings.SmtpUser, settings.SmtpPassword);
        }

        using var mail = new MailMessage(settings.From, message.To, message.Subject, message.Body);
        await client.SendMailAsync(mail, cancellationToken);
        logger.LogInformation("E-mail '{Subject}' sent to {To}", message.Subject, message.To);
    }
}
