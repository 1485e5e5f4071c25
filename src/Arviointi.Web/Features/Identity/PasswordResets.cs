using System.Diagnostics;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// Password reset by e-mail. A request answers the same, in about the same time, whether the account exists or not,
/// and mails a link only to an account that has an address; the link works once, until
/// <see cref="PasswordResetTokenOptions.Lifetime"/> has passed, and setting the password with it changes the security
/// stamp, which signs the person out everywhere else.
/// </summary>
internal sealed class PasswordResets(AppDbContext db, UserManager<AppUser> users, TimeProvider time, IOptions<MailOptions> mail, IOptions<PasswordResetTokenOptions> tokens)
{
    public const string LinkInvalid = "Salasanan vaihtolinkki ei ole voimassa. Se on voinut vanhentua, tai sillä on jo vaihdettu salasana. Pyydä uusi linkki.";

    /// <summary>At most this many links an hour per account, so nobody can flood a person's inbox through the form.</summary>
    public const int MaxLinksPerHour = 3;

    /// <summary>
    /// Every request takes at least this long in wall-clock time (real time, not the app's clock: it is what an observer
    /// measures), so the response time does not tell whether a mail was written.
    /// </summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromMilliseconds(400);

    public static IReadOnlyList<string> TextsMadeInCode => [LinkInvalid];

    /// <summary>Queues a link to every account whose user name or address is <paramref name="typed"/>; nothing is logged otherwise.</summary>
    public async Task RequestAsync(string? typed, string language, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var text = typed?.Trim() ?? "";
        if (text.Length is > 0 and <= 256)
        {
            await QueueAsync(text, language, ct);
        }

        var left = MinimumDuration - started.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, ct);
        }
    }

    /// <summary>The person a link is for, while it works.</summary>
    public async Task<AppUser?> LinkedAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || await users.FindByIdAsync(userId) is not { } user)
        {
            return null;
        }

        return await users.VerifyUserTokenAsync(user, AccountTokens.PasswordReset, UserManager<AppUser>.ResetPasswordTokenPurpose, token) ? user : null;
    }

    /// <summary>Null when the link no longer works; otherwise the password's problems in Finnish, empty on success.</summary>
    public async Task<IReadOnlyList<string>?> ResetAsync(string? userId, string? token, string? password, string? confirm, CancellationToken ct)
    {
        if (await LinkedAsync(userId, token) is not { } user)
        {
            return null;
        }

        if (password != confirm)
        {
            return ["Uusi salasana ja sen vahvistus eivät ole samat."];
        }

        // Identity's reset sets the password and then a new security stamp: the link is spent, and every other session
        // of the person ends at its next validation.
        var reset = await users.ResetPasswordAsync(user, token!, password ?? "");
        if (!reset.Succeeded)
        {
            return reset.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)) ? null : [.. reset.Errors.Select(UsersModel.Describe)];
        }

        // The link proved the mailbox: a lockout from guessing the old password no longer serves anything.
        user.EmailConfirmed = true;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        await users.UpdateAsync(user);
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = user.UserName!, Action = "password.reset", Details = $"Käyttäjän {user.UserName} salasana vaihdettiin sähköpostilinkillä; muut istunnot päättyvät" });
        await db.SaveChangesAsync(ct);
        return [];
    }

    private async Task QueueAsync(string typed, string language, CancellationToken ct)
    {
        var name = users.NormalizeName(typed);
        var email = users.NormalizeEmail(typed);
        var accounts = await db.Users
            .Where(u => (u.NormalizedUserName == name || u.NormalizedEmail == email) && u.Email != null && u.Email != "")
            .OrderBy(u => u.Id).Take(5).ToListAsync(ct);
        var now = time.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        foreach (var user in accounts)
        {
            var prefix = $"reset:{user.Id}:";
            var recent = await db.OutgoingMails.CountAsync(m => m.Key.StartsWith(prefix) && m.CreatedAt > hourAgo, ct);
            if (recent >= MaxLinksPerHour)
            {
                db.AuditEvents.Add(new AuditEvent { At = now, Actor = user.UserName!, Action = "password.reset.requested", Details = $"Käyttäjän {user.UserName} salasanan vaihtolinkkiä pyydettiin; ei lähetetty, koska tunnin sisällä on jo lähetetty {MaxLinksPerHour}" });
                continue;
            }

            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = $"{mail.Value.BaseUrl.TrimEnd('/')}/salasana/uusi?kayttaja={Uri.EscapeDataString(user.Id)}&koodi={token}";
            db.OutgoingMails.Add(AccountMail.PasswordReset(user, link, now + tokens.Value.TokenLifespan, language, now));
            db.AuditEvents.Add(new AuditEvent { At = now, Actor = user.UserName!, Action = "password.reset.requested", Details = $"Käyttäjän {user.UserName} salasanan vaihtolinkki lähetettiin" });
        }

        if (accounts.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }
    }
}
