using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;

namespace Arviointi.Web.Features.Shared;

/// <summary>What the survey form needs, whether a respondent answers it or a reviewer previews it.</summary>
internal sealed record SurveyFormView(
    SurveyDefinition Survey,
    string Language,
    Func<SurveyItem, IReadOnlyCollection<string>> Selected,
    IReadOnlyDictionary<string, string> Texts,
    IReadOnlyDictionary<string, UiMessage> Errors,
    bool Preview)
{
    public string Direction => Languages.Direction(Language);
}
