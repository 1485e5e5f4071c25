using Arviointi.Surveys;
using Arviointi.Web.Features.Surveys;

namespace Arviointi.Web.Features.Answering;

/// <summary>One screen of a survey: a section, or for children a single item.</summary>
internal sealed record SurveyPage(int Number, LocalizedText Title, IReadOnlyList<SurveyItem> Items);

internal static class SurveyPages
{
    /// <summary>
    /// The screens a respondent goes through, given the answers so far: sections with at least one item the
    /// answers show; in a child survey every item is a screen of its own, to be read aloud one at a time.
    /// </summary>
    public static IReadOnlyList<SurveyPage> For(SurveyDefinition survey, AnswerLayout layout, byte[] answers)
    {
        ArgumentNullException.ThrowIfNull(survey);
        var pages = new List<SurveyPage>();
        foreach (var section in survey.Sections)
        {
            var shown = section.Items.Where(i => AnswerForm.IsShown(i, layout, answers)).ToList();
            if (shown.Count == 0)
            {
                continue;
            }

            if (IsChildMode(survey))
            {
                pages.AddRange(shown.Select(item => new SurveyPage(pages.Count + 1, section.Title, [item])));
            }
            else
            {
                pages.Add(new SurveyPage(pages.Count + 1, section.Title, shown));
            }
        }

        return pages;
    }

    /// <summary>Children answer with an adult beside them: big pictures, one question per screen, read aloud.</summary>
    public static bool IsChildMode(SurveyDefinition survey) => survey?.Group == RespondentGroup.Child;
}
