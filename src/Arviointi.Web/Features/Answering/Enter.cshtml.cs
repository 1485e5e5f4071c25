using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

internal sealed class EnterModel(AnsweringService answering, AnswerSession session) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true, Name = "koodi")]
    public string? LinkCode { get; set; }

    public string? Message { get; private set; }

    public void OnGet() => Code = LinkCode is null ? null : AccessCodes.Display(LinkCode);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var check = await answering.CheckAsync(Code, ct);
        Message = check.Status switch
        {
            CodeStatus.Unknown => "Koodia ei löytynyt. Tarkista, että kirjoitit sen oikein.",
            CodeStatus.Used => "Tällä koodilla on jo vastattu. Kiitos vastauksestasi!",
            CodeStatus.NotYetOpen => "Kysely ei ole vielä avautunut. Tervetuloa vastaamaan, kun kysely on auki.",
            CodeStatus.Closed => "Kysely on jo päättynyt, joten vastauksia ei enää oteta vastaan. Kiitos kiinnostuksestasi.",
            _ => null,
        };
        if (Message is not null)
        {
            return Page();
        }

        session.Start(Response, check.Code!, AccessCodes.Normalize(Code));
        return RedirectToPage("Survey");
    }
}
