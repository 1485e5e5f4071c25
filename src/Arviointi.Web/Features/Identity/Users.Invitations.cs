using Arviointi.Web.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// The users page's invitations (by e-mail, sent again while the person has no password yet) and changes of role or
/// scope, which end the person's sessions through a new security stamp.
/// </summary>
internal sealed partial class UsersModel
{
    public static IReadOnlyList<string> InvitationTextsMadeInCode =>
    [
        .. Invitations.TextsMadeInCode, InvitationSent, InvitationQueued, InvitationResent, RoleChanged, RoleUnchanged, OwnRole, UserMissing,
    ];

    private const string InvitationSent = "Kutsu lähetettiin. Linkki toimii kerran, ja henkilö valitsee sen kautta oman salasanansa.";
    private const string InvitationQueued = "Kutsu on lähtevien viestien jonossa, mutta sähköpostia ei ole määritetty: se lähtee vasta, kun Mail-asetukset on tehty.";
    private const string InvitationResent = "Uusi kutsu lähetettiin. Aiemmat kutsulinkit eivät enää toimi.";
    private const string RoleChanged = "Rooli tai vastuualue vaihdettiin. Käyttäjän istunnot päättyvät, ja hän kirjautuu uudelleen.";
    private const string RoleUnchanged = "Käyttäjällä oli jo tämä rooli ja vastuualue.";
    private const string OwnRole = "Omaa rooliasi et voi vaihtaa. Pyydä toista koordinaattoria tekemään muutos.";
    private const string UserMissing = "Käyttäjää ei löytynyt.";

    /// <summary>What the invitation form showed when it was refused, so nothing typed is lost.</summary>
    public InviteRequest Invite { get; private set; } = new();

    /// <summary>The users who have been invited and have not chosen a password yet.</summary>
    public IReadOnlySet<string> PendingInvitations { get; private set; } = new HashSet<string>();

    public async Task<IActionResult> OnPostInviteAsync([FromServices] Invitations invitations, InviteRequest invite, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(invitations);
        var errors = await invitations.InviteAsync(invite ?? new(), User.Identity!.Name!, ct);
        if (errors.Count > 0)
        {
            Errors = errors;
            Invite = invite ?? new();
        }
        else
        {
            Notice = invitations.MailConfigured ? InvitationSent : InvitationQueued;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync([FromServices] Invitations invitations, string? id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(invitations);
        var errors = await invitations.ResendAsync(id, User.Identity!.Name!, ct);
        Errors = errors;
        Notice = errors.Count == 0 ? (invitations.MailConfigured ? InvitationResent : InvitationQueued) : null;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>
    /// Gives a user another role or scope. The new security stamp ends the user's sessions at their next validation,
    /// so the cookie never keeps a role or scope the user no longer has. One's own role stays: the last coordinator
    /// cannot lock everyone out.
    /// </summary>
    public async Task<IActionResult> OnPostRoleAsync(string? id, string? role, string? municipalityCode, int? unitId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id ?? "");
        var scope = await StaffScope.ResolveAsync(db, role, municipalityCode, unitId, ct);
        if (user is null)
        {
            Errors = [UserMissing];
        }
        else if (user.Id == users.GetUserId(User))
        {
            Errors = [OwnRole];
        }
        else if (scope.Errors.Count > 0)
        {
            Errors = scope.Errors;
        }
        else
        {
            var before = await users.GetRolesAsync(user);
            var roleChanged = before.Count != 1 || before[0] != role;
            var scopeBefore = ScopeText(user.MunicipalityCode, user.UnitId);
            var scopeAfter = ScopeText(scope.MunicipalityCode, scope.UnitId);
            if (!roleChanged && scopeBefore == scopeAfter)
            {
                Notice = RoleUnchanged;
            }
            else
            {
                user.MunicipalityCode = scope.MunicipalityCode;
                user.UnitId = scope.UnitId;
                user.UnitLevelData &= role == Roles.Analyst;
                if (roleChanged)
                {
                    await users.RemoveFromRolesAsync(user, before);
                    await users.AddToRoleAsync(user, role!);
                }

                var updated = await users.UpdateSecurityStampAsync(user);
                if (!updated.Succeeded)
                {
                    Errors = [.. updated.Errors.Select(Describe)];
                }
                else
                {
                    var now = time.GetUtcNow();
                    if (roleChanged)
                    {
                        db.AuditEvents.Add(new AuditEvent { At = now, Actor = User.Identity!.Name!, Action = "user.role.changed", Details = $"Käyttäjän {user.UserName} rooli vaihdettiin: {string.Join(", ", before)} → {role} ({scopeAfter}); istunnot päättyvät" });
                    }

                    if (scopeBefore != scopeAfter)
                    {
                        db.AuditEvents.Add(new AuditEvent { At = now, Actor = User.Identity!.Name!, Action = "user.scope.changed", Details = $"Käyttäjän {user.UserName} vastuualue vaihdettiin: {scopeBefore} → {scopeAfter}; istunnot päättyvät" });
                    }

                    await db.SaveChangesAsync(ct);
                    Notice = RoleChanged;
                }
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    private static string ScopeText(string? municipalityCode, int? unitId) =>
        unitId is { } unit ? $"yksikkö {unit}, kunta {municipalityCode}" : municipalityCode is { } code ? $"kunta {code}" : "koko alue";

    private async Task LoadInvitationsAsync(CancellationToken ct) =>
        PendingInvitations = (await db.Users.AsNoTracking().Where(u => u.PasswordHash == null && u.Email != null && u.Email != "").Select(u => u.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
}
