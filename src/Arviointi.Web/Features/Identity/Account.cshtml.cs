using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Identity;

/// <summary>A signed-in user changes their own password, e.g. the initial one the coordinator gave.</summary>
[Authorize]
internal sealed class AccountModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, Data.AppDbContext db, TimeProvider time) : PageModel
{
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? currentPassword, string? newPassword, string? confirmPassword)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (newPassword != confirmPassword)
        {
            Errors = ["Uusi salasana ja sen vahvistus eivät ole samat."];
            return Page();
        }

        var changed = await users.ChangePasswordAsync(user, currentPassword ?? "", newPassword ?? "");
        if (!changed.Succeeded)
        {
            Errors = [.. changed.Errors.Select(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Nykyinen salasana on väärin." : UsersModel.Describe(e))];
            return Page();
        }

        // The password change changed the security stamp: every other session of the user ends; this one is renewed.
        db.AuditEvents.Add(new Audit.AuditEvent { At = time.GetUtcNow(), Actor = user.UserName!, Action = "password.changed", Details = "Vaihtoi salasanansa; muut istunnot päättyivät" });
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(user);
        Notice = "Salasana vaihdettiin.";
        return Page();
    }
}
