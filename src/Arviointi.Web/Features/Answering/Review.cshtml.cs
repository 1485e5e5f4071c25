using Arviointi.Surveys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Arviointi.Web.Features.Answering;

/// <summary>The respondent reads every answer once more and sends them; sending twice stores one response.</summary>
internal sealed class ReviewModel(AnsweringContextLoader loader, AnsweringService answering, IStringLocalizer<Shared.SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "kieli")]
    public string? ChosenLanguage { get; set; }

    public AnsweringContext? Context { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } redirect)
        {
            return redirect;
        }

        var answers = new ParsedAnswers(Context!.Answers, Context.Texts, new Dictionary<string, UiMessage>());
        SubmitOutcome outcome;
        try
        {
            outcome = await answering.SubmitAsync(Context.Session.CodeId, Context.Session.SubmissionKey, answers, Context.Session.DraftSecret, ct);
        }
        catch (StorageUnavailableException)
        {
            // Nothing was written: the draft and the session stay, and the same send may be tried again.
            Error = text.In(Context.Language, StorageUnavailableException.RespondentText);
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        switch (outcome.Status)
        {
            case SubmitStatus.Saved or SubmitStatus.AlreadySaved:
                AnswerSession.End(Response);
                return RedirectToPage("Thanks", new { kieli = Context.AddressLanguage });
            case SubmitStatus.CodeUsed:
                AnswerSession.End(Response);
                return RedirectToPage("Thanks", new { tila = "kaytetty", kieli = Context.AddressLanguage });
            case SubmitStatus.RoundClosed:
                AnswerSession.End(Response);
                return RedirectToPage("Thanks", new { tila = "paattynyt", kieli = Context.AddressLanguage });
            default:
                Error = text.In(Context.Language, "Vastauksissa on jotain, mitä ei voitu tallentaa. Tarkista vastauksesi sivuittain.");
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
        }
    }

    /// <summary>The answer as the respondent chose it, in the survey's language.</summary>
    public string? AnswerText(SurveyItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var lang = Context!.Language;
        var selected = Context.Selected(item);
        return item.Type switch
        {
            ItemType.Text => Context.Texts.GetValueOrDefault(item.Id),
            _ when selected.Count == 0 => null,
            ItemType.Agreement when selected.First() == AnswerForm.CantSayValue => text["En osaa sanoa"],
            ItemType.Agreement => $"{selected.First()} – {text[ScaleLabels.Agreement[int.Parse(selected.First(), System.Globalization.CultureInfo.InvariantCulture) - 1]]}",
            ItemType.Smiley => text[ScaleLabels.Smiley[int.Parse(selected.First(), System.Globalization.CultureInfo.InvariantCulture) - 1]],
            _ => string.Join(", ", item.Options.Where(o => selected.Contains(o.Id)).Select(o => o.Label.Get(lang))),
        };
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        (Context, var elsewhere) = await loader.LoadForPageAsync(this, ChosenLanguage, ct);
        return elsewhere;
    }
}
