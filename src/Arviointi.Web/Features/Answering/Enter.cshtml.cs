using System.Globalization;
using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// Where a respondent enters the code. A link or QR code carries the code in the URL fragment (#ABCDE-FGHJK),
/// which the browser never sends to the server; a script fills it in (wwwroot/js/landing.js).
/// </summary>
internal sealed class EnterModel(AnsweringService answering, AnswerSession session, GuessGuard guard, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>The language the code page was shown in by its address, for the survey to open in.</summary>
    [BindProperty(SupportsGet = true, Name = RespondentLanguage.QueryKey)]
    public string? ChosenLanguage { get; set; }

    public UiMessage? Message { get; private set; }

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
            Message = new("Tällä koodilla aloitetaan juuri nyt hyvin monta vastausta. Odota hetki ja yritä uudelleen.");
            return Page();
        }

        Message = check.Status switch
        {
            CodeStatus.Unknown => new("Koodia ei löytynyt. Tarkista, että kirjoitit sen oikein."),
            CodeStatus.Used => new("Tällä koodilla on jo vastattu. Kiitos vastauksestasi!"),
            CodeStatus.NotYetOpen when check.Code!.Round!.OpensAt > time.GetUtcNow() => Opening(check.Code.Round.OpensAt),
            CodeStatus.NotYetOpen => new("Kysely ei ole vielä avautunut. Tervetuloa vastaamaan, kun kysely on auki."),
            CodeStatus.Closed => new("Kysely on jo päättynyt, joten vastauksia ei enää oteta vastaan. Kiitos kiinnostuksestasi."),
            _ => null,
        };
        if (Message is not null)
        {
            return Page();
        }

        session.Start(HttpContext, check.Code!, AccessCodes.Normalize(Code));
        return RedirectToPage("Survey", new { kieli = ChosenLanguage });
    }

    /// <summary>When the survey opens, in Finnish time, written as the page's language writes a date and a time.</summary>
    private static UiMessage Opening(DateTimeOffset opensAt)
    {
        var local = TimeZoneInfo.ConvertTime(opensAt, Organisation.Region.TimeZone);
        var english = LanguageSwitch.Current == "en";
        var culture = CultureInfo.GetCultureInfo(english ? "en-GB" : "fi");
        return new(
            "Kysely ei ole vielä avautunut. Se avautuu {0} kello {1} Suomen aikaa. Tervetuloa vastaamaan silloin!",
            local.ToString(english ? "d MMMM yyyy" : "d.M.yyyy", culture),
            local.ToString(english ? "HH:mm" : "H.mm", culture));
    }
}
