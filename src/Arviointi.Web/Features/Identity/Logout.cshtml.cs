using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// Signing out ends every session of the user, not only this browser's: the security stamp changes, and the stamp is
/// checked on every request (<see cref="Sessions"/>), so a cookie copied before the sign-out no longer works.
/// </summary>
internal sealed class LogoutModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, AppDbContext db, TimeProvider time) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
            db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = user.UserName!, Action = "signout", Details = "Kirjautui ulos; kaikki istunnot päättyivät" });
            await db.SaveChangesAsync();
        }

        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }
}
