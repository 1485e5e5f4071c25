using Arviointi.Surveys;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

internal sealed class SurveyModel(AnsweringService answering, AnswerSession session, SurveyCatalog catalog) : PageModel
{
    private byte[] answers = [];
    private AnswerLayout? layout;

    public SurveyDefinition? Definition { get; private set; }

    public string Language { get; private set; } = "fi";

    /// <summary>A language of the survey chosen on the page, for languages the UI itself does not have.</summary>
    [BindProperty(SupportsGet = true, Name = "kieli")]
    public string? ChosenLanguage { get; set; }

    public SurveyFormView View => new(Definition!, Language, Selected, Texts, Errors, Preview: false);

    public IReadOnlyDictionary<string, UiMessage> Errors { get; private set; } = new Dictionary<string, UiMessage>();

    public IReadOnlyDictionary<string, string> Texts { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } redirect)
        {
            return redirect;
        }

        answers = new byte[layout!.Length];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } redirect)
        {
            return redirect;
        }

        var parsed = AnswerForm.Parse(Definition!, layout!, Request.Form);
        var (codeId, key) = session.Read(Request)!.Value;
        var outcome = await answering.SubmitAsync(codeId, key, parsed, ct);
        switch (outcome.Status)
        {
            case SubmitStatus.Saved or SubmitStatus.AlreadySaved:
                AnswerSession.End(Response);
                return RedirectToPage("Thanks");
            case SubmitStatus.CodeUsed:
                AnswerSession.End(Response);
                return RedirectToPage("Thanks", new { tila = "kaytetty" });
            case SubmitStatus.RoundClosed:
                AnswerSession.End(Response);
                return RedirectToPage("Thanks", new { tila = "paattynyt" });
            default:
                // Keep everything the respondent gave, and explain what was wrong.
                answers = parsed.Answers;
                Texts = parsed.Texts;
                Errors = outcome.Errors;
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
        }
    }

    public IReadOnlyCollection<string> Selected(SurveyItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Type == ItemType.MultipleChoice)
        {
            return layout!.Slots.Where(s => s.Item == item && answers[s.Index] == 1).Select(s => s.Option!.Id).ToList();
        }

        return layout!.SlotOf(item.Id) is { } slot && AnswerForm.PostedValue(item, answers[slot.Index]) is { } value ? [value] : [];
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (session.Read(Request) is not { } current || await answering.SurveyForAsync(current.CodeId, ct) is not { } survey)
        {
            return RedirectToPage("Enter");
        }

        Definition = catalog.Definition(survey.Version);
        layout = catalog.Layout(survey.Version);
        Language = Definition.OfferedLanguages.FirstOrDefault(l => l == ChosenLanguage)
            ?? (Definition.OfferedLanguages.Contains(LanguageSwitch.Current) ? LanguageSwitch.Current : SurveyDefinition.RequiredLanguage);
        return null;
    }
}
