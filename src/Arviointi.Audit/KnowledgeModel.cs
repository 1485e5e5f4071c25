namespace Arviointi.Audit;

/// <summary>One term of a linear sum: a coefficient times an unknown of a <see cref="KnowledgeModel"/>.</summary>
/// <param name="Variable">The unknown's index, as returned by <see cref="KnowledgeModel.Count"/> or <see cref="KnowledgeModel.Amount"/>.</param>
/// <param name="Coefficient">Its coefficient.</param>
public readonly record struct Term(int Variable, double Coefficient);

/// <summary>How a hidden quantity must stay uncertain to a reader.</summary>
public enum Protection
{
    /// <summary>
    /// A cell's number of answers (or respondents): the reader's range must be at least the minimum width, unless the
    /// cell is certainly empty (a range of [0, 0] reveals nobody's answer).
    /// </summary>
    Size,

    /// <summary>
    /// A count of one answer inside a hidden cell: the range must be at least the minimum width, or reach down to zero,
    /// so that nobody in the cell can be shown to have given that answer. A range of [0, 2] only says that what holds
    /// for the hidden cells together (at least five answers) holds for each of them.
    /// </summary>
    Count,
}

/// <summary>A hidden quantity whose range the reader can reach is measured.</summary>
/// <param name="Key">What is hidden, e.g. <c>guardian/item q1/unit 12</c>.</param>
/// <param name="Quantity">Which figure of it: <c>n</c>, <c>answer 3</c>, <c>can't say</c>, <c>respondents</c>.</param>
/// <param name="Terms">The quantity as a linear sum of unknowns.</param>
/// <param name="Protection">How it must stay uncertain.</param>
/// <param name="Origin">The reader's own description of the hidden cell, for whoever acts on the result.</param>
public sealed record Target(string Key, string Quantity, IReadOnlyList<Term> Terms, Protection Protection, HiddenCell? Origin = null);

/// <summary>A published figure as the reader uses it: a linear sum of unknowns lies between two bounds.</summary>
public sealed record Fact(IReadOnlyList<Term> Terms, double Lower, double Upper, string Source);

/// <summary>
/// What one reader knows of a round, as a linear model: non-negative unknowns (counts of answers and respondents),
/// facts that bound linear sums of them (every published figure turned into what it implies), and the hidden
/// quantities whose ranges are to be measured.
/// </summary>
public sealed class KnowledgeModel
{
    private readonly List<(string Name, bool Integer, double Lower, double Upper)> variables = [];
    private readonly List<Fact> facts = [];
    private readonly List<Target> targets = [];
    private readonly List<string> unusable = [];

    /// <summary>The unknowns: name, whether integral, bounds.</summary>
    public IReadOnlyList<(string Name, bool Integer, double Lower, double Upper)> Variables => variables;

    /// <summary>The facts the reader has.</summary>
    public IReadOnlyList<Fact> Facts => facts;

    /// <summary>The hidden quantities.</summary>
    public IReadOnlyList<Target> Targets => targets;

    /// <summary>Published figures the reader could not turn into linear facts (e.g. a weighted share over two unknown strata), with why.</summary>
    public IReadOnlyList<string> Unusable => unusable;

    /// <summary>A non-negative integer unknown, such as the number of answers 3 of one unit to one item.</summary>
    public int Count(string name)
    {
        variables.Add((name, true, 0, double.PositiveInfinity));
        return variables.Count - 1;
    }

    /// <summary>A real unknown between bounds, such as a sum of index values.</summary>
    public int Amount(string name, double lower, double upper)
    {
        variables.Add((name, false, lower, upper));
        return variables.Count - 1;
    }

    /// <summary>States that a linear sum lies between two bounds (inclusive).</summary>
    public void Fact(IReadOnlyList<Term> terms, double lower, double upper, string source)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count > 0)
        {
            facts.Add(new Fact(terms, lower, upper, source));
        }
    }

    /// <summary>States that a linear sum equals a value.</summary>
    public void Equal(IReadOnlyList<Term> terms, double value, string source) => Fact(terms, value, value, source);

    /// <summary>Asks for the range of a hidden quantity.</summary>
    public void Protect(string key, string quantity, IReadOnlyList<Term> terms, Protection protection, HiddenCell? origin = null) =>
        targets.Add(new Target(key, quantity, terms, protection, origin));

    /// <summary>Records a published figure that the linear reading cannot use.</summary>
    public void CannotUse(string why) => unusable.Add(why);

    /// <summary>The sum of the given unknowns, each with coefficient 1.</summary>
    public static IReadOnlyList<Term> Sum(IEnumerable<int> variables) => [.. variables.Select(v => new Term(v, 1))];
}
