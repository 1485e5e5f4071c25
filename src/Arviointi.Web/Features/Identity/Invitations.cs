using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Identity;

/// <summary>What the coordinator fills in to invite a person; the e-mail address becomes the user name.</summary>
internal sealed class InviteRequest
{
    public string Email { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Role { get; set; } = Roles.UnitLeader;

    public string? MunicipalityCode { get; set; }

    public int? UnitId { get; set; }

    public string Language { get; set; } = "fi";
}

/// <summary>
/// Invitations by e-mail: the coordinator makes an account without a password and the person chooses one through a
/// link that works once, until <see cref="InvitationTokenOptions.Lifetime"/> has passed. The link goes out through the
/// outbox in the language chosen for the person; sending it again makes every earlier link of that person stop working.
/// </summary>
internal sealed class Invitations(AppDbContext db, UserManager<AppUser> users, TimeProvider time, IOptions<MailOptions> mail, IOptions<InvitationTokenOptions> tokens)
{
    public const string LinkInvalid = "Kutsulinkki ei ole voimassa. Se on voinut vanhentua, tai salasana on jo asetettu sen kautta. Pyydä alueen koordinaattorilta uusi kutsu.";

    public static IReadOnlyList<string> TextsMadeInCode =>
    [
        LinkInvalid, "Anna sähköpostiosoite.", "Tällä sähköpostiosoitteella on jo käyttäjätunnus.", "Tuntematon kieli.",
        "Kutsun voi lähettää uudelleen vain käyttäjälle, joka ei ole vielä asettanut salasanaa ja jolla on sähköpostiosoite.",
    ];

    public bool MailConfigured => mail.Value.Configured;

    /// <summary>Creates the account without a password and queues the invitation; returns the Finnish reasons when it cannot.</summary>
    public async Task<IReadOnlyList<string>> InviteAsync(InviteRequest request, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = request.Email?.Trim() ?? "";
        var name = request.DisplayName?.Trim() ?? "";
        var errors = new List<string>();
        if (email.Length == 0)
        {
            errors.Add("Anna sähköpostiosoite.");
        }
        else if (email.Length > 256 || !new EmailAddressAttribute().IsValid(email))
        {
            errors.Add("Sähköpostiosoite ei ole kelvollinen.");
        }

        if (name.Length == 0)
        {
            errors.Add("Anna nimi.");
        }
        else if (name.Length > 200)
        {
            errors.Add("Nimi on liian pitkä.");
        }

        if (!LanguageSwitch.Languages.Contains(request.Language))
        {
            errors.Add("Tuntematon kieli.");
        }

        var scope = await StaffScope.ResolveAsync(db, request.Role, request.MunicipalityCode, request.UnitId, ct);
        errors.AddRange(scope.Errors);
        var normalized = users.NormalizeEmail(email);
        if (errors.Count == 0 && await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct))
        {
            errors.Add("Tällä sähköpostiosoitteella on jo käyttäjätunnus.");
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var user = new AppUser
        {
            UserName = email,
            Email = email,
            DisplayName = name,
            MunicipalityCode = scope.MunicipalityCode,
            UnitId = scope.UnitId,
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return [.. created.Errors.Select(UsersModel.Describe)];
        }

        await users.AddToRoleAsync(user, request.Role);
        await users.AddClaimAsync(user, new Claim(AccountMail.LanguageClaim, request.Language));
        await QueueAsync(user, request.Role, request.Language, actor, "invitation.sent", $"Käyttäjä {user.UserName} kutsuttiin roolissa {request.Role} ({request.Language})", ct);
        return [];
    }

    /// <summary>A new link to a person who has not chosen a password yet; the earlier links stop working.</summary>
    public async Task<IReadOnlyList<string>> ResendAsync(string? userId, string actor, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId ?? "");
        if (user is null || user.PasswordHash is not null || string.IsNullOrEmpty(user.Email))
        {
            return ["Kutsun voi lähettää uudelleen vain käyttäjälle, joka ei ole vielä asettanut salasanaa ja jolla on sähköpostiosoite."];
        }

        await users.UpdateSecurityStampAsync(user);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        var language = (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == AccountMail.LanguageClaim)?.Value;
        await QueueAsync(user, role, AccountMail.Language(language), actor, "invitation.resent", $"Käyttäjän {user.UserName} kutsu lähetettiin uudelleen", ct);
        return [];
    }

    /// <summary>The person a link is for, while it works: the account has no password yet and the token is valid.</summary>
    public async Task<AppUser?> InvitedAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || await users.FindByIdAsync(userId) is not { } user || user.PasswordHash is not null)
        {
            return null;
        }

        return await users.VerifyUserTokenAsync(user, AccountTokens.Invitation, AccountTokens.Invitation, token) ? user : null;
    }

    /// <summary>
    /// Sets the invited person's first password. Setting it changes the security stamp, so the link works once.
    /// Null when the link no longer works; otherwise the password's problems in Finnish, empty on success.
    /// </summary>
    public async Task<IReadOnlyList<string>?> AcceptAsync(string? userId, string? token, string? password, string? confirm, CancellationToken ct)
    {
        if (await InvitedAsync(userId, token) is not { } user)
        {
            return null;
        }

        if (password != confirm)
        {
            return ["Uusi salasana ja sen vahvistus eivät ole samat."];
        }

        var added = await users.AddPasswordAsync(user, password ?? "");
        if (!added.Succeeded)
        {
            // Another tab set it a moment ago: the link is used.
            return added.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.UserAlreadyHasPassword)) ? null : [.. added.Errors.Select(UsersModel.Describe)];
        }

        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = user.UserName!, Action = "invitation.accepted", Details = $"Käyttäjä {user.UserName} hyväksyi kutsun ja asetti salasanan" });
        await db.SaveChangesAsync(ct);
        return [];
    }

    private async Task QueueAsync(AppUser user, string role, string language, string actor, string action, string details, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var token = await users.GenerateUserTokenAsync(user, AccountTokens.Invitation, AccountTokens.Invitation);
        var link = $"{mail.Value.BaseUrl.TrimEnd('/')}/salasana/kutsu?kayttaja={Uri.EscapeDataString(user.Id)}&koodi={token}";
        db.OutgoingMails.Add(AccountMail.Invitation(user, role, link, now + tokens.Value.TokenLifespan, language, now));
        db.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = action, Details = details });
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>The scope a role needs, checked as the users page checks it: a director's municipality, a unit leader's unit.</summary>
internal static class StaffScope
{
    public sealed record Resolved(string? MunicipalityCode, int? UnitId, IReadOnlyList<string> Errors);

    public static async Task<Resolved> ResolveAsync(AppDbContext db, string? role, string? municipalityCode, int? unitId, CancellationToken ct)
    {
        if (!Roles.All.Contains(role))
        {
            return new(null, null, ["Tuntematon rooli."]);
        }

        if (role == Roles.UnitLeader)
        {
            var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct);
            return unit is null ? new(null, null, ["Valitse yksikön johtajalle yksikkö."]) : new(unit.MunicipalityCode, unit.Id, []);
        }

        if (role == Roles.Director)
        {
            return await db.Municipalities.AnyAsync(m => m.Code == municipalityCode, ct)
                ? new(municipalityCode, null, [])
                : new(null, null, ["Valitse sivistysjohtajalle kunta."]);
        }

        return new(null, null, []);
    }
}
