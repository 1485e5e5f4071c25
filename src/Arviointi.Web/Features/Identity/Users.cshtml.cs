using System.ComponentModel.DataAnnotations;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Organisation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Identity;

/// <summary>A staff account as the coordinator sees it.</summary>
internal sealed record UserRow(string Id, string UserName, string DisplayName, string? Email, string? Role, string? Scope, bool UnitLevelData);

/// <summary>
/// The coordinator's list of staff accounts: create one with its role and scope (a director's municipality, a unit
/// leader's unit), keep names and email addresses up to date, since reminders and notices go to those addresses, and
/// grant or revoke an analyst's unit-level research dataset.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
internal sealed partial class UsersModel(AppDbContext db, UserManager<AppUser> users, TimeProvider time) : PageModel
{
    public IReadOnlyList<UserRow> Rows { get; private set; } = [];

    public IReadOnlyList<Municipality> Municipalities { get; private set; } = [];

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? Notice { get; private set; }

    [BindProperty]
    public NewUser Form { get; set; } = new();

    public static string RoleName(string? role) => role switch
    {
        Roles.Administrator => "Koordinaattori",
        Roles.Director => "Sivistysjohtaja",
        Roles.UnitLeader => "Yksikön johtaja",
        Roles.Analyst => "Analyytikko",
        _ => "ei roolia",
    };

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var errors = new List<string>();
        if (!ModelState.IsValid)
        {
            errors.AddRange(ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).Distinct());
        }

        if (!Roles.All.Contains(Form.Role))
        {
            errors.Add("Tuntematon rooli.");
        }

        Unit? unit = null;
        if (Form.Role == Roles.UnitLeader)
        {
            unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == Form.UnitId, ct);
            if (unit is null)
            {
                errors.Add("Valitse yksikön johtajalle yksikkö.");
            }
        }

        if (Form.Role == Roles.Director && !await db.Municipalities.AnyAsync(m => m.Code == Form.MunicipalityCode, ct))
        {
            errors.Add("Valitse sivistysjohtajalle kunta.");
        }

        if (errors.Count == 0)
        {
            var user = new AppUser
            {
                UserName = Form.UserName.Trim(),
                DisplayName = Form.DisplayName.Trim(),
                Email = string.IsNullOrWhiteSpace(Form.Email) ? null : Form.Email.Trim(),
                MunicipalityCode = Form.Role == Roles.UnitLeader ? unit!.MunicipalityCode : Form.Role == Roles.Director ? Form.MunicipalityCode : null,
                UnitId = unit?.Id,
            };
            var created = await users.CreateAsync(user, Form.Password);
            if (created.Succeeded)
            {
                await users.AddToRoleAsync(user, Form.Role);
                await AuditAsync("user.created", $"Käyttäjä {user.UserName} luotiin roolissa {Form.Role}", ct);
                Notice = "Käyttäjä luotiin. Kerro käyttäjätunnus ja salasana käyttäjälle turvallista reittiä.";
                Form = new NewUser();
            }
            else
            {
                errors.AddRange(created.Errors.Select(Describe));
            }
        }

        Errors = errors;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(string id, string displayName, string? email, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id ?? "");
        var errors = new List<string>();
        if (user is null)
        {
            errors.Add("Käyttäjää ei löytynyt.");
        }
        else if (!string.IsNullOrWhiteSpace(email) && !new EmailAddressAttribute().IsValid(email.Trim()))
        {
            errors.Add("Sähköpostiosoite ei ole kelvollinen.");
        }
        else
        {
            user.DisplayName = string.IsNullOrWhiteSpace(displayName) ? user.DisplayName : displayName.Trim()[..Math.Min(displayName.Trim().Length, 200)];
            user.Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
            var updated = await users.UpdateAsync(user);
            errors.AddRange(updated.Errors.Select(Describe));
            if (updated.Succeeded)
            {
                await AuditAsync("user.updated", $"Käyttäjän {user.UserName} nimi tai sähköposti päivitettiin", ct);
                Notice = "Käyttäjän tiedot tallennettiin.";
            }
        }

        Errors = errors;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>
    /// Grants or revokes an analyst's unit-level research dataset (unit ids instead of size classes). The analyst's cookie
    /// carries it from the next sign-in or revalidation; a token, from the next request. Audited either way.
    /// </summary>
    public async Task<IActionResult> OnPostUnitDataAsync(string id, bool grant, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id ?? "");
        if (user is null || !await users.IsInRoleAsync(user, Roles.Analyst))
        {
            Errors = ["Yksikkötason aineiston voi antaa vain analyytikolle."];
        }
        else if (user.UnitLevelData != grant)
        {
            user.UnitLevelData = grant;
            var updated = await users.UpdateAsync(user);
            Errors = [.. updated.Errors.Select(Describe)];
            if (updated.Succeeded)
            {
                await AuditAsync(
                    grant ? "user.unitdata.granted" : "user.unitdata.revoked",
                    grant ? $"Analyytikolle {user.UserName} annettiin yksikkötason aineisto" : $"Analyytikolta {user.UserName} poistettiin yksikkötason aineisto",
                    ct);
                Notice = grant ? "Analyytikko saa nyt yksikkötason aineiston." : "Analyytikko ei enää saa yksikkötason aineistoa.";
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    // Identity's own messages are English; the common ones in Finnish.
    public static string Describe(IdentityError error) => error.Code switch
    {
        nameof(IdentityErrorDescriber.DuplicateUserName) => "Käyttäjätunnus on jo käytössä.",
        nameof(IdentityErrorDescriber.InvalidUserName) => "Käyttäjätunnuksessa saa olla vain kirjaimia a–z, numeroita ja merkkejä . _ - @.",
        nameof(IdentityErrorDescriber.PasswordTooShort) => "Salasanassa pitää olla vähintään 12 merkkiä.",
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => "Salasanassa pitää olla numero.",
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => "Salasanassa pitää olla pieni kirjain.",
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => "Salasanassa pitää olla iso kirjain.",
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => "Salasanassa pitää olla erikoismerkki.",
        _ => "Käyttäjää ei voitu tallentaa: " + error.Description,
    };

    private async Task AuditAsync(string action, string details, CancellationToken ct)
    {
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = User.Identity!.Name!, Action = action, Details = details });
        await db.SaveChangesAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Municipalities = await db.Municipalities.AsNoTracking().OrderBy(m => m.NameFi).ToListAsync(ct);
        // A closed unit gets no new leader: only units still open today are offered.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Region.TimeZone).DateTime);
        Units = await db.Units.AsNoTracking().Include(u => u.Municipality).Where(u => u.ClosedOn == null || u.ClosedOn > today)
            .OrderBy(u => u.Municipality!.NameFi).ThenBy(u => u.Name).ToListAsync(ct);
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        var municipalityNames = Municipalities.ToDictionary(m => m.Code, m => m.NameFi);
        var unitNames = Units.ToDictionary(u => u.Id, u => u.Name);
        Rows = [.. (await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct)).Select(u => new UserRow(
            u.Id, u.UserName!, u.DisplayName, u.Email, roles.FirstOrDefault(r => r.UserId == u.Id)?.Name,
            u.UnitId is { } unitId ? unitNames.GetValueOrDefault(unitId) : u.MunicipalityCode is { } code ? municipalityNames.GetValueOrDefault(code) : null,
            u.UnitLevelData))];
        await LoadInvitationsAsync(ct);
    }

    /// <summary>The create form; a unit leader's municipality comes from the unit.</summary>
    internal sealed class NewUser
    {
        [Required(ErrorMessage = "Anna käyttäjätunnus.")]
        [StringLength(100, MinimumLength = 3, ErrorMessage = "Käyttäjätunnuksessa pitää olla 3–100 merkkiä.")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Anna nimi.")]
        [StringLength(200, ErrorMessage = "Nimi on liian pitkä.")]
        public string DisplayName { get; set; } = "";

        [EmailAddress(ErrorMessage = "Sähköpostiosoite ei ole kelvollinen.")]
        [StringLength(256)]
        public string? Email { get; set; }

        public string Role { get; set; } = Roles.UnitLeader;

        public string? MunicipalityCode { get; set; }

        public int? UnitId { get; set; }

        [Required(ErrorMessage = "Anna alkusalasana.")]
        public string Password { get; set; } = "";
    }
}
