using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Home;

/// <summary>The page shown for an error status; the status code itself is kept (403 stays 403).</summary>
[IgnoreAntiforgeryToken]
internal sealed class StatusModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Code { get; set; }

    public string Title => Code switch
    {
        403 => "Ei käyttöoikeutta",
        404 => "Sivua ei löytynyt",
        _ => "Jotain meni vikaan",
    };

    public string Message => Code switch
    {
        403 => "Sinulla ei ole oikeutta tähän sivuun. Näet oman kuntasi tai yksikkösi tiedot etusivun kautta.",
        404 => "Hakemaasi sivua ei ole. Tarkista osoite.",
        _ => "Pahoittelemme. Yritä hetken kuluttua uudelleen.",
    };
}
