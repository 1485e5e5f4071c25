namespace Arviointi.Cli.Stats;

/// <summary>Answer bytes (<see cref="Statistics.Likert"/> coding) of one item and respondent group, per municipality.</summary>
/// <remarks>Keeps the respondent-level bytes, not just counts, so rank-based tests can be added over the same data.</remarks>
internal sealed class ItemGroupAnswers(string item, string group)
{
    public string Item { get; } = item;

    public string Group { get; } = group;

    public List<byte> Region { get; } = [];

    public Dictionary<string, List<byte>> Municipalities { get; } = new(StringComparer.Ordinal);

    public void Add(string municipality, byte answer)
    {
        Region.Add(answer);
        if (!Municipalities.TryGetValue(municipality, out var answers))
        {
            answers = [];
            Municipalities.Add(municipality, answers);
        }

        answers.Add(answer);
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
