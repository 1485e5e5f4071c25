using Arviointi.Surveys;

namespace Arviointi.Web.Features.Surveys;

/// <summary>One byte of a response's answer array.</summary>
internal sealed record AnswerSlot(int Index, SurveyItem Item, ItemOption? Option);

/// <summary>
/// Maps a survey's items to positions in a response's answer bytes: one byte per scale or
/// single-choice item, one per option of a multiple-choice item, none for open text (stored apart).
/// A whole round is then one small blob per respondent, which reads fast for statistics.
/// </summary>
internal sealed class AnswerLayout
{
    private readonly Dictionary<string, AnswerSlot> byItem = new(StringComparer.Ordinal);

    public AnswerLayout(SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var slots = new List<AnswerSlot>();
        foreach (var item in definition.Items)
        {
            switch (item.Type)
            {
                case ItemType.MultipleChoice:
                    slots.AddRange(item.Options.Select(o => new AnswerSlot(slots.Count, item, o)).ToList());
                    break;
                case ItemType.Text:
                    break;
                default:
                    var slot = new AnswerSlot(slots.Count, item, null);
                    slots.Add(slot);
                    byItem[item.Id] = slot;
                    break;
            }
        }

        Slots = slots;
    }

    public IReadOnlyList<AnswerSlot> Slots { get; }

    public int Length => Slots.Count;

    /// <summary>The slot of a scale or single-choice item.</summary>
    public AnswerSlot? SlotOf(string itemId) => byItem.GetValueOrDefault(itemId);

    /// <summary>Largest valid byte for an item; 0 always means "not answered".</summary>
    public static byte MaxValue(SurveyItem item) => item.Type switch
    {
        ItemType.Agreement => AnswerCodes.CantSay,
        ItemType.Smiley => 3,
        ItemType.SingleChoice => (byte)item.Options.Count,
        ItemType.MultipleChoice => 1,
        _ => 0,
    };
}

/// <summary>Byte values of agreement answers, shared with Arviointi.Statistics.</summary>
internal static class AnswerCodes
{
    public const byte NotAnswered = Arviointi.Statistics.Likert.NotAnswered;
    public const byte CantSay = Arviointi.Statistics.Likert.CantSay;
}
