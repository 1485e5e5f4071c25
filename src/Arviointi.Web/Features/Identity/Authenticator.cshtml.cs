using System.Text;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// Setting up an authenticator app (TOTP, Identity's authenticator tokens) and its recovery codes. Administrators and
/// analysts must have one (<see cref="Sessions.UseTwoFactorRequirement"/>); for others it is optional.
/// </summary>
[Authorize]
internal sealed class AuthenticatorModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AppDbContext db, TimeProvider time, IOptions<SessionOptions> sessions)
    : PageModel
{
    public const int RecoveryCodeCount = 10;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Enabled { get; private set; }

    public bool Required { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>The key as the person types it into an app, in groups of four.</summary>
    public string? Key { get; private set; }

    /// <summary>The key as a QR code of its otpauth address, a PNG data URI.</summary>
    public string? QrCode { get; private set; }

    /// <summary>New recovery codes, shown once.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await ShowAsync() ?? Page();

    public async Task<IActionResult> OnPostEnableAsync(string? code)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var digits = new string((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (user.TwoFactorEnabled)
        {
            return await ShowAsync() ?? Page();
        }

        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit)
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
        {
            Error = "Koodi ei täsmää. Tarkista, että sovellus näyttää Arviointi-tilin koodin, ja kirjoita uusin koodi.";
            return await ShowAsync() ?? Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        await AuditAsync(user, "twofactor.enabled", "Otti käyttöön todennussovelluksen");

        // Enabling changed the security stamp: the session is renewed, its start kept.
        await signIn.RefreshSignInAsync(user);
        Notice = "Kaksivaiheinen tunnistautuminen on käytössä.";
        return await ShowAsync(user) ?? Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (user.TwoFactorEnabled)
        {
            RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
            await AuditAsync(user, "twofactor.recovery-codes", "Loi uudet varakoodit; vanhat eivät enää käy");
            Notice = "Uudet varakoodit luotiin. Vanhat eivät enää käy.";
        }

        return await ShowAsync(user) ?? Page();
    }

    /// <summary>A new phone: the old key stops working and a new one is set up (for everyone; the required roles must finish it).</summary>
    public async Task<IActionResult> OnPostResetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await AuditAsync(user, "twofactor.reset", "Poisti todennussovelluksen ja aloitti uuden käyttöönoton");
        await signIn.RefreshSignInAsync(user);
        return RedirectToPage(new { ReturnUrl });
    }

    private async Task<IActionResult?> ShowAsync(AppUser? user = null)
    {
        user ??= await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Enabled = user.TwoFactorEnabled;
        Required = sessions.Value.TwoFactorRoles.Any(User.IsInRole);
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return null;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);

            // A new key changes the security stamp: renew this session so it is not ended with the others.
            await signIn.RefreshSignInAsync(user);
        }

        Key = Grouped(key!);
        var uri = $"otpauth://totp/{Uri.EscapeDataString("Arviointi:" + user.UserName)}?secret={key}&issuer=Arviointi&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        QrCode = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
        return null;
    }

    private static string Grouped(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    private async Task AuditAsync(AppUser user, string action, string details)
    {
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = user.UserName!, Action = action, Details = details });
        await db.SaveChangesAsync();
    }
}
