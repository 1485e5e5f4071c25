using Arviointi.Surveys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// The next child of a group, started by the adult without typing the group code again: from the thank-you page, or
/// half-way through when a child stops. Each child gets a new session (a new submission key and a new random draft
/// secret); a child's unsent answers are deleted first, so they are never sent and never shown to the next child.
/// </summary>
internal sealed class NextRespondentModel(AnswerSession session, AnsweringService answering, DraftStore drafts, GuessGuard guard) : PageModel
{
    /// <summary>Shown instead of "next child" once the group code has as many answers as the group has members.</summary>
    public const string GroupUsedUp = "Ryhmäkoodilla on vastattu jo niin monta kertaa kuin ryhmässä on vastaajia.";

    [BindProperty(SupportsGet = true, Name = "kieli")]
    public string? ChosenLanguage { get; set; }

    /// <summary>The survey page the adult came from, to go back to.</summary>
    [BindProperty(SupportsGet = true, Name = "sivu")]
    public int? ReturnPage { get; set; }

    /// <summary>A child of this browser's group is half-way: starting the next one deletes those answers.</summary>
    public bool Unsent { get; private set; }

    /// <summary>The group is children answering with an adult (worded "next child"), not pupils of a class.</summary>
    public bool ChildGroup { get; private set; }

    public string? Message { get; private set; }

    /// <summary>The button is offered: the group has answers left, or a child's half-way answers can still be deleted.</summary>
    public bool Offered { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Group() is not { } codeId)
        {
            return RedirectToPage("Enter");
        }

        Unsent = session.Read(Request) is { IsGroup: true } current && current.CodeId == codeId;
        return Unavailable(await answering.CheckGroupAsync(codeId, ct)) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Group() is not { } codeId)
        {
            return RedirectToPage("Enter");
        }

        if (session.Read(Request) is { IsGroup: true } current && current.CodeId == codeId)
        {
            try
            {
                await drafts.DiscardAsync(current.DraftSecret);
            }
            catch (StorageUnavailableException)
            {
                // Nothing changed: the half-way answers stay in their session, and the adult may try again.
                Unsent = true;
                Message = StorageUnavailableException.RespondentText;
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Page();
            }

            AnswerSession.End(Response);
        }

        var check = await answering.CheckGroupAsync(codeId, ct);
        if (Unavailable(check) is { } elsewhere)
        {
            return elsewhere;
        }

        if (!guard.TryStart(check.Code!.Hash))
        {
            Message = "Tällä koodilla aloitetaan juuri nyt hyvin monta vastausta. Odota hetki ja yritä uudelleen.";
            return Page();
        }

        session.StartNextInGroup(HttpContext, check.Code);
        return RedirectToPage("Survey", new { kieli = ChosenLanguage });
    }

    /// <summary>What the adult gets instead of a next child, or null when the group has answers left.</summary>
    private IActionResult? Unavailable(CodeCheck check)
    {
        ChildGroup = check.Code?.Group == RespondentGroup.Child;
        switch (check.Status)
        {
            case CodeStatus.Valid:
                return null;
            case CodeStatus.Used:
                // Half-way answers of this browser can still be deleted; otherwise there is nothing to start.
                Message = GroupUsedUp;
                Offered = Unsent;
                return Page();
            case CodeStatus.Closed:
                return RedirectToPage("Thanks", new { tila = "paattynyt" });
            default:
                AnswerSession.ForgetGroup(Response);
                return RedirectToPage("Enter");
        }
    }

    /// <summary>The group code of this browser: the one it answers with now, or the one it last sent with.</summary>
    private int? Group() => session.Read(Request) is { IsGroup: true } current ? current.CodeId : session.RememberedGroup(Request);
}
