using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// Asks for a user name or address and always answers the same, so the page never tells whether an account exists;
/// the link goes in the language the page is read in.
/// </summary>
[AllowAnonymous]
internal sealed class ForgotPasswordModel(PasswordResets resets) : PageModel
{
    public bool Sent { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? nameOrEmail, CancellationToken ct)
    {
        await resets.RequestAsync(nameOrEmail, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName, ct);
        Sent = true;
        return Page();
    }
}
