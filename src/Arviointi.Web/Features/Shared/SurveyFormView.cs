using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;

namespace Arviointi.Web.Features.Shared;

/// <summary>What the survey form needs, whether a respondent answers a page of it or a reviewer previews it all.</summary>
internal sealed record SurveyFormView(
    SurveyDefinition Survey,
    string Language,
    Func<SurveyItem, IReadOnlyCollection<string>> Selected,
    IReadOnlyDictionary<string, string> Texts,
    IReadOnlyDictionary<string, UiMessage> Errors,
    bool Preview)
{
    /// <summary>The form's id, for buttons outside it that post its answers (the survey's language choice).</summary>
    public const string FormId = "survey-form";

    /// <summary>The page being answered; null shows every section (the preview).</summary>
    public SurveyPage? Page { get; init; }

    public int PageCount { get; init; }

    /// <summary>The survey version the form belongs to, posted back so a form of another survey is refused.</summary>
    public int VersionId { get; init; }

    /// <summary>Big pictures, one question per screen, read aloud on request.</summary>
    public bool ChildMode { get; init; }

    public string Direction => Languages.Direction(Language);

    /// <summary>The sections to show: the page's, or all of them.</summary>
    public IEnumerable<(string Id, LocalizedText Title, IReadOnlyList<SurveyItem> Items)> Parts =>
        Page is { } page
            ? [(Survey.Sections.First(s => s.Items.Contains(page.Items[0])).Id, page.Title, page.Items)]
            : Survey.Sections.Select(s => (s.Id, s.Title, s.Items));
}
