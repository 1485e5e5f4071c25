using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Identity;

/// <summary>The second step of signing in: a code from the authenticator app, or one of the recovery codes.</summary>
internal sealed class TwoFactorModel(SignInManager<AppUser> signIn, AppDbContext db, TimeProvider time) : PageModel
{
    public const string WrongCode = "Koodi on väärin tai vanhentunut. Viiden väärän yrityksen jälkeen tunnus lukitaan hetkeksi.";
    public const string WrongRecoveryCode = "Varakoodi on väärin tai jo käytetty. Viiden väärän yrityksen jälkeen tunnus lukitaan hetkeksi.";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Identity/Login") : Page();

    public async Task<IActionResult> OnPostAsync(string? code)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Identity/Login");
        }

        var digits = new string((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (digits.Length is not 6 || !digits.All(char.IsAsciiDigit))
        {
            Error = "Kirjoita todennussovelluksen näyttämä kuusinumeroinen koodi.";
            return Page();
        }

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(digits, isPersistent: false, rememberClient: false);
        return await FinishAsync(user, result, "todennussovelluksella", WrongCode);
    }

    public async Task<IActionResult> OnPostRecoveryAsync(string? recoveryCode)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Identity/Login");
        }

        var text = new string((recoveryCode ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (text.Length is 0 or > 64)
        {
            Error = "Kirjoita jokin varakoodeistasi.";
            return Page();
        }

        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(text);
        return await FinishAsync(user, result, "varakoodilla", WrongRecoveryCode);
    }

    private async Task<IActionResult> FinishAsync(AppUser user, Microsoft.AspNetCore.Identity.SignInResult result, string how, string failure)
    {
        var succeeded = result.Succeeded;
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            Actor = user.UserName!,
            Action = succeeded ? "signin.succeeded" : "signin.failed",
            Details = succeeded ? $"Kirjautui salasanalla ja {how}" : $"Toinen vaihe epäonnistui ({how}{(result.IsLockedOut ? ", tunnus lukittu" : "")})",
        });
        await db.SaveChangesAsync();
        if (succeeded)
        {
            return LocalRedirect(LoginModel.SafeReturnUrl(Url, ReturnUrl));
        }

        Error = failure;
        return Page();
    }
}
