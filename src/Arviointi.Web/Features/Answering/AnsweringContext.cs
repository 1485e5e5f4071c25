using Arviointi.Surveys;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

/// <summary>Everything a respondent page needs about the current session: survey, layout, answers so far, language.</summary>
internal sealed record AnsweringContext(
    AnswerSessionState Session,
    SurveyVersion Version,
    EvaluationRound Round,
    SurveyDefinition Survey,
    AnswerLayout Layout,
    byte[] Answers,
    Dictionary<string, string> Texts,
    bool Resumed,
    string Language)
{
    public IReadOnlyList<SurveyPage> Pages => SurveyPages.For(Survey, Layout, Answers);

    /// <summary>The <c>kieli</c> the respondent's addresses carry (<see cref="RespondentLanguage.InAddress"/>).</summary>
    public string? AddressLanguage { get; init; }

    public IReadOnlyCollection<string> Selected(SurveyItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Type == ItemType.MultipleChoice)
        {
            return Layout.Slots.Where(s => s.Item.Id == item.Id && Answers[s.Index] == 1).Select(s => s.Option!.Id).ToList();
        }

        return Layout.SlotOf(item.Id) is { } slot && AnswerForm.PostedValue(item, Answers[slot.Index]) is { } value ? [value] : [];
    }
}

/// <summary>Loads the answering context from the session cookie and the encrypted draft.</summary>
internal sealed class AnsweringContextLoader(AnswerSession session, AnsweringService answering, AnsweringCache cache, SurveyCatalog catalog, DraftStore drafts, TimeProvider time)
{
    /// <summary>
    /// The context for a respondent page, or where to send the respondent instead: to the code page without a
    /// session, to a polite "the survey has ended" once the round no longer takes answers.
    /// </summary>
    public async Task<(AnsweringContext? Context, IActionResult? Elsewhere)> LoadForPageAsync(PageModel page, string? chosenLanguage, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        var context = await LoadAsync(page.Request, chosenLanguage, ct);
        if (context is null)
        {
            return (null, page.RedirectToPage("Enter"));
        }

        if (!context.Round.AcceptsAnswers(time.GetUtcNow()))
        {
            // The round as remembered says no: make sure before turning the respondent away.
            cache.Forget(context.Round.Id);
            context = await LoadAsync(page.Request, chosenLanguage, ct);
        }

        if (context is null)
        {
            return (null, page.RedirectToPage("Enter"));
        }

        var address = context.AddressLanguage;
        if (!context.Round.AcceptsAnswers(time.GetUtcNow()))
        {
            AnswerSession.End(page.Response);
            return (null, page.RedirectToPage("Thanks", new { tila = "paattynyt", kieli = address }));
        }

        if (address != chosenLanguage && HttpMethods.IsGet(page.Request.Method))
        {
            // The page would otherwise come in the site's language around the survey's: go where the address names the survey's.
            return (null, page.LocalRedirect(RespondentLanguage.AddressIn(page.Request, address!)));
        }

        return (context, null);
    }

    public async Task<AnsweringContext?> LoadAsync(HttpRequest request, string? chosenLanguage, CancellationToken ct)
    {
        if (session.Read(request) is not { } state || await answering.SurveyForAsync(state.CodeId, ct) is not { } found)
        {
            return null;
        }

        var survey = catalog.Definition(found.Version);
        var layout = catalog.Layout(found.Version);
        var draft = await drafts.LoadAsync(state.DraftSecret);
        var usable = draft is not null && draft.SurveyVersionId == found.Version.Id && draft.Answers.Length == layout.Length;
        var language = survey.OfferedLanguages.FirstOrDefault(l => l == chosenLanguage)
            ?? (survey.OfferedLanguages.Contains(LanguageSwitch.Current) ? LanguageSwitch.Current : SurveyDefinition.RequiredLanguage);
        return new AnsweringContext(
            state,
            found.Version,
            found.Round,
            survey,
            layout,
            usable ? draft!.Answers : new byte[layout.Length],
            usable ? draft!.Texts : new Dictionary<string, string>(StringComparer.Ordinal),
            usable,
            language)
        {
            AddressLanguage = RespondentLanguage.InAddress(language, chosenLanguage),
        };
    }
}
