using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

internal sealed class ThanksModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "tila")]
    public string? State { get; set; }
}
