using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// Sign-in with a municipality's own identity provider: the button posts here and goes to the provider; the provider's
/// answer comes back to <c>/kirjaudu/ulkoinen/paluu</c>, where it is matched to an invited account or refused on this page.
/// </summary>
internal sealed class MunicipalLoginModel(MunicipalProviders providers, MunicipalSignIn municipalSignIn, SignInManager<AppUser> signIn) : PageModel
{
    public MunicipalRefusal? Refusal { get; private set; }

    public string? MunicipalityName { get; private set; }

    /// <summary>The refusal page, after the provider failed or the person cancelled there.</summary>
    public IActionResult OnGet(string? syy, string? kunta)
    {
        Refusal = MunicipalRefusals.Parse(syy);
        if (Refusal is null)
        {
            return RedirectToPage("/Identity/Login");
        }

        return Refused(providers.ByCode(kunta));
    }

    public IActionResult OnPost(string? kunta, string? returnUrl)
    {
        if (providers.ByCode(kunta) is not { } provider)
        {
            Refusal = MunicipalRefusal.NotConfigured;
            return Refused(null);
        }

        var back = Url.Page("/Identity/MunicipalLogin", "paluu", new { returnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl : null });
        var properties = signIn.ConfigureExternalAuthenticationProperties(provider.Scheme, back);
        return Challenge(properties, provider.Scheme);
    }

    public async Task<IActionResult> OnGetPaluuAsync(string? returnUrl, CancellationToken ct)
    {
        var external = await HttpContext.AuthenticateAsync(IdentityConstants.ExternalScheme);

        // The external cookie only carries the provider's answer to this one request.
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        var provider = external.Succeeded && external.Properties.Items.TryGetValue("LoginProvider", out var scheme) ? providers.ByScheme(scheme) : null;
        if (provider is null)
        {
            return RedirectToPage("/Identity/Login");
        }

        Refusal = await municipalSignIn.SignInAsync(provider, external.Principal!, ct);
        if (Refusal is null)
        {
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
        }

        return Refused(provider);
    }

    private PageResult Refused(MunicipalProvider? provider)
    {
        MunicipalityName = provider?.Name(System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
