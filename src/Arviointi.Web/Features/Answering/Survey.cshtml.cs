using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// One page of the survey. Every post saves the page into the encrypted draft before moving on, so closing the
/// browser loses nothing; the same code (or, for a group code, the same browser) resumes where it left off.
/// </summary>
internal sealed class SurveyModel(AnsweringContextLoader loader, DraftStore drafts) : PageModel
{
    public const string Next = "seuraava";
    public const string Previous = "edellinen";

    /// <summary>The same page again, in the language the button's address names: the page's answers are saved first.</summary>
    public const string SwitchLanguage = "kieli";

    [BindProperty(SupportsGet = true, Name = "kieli")]
    public string? ChosenLanguage { get; set; }

    [BindProperty(SupportsGet = true, Name = "sivu")]
    public int PageNumber { get; set; } = 1;

    public AnsweringContext? Context { get; private set; }

    public SurveyPage? Current { get; private set; }

    public int PageCount { get; private set; }

    public IReadOnlyDictionary<string, UiMessage> Errors { get; private set; } = new Dictionary<string, UiMessage>();

    public SurveyFormView View => new(Context!.Survey, Context.Language, Context.Selected, Context.Texts, Errors, Preview: false)
    {
        Page = Current,
        PageCount = PageCount,
        VersionId = Context.Version.Id,
        ChildMode = SurveyPages.IsChildMode(Context.Survey),
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } redirect)
        {
            return redirect;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "suunta")] string? direction, [FromForm(Name = "versio")] int version, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } redirect)
        {
            return redirect;
        }

        if (!Save(version, out var parsed))
        {
            return Invalid(parsed);
        }

        if (!await TrySaveAsync(parsed))
        {
            return Unavailable(parsed);
        }

        var pages = SurveyPages.For(Context!.Survey, Context.Layout, parsed.Answers);
        var target = direction switch
        {
            Previous => PageNumber - 1,
            SwitchLanguage => PageNumber,
            _ => PageNumber + 1,
        };
        return target > pages.Count
            ? RedirectToPage("Review", Query(null))
            : RedirectToPage("Survey", Query(Math.Max(1, target)));
    }

    /// <summary>Saves the page while the respondent goes (script), without moving: answers survive a closed tab.</summary>
    public async Task<IActionResult> OnPostAutosaveAsync([FromForm(Name = "versio")] int version, CancellationToken ct)
    {
        if (await LoadAsync(ct) is not null)
        {
            return StatusCode(StatusCodes.Status410Gone);
        }

        if (!Save(version, out var parsed))
        {
            return StatusCode(StatusCodes.Status422UnprocessableEntity);
        }

        return await TrySaveAsync(parsed) ? StatusCode(StatusCodes.Status204NoContent) : StatusCode(StatusCodes.Status503ServiceUnavailable);
    }

    private bool Save(int version, out ParsedAnswers parsed)
    {
        if (version != Context!.Version.Id)
        {
            parsed = new ParsedAnswers(Context.Answers, Context.Texts, new Dictionary<string, UiMessage>
            {
                [""] = new("Lomake kuuluu toiseen kyselyyn. Avaa kysely uudelleen vastauskoodilla."),
            });
            return false;
        }

        parsed = AnswerForm.Parse(Context.Survey, Context.Layout, Request.Form, new AnswerPage(Current!.Items, Context.Answers, Context.Texts));
        return parsed.Errors.Count == 0;
    }

    private async Task<bool> TrySaveAsync(ParsedAnswers parsed)
    {
        try
        {
            await drafts.SaveAsync(Context!.Session.DraftSecret, Context.Round.Id, new DraftContent(Context.Version.Id, parsed.Answers, new(parsed.Texts)));
            return true;
        }
        catch (StorageUnavailableException)
        {
            return false;
        }
    }

    /// <summary>The page again with what was just given on it, and a message to try again: the earlier pages are in the draft.</summary>
    private PageResult Unavailable(ParsedAnswers parsed)
    {
        Invalid(parsed with { Errors = new Dictionary<string, UiMessage> { [""] = new(StorageUnavailableException.RespondentText) } });
        Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return Page();
    }

    private PageResult Invalid(ParsedAnswers parsed)
    {
        // Keep everything the respondent gave on this page, and explain what was wrong.
        Context = Context! with { Answers = parsed.Answers, Texts = new(parsed.Texts) };
        Errors = parsed.Errors;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private object Query(int? page) => new { sivu = page, kieli = Context!.AddressLanguage };

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        (Context, var elsewhere) = await loader.LoadForPageAsync(this, ChosenLanguage, ct);
        if (Context is null)
        {
            return elsewhere;
        }

        var pages = Context.Pages;
        PageCount = pages.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Math.Max(1, pages.Count));
        Current = pages.Count == 0 ? null : pages[PageNumber - 1];
        return Current is null ? RedirectToPage("Review", Query(null)) : null;
    }
}
