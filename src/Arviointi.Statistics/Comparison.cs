namespace Arviointi.Statistics;

/// <summary>The answers of one cell (a municipality, or a unit within a municipality) to one 5-point item.</summary>
/// <typeparam name="TKey">The caller's identifier of the cell.</typeparam>
/// <param name="Key">The caller's identifier of the cell.</param>
/// <param name="Name">Display name; breaks ties of complementary suppression by ordinal comparison.</param>
/// <param name="Counts">Counts by answer byte: index 0 not answered (ignored), 1–5 the scale, 6 "can't say" (<see cref="Likert.CantSay"/>).</param>
/// <param name="Forced">Whether the cell must be hidden whatever its answers (see <see cref="DisclosureCell{TKey}.Forced"/>).</param>
public sealed record CountedCell<TKey>(TKey Key, string Name, IReadOnlyList<int> Counts, bool Forced = false);

/// <summary>One cell's published figures. Every figure is null when the cell is hidden, so nothing hidden can be shown by mistake.</summary>
/// <typeparam name="TKey">The caller's identifier of the cell.</typeparam>
/// <param name="Key">The cell's identifier.</param>
/// <param name="Name">The cell's name.</param>
/// <param name="Reason">Why the cell is hidden, or <see cref="SuppressionReason.None"/>.</param>
/// <param name="Summary">The cell's own figures; null when hidden.</param>
/// <param name="ScaleCounts">Counts of answers 1–5 (index 0–4), for distribution charts; null when hidden.</param>
/// <param name="VsRest">The cell against all other cells pooled (hidden ones included); null when hidden.</param>
/// <param name="HolmP">The Mann–Whitney p of <paramref name="VsRest"/> adjusted by Holm across the visible cells; null when hidden.</param>
public sealed record ComparedCell<TKey>(TKey Key, string Name, SuppressionReason Reason, LikertSummary? Summary, IReadOnlyList<int>? ScaleCounts, LikertComparison? VsRest, double? HolmP)
{
    /// <summary>Whether the cell's figures are hidden.</summary>
    public bool Suppressed => Reason != SuppressionReason.None;
}

/// <summary>One item compared across cells.</summary>
/// <typeparam name="TKey">The caller's identifier of the cells.</typeparam>
/// <param name="Total">Figures over every answer of every cell, hidden cells' included.</param>
/// <param name="TotalScaleCounts">Counts of answers 1–5 over every cell.</param>
/// <param name="Cells">One result per input cell, in input order.</param>
/// <param name="KruskalWallis">Kruskal–Wallis over the visible cells; null with fewer than two.</param>
public sealed record ItemComparison<TKey>(LikertSummary Total, IReadOnlyList<int> TotalScaleCounts, IReadOnlyList<ComparedCell<TKey>> Cells, KruskalWallisResult? KruskalWallis);

/// <summary>
/// The one implementation of comparing a 5-point item across municipalities (or units): disclosure, each visible cell
/// against the rest, Holm across the visible cells, and Kruskal–Wallis. Used by the web snapshot and the CLI alike.
/// </summary>
public static class Comparison
{
    /// <summary>Compares one item across cells.</summary>
    /// <remarks>
    /// Cells with fewer than <paramref name="minimumN"/> answers 1–5, and forced cells, are hidden, with partners until the
    /// hidden cells are at least two and hold at least <paramref name="minimumN"/> answers (<see cref="Disclosure.Decide{TKey}"/>). The total and each cell's "rest" still pool every answer:
    /// hiding a cell hides its figures, not its answers.
    /// </remarks>
    /// <param name="cells">The cells with their counts by answer byte.</param>
    /// <param name="minimumN">The smallest number of answers whose figures may be shown.</param>
    /// <param name="showEmpty">Whether a cell of no answers is shown (see <see cref="Disclosure.Decide{TKey}"/>).</param>
    /// <exception cref="ArgumentException">A cell does not have seven counts, or a count is negative.</exception>
    public static ItemComparison<TKey> Compare<TKey>(IReadOnlyList<CountedCell<TKey>> cells, int minimumN = Disclosure.MinimumN, bool showEmpty = true)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var total = new int[Likert.CantSay + 1];
        foreach (var cell in cells)
        {
            if (cell.Counts.Count != total.Length)
            {
                throw new ArgumentException($"Cell {cell.Name} has {cell.Counts.Count} counts, not {total.Length}.", nameof(cells));
            }

            for (var b = 0; b < total.Length; b++)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(cell.Counts[b], nameof(cells));
                total[b] += cell.Counts[b];
            }
        }

        var summaries = cells.Select(c => Summarize(c.Counts)).ToList();
        var decisions = Disclosure.Decide(cells.Select((c, i) => new DisclosureCell<int>(i, c.Name, summaries[i].N, c.Forced)).ToList(), minimumN, showEmpty);
        var visible = Enumerable.Range(0, cells.Count).Where(i => !decisions[i].Suppressed).ToList();
        var comparisons = visible.ToDictionary(i => i, i => Likert.Compare(Scale(cells[i].Counts), Scale(Subtract(total, cells[i].Counts))));
        var holm = Holm.Adjust(visible.Select(i => comparisons[i].MannWhitneyP).ToArray());
        var holmByCell = visible.Select((cell, rank) => (cell, rank)).ToDictionary(v => v.cell, v => holm[v.rank]);

        var results = cells.Select((c, i) => decisions[i].Suppressed
                ? new ComparedCell<TKey>(c.Key, c.Name, decisions[i].Reason, null, null, null, null)
                : new ComparedCell<TKey>(c.Key, c.Name, SuppressionReason.None, summaries[i], Scale(c.Counts).ToArray(), comparisons[i], holmByCell[i]))
            .ToList();
        var kruskalWallis = visible.Count >= 2 ? KruskalWallis.Test(visible.Select(i => Scale(cells[i].Counts).ToArray()).ToArray()) : null;
        return new ItemComparison<TKey>(Summarize(total), Scale(total).ToArray(), results, kruskalWallis);
    }

    /// <summary>Counts by answer byte (index 0–6) of a column of answer bytes.</summary>
    /// <exception cref="ArgumentException">A byte is greater than <see cref="Likert.CantSay"/>.</exception>
    public static int[] CountBytes(ReadOnlySpan<byte> answers)
    {
        var counts = new int[Likert.CantSay + 1];
        foreach (var answer in answers)
        {
            if (answer > Likert.CantSay)
            {
                throw new ArgumentException($"Answer byte {answer} is not 0–6.", nameof(answers));
            }

            counts[answer]++;
        }

        return counts;
    }

    private static LikertSummary Summarize(IReadOnlyList<int> counts) => Likert.SummarizeCounts(Scale(counts), counts[Likert.CantSay]);

    // Counts by answer byte hold the scale counts 1–5 at bytes 1–5.
    private static int[] Scale(IReadOnlyList<int> counts) => [counts[1], counts[2], counts[3], counts[4], counts[5]];

    private static int[] Subtract(int[] total, IReadOnlyList<int> part) => [.. total.Select((t, b) => t - part[b])];
}
