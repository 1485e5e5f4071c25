using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Home;

/// <summary>The page shown for an error status; the status code itself is kept (403 stays 403).</summary>
[IgnoreAntiforgeryToken]
internal sealed class StatusModel : PageModel
{
    // From the route only: re-executed for a failed post, the page would otherwise read a form field named Code.
    [BindProperty(SupportsGet = true)]
    [FromRoute]
    public int Code { get; set; }

    public string Title => Code switch
    {
        400 or 405 => "Pyyntöä ei voitu käsitellä",
        403 => "Ei käyttöoikeutta",
        404 => "Sivua ei löytynyt",
        _ => "Jotain meni vikaan",
    };

    public string Message => Code switch
    {
        400 or 405 => "Lomake tai osoite oli vanhentunut tai rikki. Palaa edelliselle sivulle, lataa se uudelleen ja yritä uudestaan. Jo tallennetut vastaukset ovat tallessa.",
        403 => "Sinulla ei ole oikeutta tähän sivuun. Näet oman kuntasi tai yksikkösi tiedot etusivun kautta.",
        404 => "Hakemaasi sivua ei ole. Tarkista osoite.",
        _ => "Pahoittelemme. Yritä hetken kuluttua uudelleen.",
    };
}
