using MailKit.Security;

namespace Arviointi.Web.Features.Notifications;

/// <summary>The SMTP server mail leaves through (section <c>Mail</c>). With no <see cref="Host"/>, messages wait in the outbox.</summary>
internal sealed class MailOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>MailKit's choice of TLS: <c>StartTls</c>, <c>SslOnConnect</c>, <c>StartTlsWhenAvailable</c> or <c>None</c> (a relay on the same host).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    public string FromAddress { get; set; } = "arviointi@example.invalid";

    public string FromName { get; set; } = "Arviointi";

    /// <summary>The public address of the service, for links in messages.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5000";

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>When unit leaders are reminded (section <c>Reminders</c>).</summary>
internal sealed class ReminderOptions
{
    public const int MaxPoints = 3;

    /// <summary>A unit whose response rate in some group is under this share gets a reminder.</summary>
    public double Threshold { get; set; } = 0.5;

    /// <summary>At most three points of the answering period; set in appsettings.json.</summary>
    public List<ReminderPoint> Points { get; set; } = [];

    /// <summary>How long after publication directors are still told of it; a director added later is not told of old rounds.</summary>
    public TimeSpan PublicationNoticeWindow { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>A reminder a number of days after opening (<see cref="ReminderAnchor.Open"/>) or before closing (negative days from <see cref="ReminderAnchor.Close"/>).</summary>
internal sealed class ReminderPoint
{
    public ReminderAnchor From { get; set; }

    public double Days { get; set; }

    public DateTimeOffset At(DateTimeOffset opensAt, DateTimeOffset closesAt) =>
        (From == ReminderAnchor.Open ? opensAt : closesAt).AddDays(Days);
}

internal enum ReminderAnchor
{
    Open,
    Close,
}
