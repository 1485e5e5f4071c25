using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Features.Surveys;
using Microsoft.Extensions.Primitives;

namespace Arviointi.Web.Features.Answering;

/// <summary>Answers read from a posted form, checked against the survey: what is valid is kept, what is not is explained.</summary>
internal sealed record ParsedAnswers(byte[] Answers, IReadOnlyDictionary<string, string> Texts, IReadOnlyDictionary<string, UiMessage> Errors);

/// <summary>The page being answered: its items, and everything answered so far.</summary>
internal sealed record AnswerPage(IReadOnlyList<SurveyItem> Items, byte[] Answers, IReadOnlyDictionary<string, string> Texts);

/// <summary>A message for the page: the constant Finnish text is the localizer key, the numbers in it are format arguments.</summary>
internal sealed record UiMessage(string Key, params object[] Arguments);

internal static class AnswerForm
{
    public const string ScalePrefix = "a_";
    public const string TextPrefix = "t_";
    public const string CantSayValue = "eos";

    public static string FieldName(SurveyItem item) => (item.Type == ItemType.Text ? TextPrefix : ScalePrefix) + item.Id;

    /// <summary>Reads a whole survey posted at once.</summary>
    public static ParsedAnswers Parse(SurveyDefinition survey, AnswerLayout layout, IEnumerable<KeyValuePair<string, StringValues>> form) =>
        Parse(survey, layout, form, null);

    /// <summary>
    /// Reads one page of a survey into the answers given so far. Only the page's items may be posted, and only
    /// those the earlier answers show; the page's items not posted become unanswered (an unticked choice).
    /// </summary>
    public static ParsedAnswers Parse(SurveyDefinition survey, AnswerLayout layout, IEnumerable<KeyValuePair<string, StringValues>> form, AnswerPage? page)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(form);
        var answers = page is null ? new byte[layout.Length] : (byte[])page.Answers.Clone();
        var texts = page is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(page.Texts, StringComparer.Ordinal);
        var errors = new Dictionary<string, UiMessage>(StringComparer.Ordinal);
        var items = survey.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        if (page is not null)
        {
            foreach (var item in page.Items)
            {
                texts.Remove(item.Id);
                foreach (var slot in layout.Slots.Where(s => s.Item.Id == item.Id))
                {
                    answers[slot.Index] = AnswerCodes.NotAnswered;
                }
            }
        }

        foreach (var (key, values) in form)
        {
            var isScale = key.StartsWith(ScalePrefix, StringComparison.Ordinal);
            var isText = key.StartsWith(TextPrefix, StringComparison.Ordinal);
            if (!isScale && !isText)
            {
                continue;
            }

            var itemId = key[2..];
            if (!items.TryGetValue(itemId, out var item) || isText != (item.Type == ItemType.Text))
            {
                errors[itemId] = new UiMessage("Lomakkeessa oli kysymys, jota tässä kyselyssä ei ole. Tarkista vastauksesi ja lähetä uudelleen.");
                continue;
            }

            if (page is not null && !page.Items.Any(i => i.Id == itemId))
            {
                errors[itemId] = IsShown(item, layout, answers)
                    ? new UiMessage("Lomakkeessa oli kysymys, joka ei kuulu tälle sivulle. Tarkista vastauksesi ja lähetä uudelleen.")
                    : new UiMessage("Tähän kysymykseen ei vastata aiempien vastaustesi perusteella. Poista vastaus tai muuta aiempaa vastausta.");
                continue;
            }

            var given = values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
            if (given.Count == 0)
            {
                continue;
            }

            switch (item.Type)
            {
                case ItemType.Text:
                    // A form sends a line break as CRLF; the browser's maxlength counted it as one character, and so does this.
                    var text = given[0].ReplaceLineEndings("\n").Trim();
                    if (text.Length > item.MaxLength)
                    {
                        // Shown back so the respondent can shorten it; never saved while too long.
                        errors[itemId] = new UiMessage("Vastaus on liian pitkä: enintään {0} merkkiä, nyt {1}. Lyhennä vastausta.", item.MaxLength, text.Length);
                        texts[itemId] = text;
                    }
                    else if (text.Length > 0)
                    {
                        texts[itemId] = text;
                    }

                    break;
                case ItemType.MultipleChoice:
                    foreach (var value in given)
                    {
                        var option = item.Options.FirstOrDefault(o => o.Id == value);
                        if (option is null)
                        {
                            errors[itemId] = new UiMessage("Valittua vaihtoehtoa ei ole tässä kysymyksessä.");
                            break;
                        }

                        answers[layout.Slots.First(s => s.Item == item && s.Option == option).Index] = 1;
                    }

                    break;
                default:
                    if (given.Count > 1 || ScaleValue(item, given[0]) is not { } b)
                    {
                        errors[itemId] = new UiMessage("Vastauksen arvo ei ole sallittu. Valitse yksi annetuista vaihtoehdoista.");
                        break;
                    }

                    answers[layout.SlotOf(itemId)!.Index] = b;
                    break;
            }
        }

        if (page is not null)
        {
            foreach (var item in page.Items.Where(i => !IsShown(i, layout, answers) && IsAnswered(i, layout, answers, texts)))
            {
                errors[item.Id] = new UiMessage("Tähän kysymykseen ei vastata aiempien vastaustesi perusteella. Poista vastaus tai muuta aiempaa vastausta.");
            }
        }

        DropUnmetConditions(survey, layout, answers, texts);
        return new ParsedAnswers(answers, texts, errors);
    }

    public static bool IsAnswered(SurveyItem item, AnswerLayout layout, byte[] answers, IReadOnlyDictionary<string, string> texts)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(texts);
        return item.Type == ItemType.Text ? texts.ContainsKey(item.Id) : layout.Slots.Any(s => s.Item.Id == item.Id && answers[s.Index] != AnswerCodes.NotAnswered);
    }

    /// <summary>True when the item's condition holds for these answers (or it has none).</summary>
    public static bool IsShown(SurveyItem item, AnswerLayout layout, byte[] answers)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(answers);
        if (item.ShowIf is not { } condition)
        {
            return true;
        }

        return layout.Slots.Any(s => s.Item.Id == condition.ItemId && answers[s.Index] != 0 && condition.Values.Contains(
            s.Option?.Id ?? s.Item.Options[answers[s.Index] - 1].Id));
    }

    /// <summary>
    /// An answer to an item whose condition does not hold is not kept: without JavaScript every item is on
    /// the page, and a respondent may answer one meant for another age group.
    /// </summary>
    private static void DropUnmetConditions(SurveyDefinition survey, AnswerLayout layout, byte[] answers, Dictionary<string, string> texts)
    {
        foreach (var item in survey.Items.Where(i => !IsShown(i, layout, answers)))
        {
            texts.Remove(item.Id);
            foreach (var slot in layout.Slots.Where(s => s.Item.Id == item.Id))
            {
                answers[slot.Index] = AnswerCodes.NotAnswered;
            }
        }
    }

    /// <summary>The byte stored for a posted value, or null when the value is not one the item offers.</summary>
    public static byte? ScaleValue(SurveyItem item, string value)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Type == ItemType.Agreement && value == CantSayValue)
        {
            return AnswerCodes.CantSay;
        }

        if (item.Type == ItemType.SingleChoice)
        {
            var index = item.Options.ToList().FindIndex(o => o.Id == value);
            return index < 0 ? null : (byte)(index + 1);
        }

        var max = item.Type == ItemType.Agreement ? 5 : AnswerLayout.MaxValue(item);
        return byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b >= 1 && b <= max ? b : null;
    }

    /// <summary>The posted value that selects this byte again, for re-showing a form after an error.</summary>
    public static string? PostedValue(SurveyItem item, byte stored) => stored switch
    {
        AnswerCodes.NotAnswered => null,
        AnswerCodes.CantSay when item.Type == ItemType.Agreement => CantSayValue,
        _ when item.Type == ItemType.SingleChoice => item.Options[stored - 1].Id,
        _ => stored.ToString(CultureInfo.InvariantCulture),
    };
}
