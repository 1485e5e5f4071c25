using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// Where a respondent enters the code. A link or QR code carries the code in the URL fragment (#ABCDE-FGHJK),
/// which the browser never sends to the server; a script fills it in (wwwroot/js/landing.js).
/// </summary>
internal sealed class EnterModel(AnsweringService answering, AnswerSession session, GuessGuard guard) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>The language the code page was shown in by its address, for the survey to open in.</summary>
    [BindProperty(SupportsGet = true, Name = RespondentLanguage.QueryKey)]
    public string? ChosenLanguage { get; set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        using var turn = await guard.EnterAsync(HttpContext, ct);
        var check = await answering.CheckAsync(Code, ct);
        if (check.Status == CodeStatus.Unknown)
        {
            guard.RecordFailure(HttpContext);
        }
        else if (check.Status == CodeStatus.Valid && !guard.TryStart(check.Code!.Hash))
        {
            Message = "Tällä koodilla aloitetaan juuri nyt hyvin monta vastausta. Odota hetki ja yritä uudelleen.";
            return Page();
        }

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

        session.Start(HttpContext, check.Code!, AccessCodes.Normalize(Code));
        return RedirectToPage("Survey", new { kieli = ChosenLanguage });
    }
}
