using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// Sign-in with a user name and password. An unknown name, a wrong password, a locked account and an invited account
/// without a password all get the same message after the same work (one password hash), so neither the answer nor its
/// timing tells an attacker which names exist (docs/security.md). Lockout after five failures is Identity's.
/// </summary>
internal sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, DecoyPassword decoy, AppDbContext db, TimeProvider time)
    : PageModel
{
    public const string Failed = "Käyttäjätunnus tai salasana on väärin, tai tunnus on lukittu hetkeksi liian monen yrityksen jälkeen.";
    public const string Missing = "Kirjoita käyttäjätunnus ja salasana.";

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        var name = UserName?.Trim() ?? "";
        if (name.Length == 0 || string.IsNullOrEmpty(Password) || name.Length > 256 || Password.Length > 1024)
        {
            Error = Missing;
            return Page();
        }

        var user = await users.FindByNameAsync(name);
        var refused = user is null ? "unknown" : await users.IsLockedOutAsync(user) ? "locked" : !await users.HasPasswordAsync(user) ? "no-password" : null;
        string reason;
        if (refused is not null)
        {
            // The same hashing work as a real check, so an unknown or locked name answers in the same time.
            decoy.Verify(Password);
            reason = refused;
        }
        else
        {
            var result = await signIn.PasswordSignInAsync(user!, Password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                await AuditAsync(name, "signin.succeeded", "Kirjautui salasanalla");
                return LocalRedirect(SafeReturnUrl(Url, ReturnUrl));
            }

            if (result.RequiresTwoFactor)
            {
                await AuditAsync(name, "signin.password-accepted", "Salasana oikein, toinen vaihe pyydetty");
                return RedirectToPage("/Identity/TwoFactor", new { ReturnUrl = SafeReturnUrl(Url, ReturnUrl) });
            }

            reason = result.IsLockedOut ? "locked-now" : "wrong-password";
        }

        // The typed name is logged only when it is an account's: a password typed into the name field stays out of the log.
        await AuditAsync(user is null ? "(tuntematon)" : name, "signin.failed", $"Kirjautuminen epäonnistui ({reason})");
        Error = Failed;
        return Page();
    }

    public static string SafeReturnUrl(IUrlHelper url, string? returnUrl) => url.IsLocalUrl(returnUrl) ? returnUrl! : "/";

    private async Task AuditAsync(string actor, string action, string details)
    {
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = actor, Action = action, Details = details });
        await db.SaveChangesAsync();
    }
}

/// <summary>
/// A password hash of nothing anyone knows, verified when there is no real one to check: the same cost as a real check.
/// Scoped like Identity's hasher it uses; the hash is made once per process.
/// </summary>
internal sealed class DecoyPassword(IPasswordHasher<AppUser> hasher)
{
    private static readonly AppUser Nobody = new() { UserName = "-" };
    private static string? hash;

    public void Verify(string password)
    {
        var decoy = LazyInitializer.EnsureInitialized(ref hash, () => hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        hasher.VerifyHashedPassword(Nobody, decoy, password);
    }
}
