using Arviointi.Web.Data;
using Arviointi.Web.Jobs;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Arviointi.Web.Features.Notifications;

/// <summary>
/// Sends the outbox over SMTP. Each message is claimed with a conditional update before sending, so two servers never
/// send it twice; a message the server refuses waits longer after each attempt and gives up after
/// <see cref="OutgoingMail.MaxAttempts"/>. A run with any failure ends in an exception, so Hangfire retries it and the
/// administrator's front page shows a job that keeps failing.
/// </summary>
internal sealed class MailSender(AppDbContext db, TimeProvider time, IOptions<MailOptions> options, ILogger<MailSender> logger) : IScheduledWork
{
    private const int Batch = 200;
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(10);

    public async Task RunAsync(CancellationToken ct = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        if (!settings.Configured)
        {
            // Nothing is lost: messages wait, and the front page tells the administrator that mail is not set up.
            return;
        }

        var due = await db.OutgoingMails.AsNoTracking()
            .Where(m => m.SentAt == null && m.Attempts < OutgoingMail.MaxAttempts && m.NextAttemptAt <= now)
            .OrderBy(m => m.Id).Take(Batch).ToListAsync(ct);
        if (due.Count == 0)
        {
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host, settings.Port, settings.Security, ct);
        if (settings.UserName.Length > 0)
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password, ct);
        }

        var failed = 0;
        string? firstError = null;
        foreach (var mail in due)
        {
            var claimed = await db.OutgoingMails
                .Where(m => m.Id == mail.Id && m.SentAt == null && m.Attempts == mail.Attempts)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, mail.Attempts + 1).SetProperty(m => m.NextAttemptAt, now + Claim), ct);
            if (claimed == 0)
            {
                continue;
            }

            try
            {
                await client.SendAsync(Message(mail, settings), ct);
                await db.OutgoingMails.Where(m => m.Id == mail.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, time.GetUtcNow()).SetProperty(m => m.LastError, (string?)null), ct);
            }
            catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or IOException)
            {
                failed++;
                var error = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
                firstError ??= error;
                await db.OutgoingMails.Where(m => m.Id == mail.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now + Backoff(mail.Attempts + 1)).SetProperty(m => m.LastError, error), ct);
                logger.LogWarning("Viestiä {MailId} ei voitu lähettää (yritys {Attempt}): {Error}", mail.Id, mail.Attempts + 1, error);
                if (!client.IsConnected)
                {
                    break;
                }
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(quit: true, ct);
        }

        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} viestiä {due.Count}:stä ei voitu lähettää ({firstError}); ne yritetään myöhemmin uudelleen.");
        }
    }

    /// <summary>Waits 2, 4, 8 … minutes after the n-th failed attempt, at most a day.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(24 * 60, Math.Pow(2, attempts)));

    // Addresses are logged nowhere: only the message id is.
    private static MimeMessage Message(OutgoingMail mail, MailOptions settings)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToAddress));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Body };
        return message;
    }
}
