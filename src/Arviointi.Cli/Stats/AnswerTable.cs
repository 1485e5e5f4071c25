using Arviointi.Statistics;

namespace Arviointi.Cli.Stats;

/// <summary>Answer counts of one item and respondent group, per municipality.</summary>
/// <remarks>
/// Counts suffice for every figure, the rank tests included (tied answers share a midrank), so memory and
/// time per item do not grow with the number of respondents.
/// </remarks>
internal sealed class ItemGroupAnswers(string item, string group)
{
    public string Item { get; } = item;

    public string Group { get; } = group;

    /// <summary>Per municipality, counts indexed by answer byte (<see cref="Likert.NotAnswered"/>, 1–5, <see cref="Likert.CantSay"/>).</summary>
    public Dictionary<string, int[]> Municipalities { get; } = new(StringComparer.Ordinal);

    public void Add(string municipality, byte answer)
    {
        if (!Municipalities.TryGetValue(municipality, out var counts))
        {
            counts = new int[Likert.CantSay + 1];
            Municipalities.Add(municipality, counts);
        }

        counts[answer]++;
    }
}

/// <summary>All answers of an input file, one <see cref="ItemGroupAnswers"/> per (item, group) in order of first appearance.</summary>
internal sealed class AnswerTable
{
    private readonly Dictionary<(string Item, string Group), ItemGroupAnswers> byKey = [];
    private readonly List<ItemGroupAnswers> inOrder = [];

    public IReadOnlyList<ItemGroupAnswers> ItemGroups => inOrder;

    public void Add(string item, string group, string municipality, byte answer)
    {
        if (!byKey.TryGetValue((item, group), out var answers))
        {
            answers = new ItemGroupAnswers(item, group);
            byKey.Add((item, group), answers);
            inOrder.Add(answers);
        }

        answers.Add(municipality, answer);
    }
}
