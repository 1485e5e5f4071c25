namespace Arviointi.Statistics;

/// <summary>Why a figure is hidden.</summary>
public enum SuppressionReason
{
    /// <summary>The figure is shown.</summary>
    None,

    /// <summary>The cell has fewer answers than the minimum.</summary>
    SmallN,

    /// <summary>The cell is hidden so that a lone small cell cannot be recovered from a total by subtraction.</summary>
    Complementary,

    /// <summary>The caller hid the cell for a reason outside this table (its parent or its respondents are hidden, or an audit found it needed).</summary>
    Linked,
}

/// <summary>One cell of a table, such as a municipality's figures, whose disclosure is decided.</summary>
/// <typeparam name="TKey">The caller's identifier of the cell.</typeparam>
/// <param name="Key">The caller's identifier of the cell.</param>
/// <param name="Name">Display name; breaks ties between equally small cells by ordinal comparison.</param>
/// <param name="N">Number of answers behind the cell's figures.</param>
/// <param name="Forced">Whether the cell must be hidden whatever its N (<see cref="SuppressionReason.Linked"/>).</param>
public sealed record DisclosureCell<TKey>(TKey Key, string Name, int N, bool Forced = false);

/// <summary>Whether one cell may be shown.</summary>
/// <typeparam name="TKey">The caller's identifier of the cell.</typeparam>
/// <param name="Key">The cell's identifier.</param>
/// <param name="Suppressed">Whether the cell's figures must be hidden.</param>
/// <param name="Reason">Why the cell is hidden, or <see cref="SuppressionReason.None"/>.</param>
public sealed record DisclosureDecision<TKey>(TKey Key, bool Suppressed, SuppressionReason Reason);

/// <summary>Small-cell and complementary suppression of a table whose total is published.</summary>
public static class Disclosure
{
    /// <summary>The smallest number of answers whose figures may be shown.</summary>
    public const int MinimumN = 5;

    /// <summary>Decides which cells of one table to hide.</summary>
    /// <remarks>
    /// Cells with 1 to <paramref name="minimumN"/> − 1 answers are hidden (<see cref="SuppressionReason.SmallN"/>), as are
    /// cells the caller forces (<see cref="SuppressionReason.Linked"/>); a cell of no answers reveals nobody and is shown.
    /// Then, while the hidden cells are fewer than two or hold fewer than <paramref name="minimumN"/> answers together,
    /// the shown non-empty cell with the smallest N (ties broken by <see cref="DisclosureCell{TKey}.Name"/>, ordinal) is
    /// hidden too (<see cref="SuppressionReason.Complementary"/>): the published total minus the shown cells then gives
    /// only the hidden cells' sum, which holds at least <paramref name="minimumN"/> answers and cannot be split between them.
    /// </remarks>
    /// <param name="cells">The cells of the table.</param>
    /// <param name="minimumN">The smallest N that may be shown.</param>
    /// <param name="showEmpty">Whether a cell of no answers is shown (it reveals nobody); otherwise it is hidden as a small one.</param>
    /// <param name="knownNonEmpty">
    /// Whether a reader knows that every listed cell holds at least one (units listed in response rates had respondents):
    /// the hidden cells must then hold at least <paramref name="minimumN"/> beyond one each, or each could be pinned
    /// between one and the rest.
    /// </param>
    /// <returns>One decision per cell, in the order of <paramref name="cells"/>.</returns>
    public static IReadOnlyList<DisclosureDecision<TKey>> Decide<TKey>(IReadOnlyList<DisclosureCell<TKey>> cells, int minimumN = MinimumN, bool showEmpty = true, bool knownNonEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumN);

        var reasons = new SuppressionReason[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            reasons[i] = cells[i].Forced ? SuppressionReason.Linked : (cells[i].N > 0 || !showEmpty) && cells[i].N < minimumN ? SuppressionReason.SmallN : SuppressionReason.None;
        }

        while (true)
        {
            var hidden = Enumerable.Range(0, cells.Count).Where(i => reasons[i] != SuppressionReason.None).ToList();
            var cover = hidden.Sum(i => (long)cells[i].N) - (knownNonEmpty ? hidden.Count(i => cells[i].N > 0) : 0);
            if (hidden.Count == 0 || (hidden.Count >= 2 && cover >= minimumN))
            {
                break;
            }

            var partner = -1;
            for (var i = 0; i < cells.Count; i++)
            {
                if (reasons[i] == SuppressionReason.None && cells[i].N > 0 && (partner < 0 || IsSmaller(cells[i], cells[partner])))
                {
                    partner = i;
                }
            }

            if (partner < 0)
            {
                // Everything is hidden: the total itself holds fewer than the minimum and is hidden by its own table.
                break;
            }

            reasons[partner] = SuppressionReason.Complementary;
        }

        var decisions = new DisclosureDecision<TKey>[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            decisions[i] = new DisclosureDecision<TKey>(cells[i].Key, reasons[i] != SuppressionReason.None, reasons[i]);
        }

        return decisions;
    }

    private static bool IsSmaller<TKey>(DisclosureCell<TKey> candidate, DisclosureCell<TKey> current) =>
        candidate.N < current.N || (candidate.N == current.N && string.CompareOrdinal(candidate.Name, current.Name) < 0);

    /// <summary>The smallest number of answers a filtered cell (e.g. by a background answer) may show.</summary>
    public const int FilterMinimumN = 10;

    /// <summary>
    /// Decides which cells of a two-way table to hide when every row total and every column total is published too,
    /// as with results filtered by a background answer: rows are municipalities (whose unfiltered figures are shown),
    /// columns are the answer options (whose region-wide figures are shown).
    /// </summary>
    /// <remarks>
    /// A cell with 1 to <paramref name="minimumN"/> − 1 answers is hidden; a cell of zero reveals nobody. Then, in every
    /// row and column, while the hidden cells together hold 1 to <paramref name="minimumN"/> − 1 answers, or all of them
    /// sit in one non-empty cell (so subtraction from the published total would give that cell exactly), the smallest
    /// shown non-empty cell of that line is hidden too (ties by position); rows and columns are checked again until
    /// nothing changes. Forced cells are hidden from the start. Columns that are never
    /// shown (those who left the background question unanswered) count as hidden from the start, as do whole rows
    /// whose unfiltered figures are hidden.
    /// </remarks>
    /// <param name="counts">Answers per cell, <c>counts[row][column]</c>; every row has the same length.</param>
    /// <param name="shownColumns">Which columns may be shown at all.</param>
    /// <param name="shownRows">Which rows may be shown at all.</param>
    /// <param name="minimumN">The smallest number of answers a cell may show.</param>
    /// <param name="forced">Cells the caller hides whatever their counts, <c>forced[row][column]</c>; null for none.</param>
    /// <returns><c>shown[row][column]</c>: whether the cell's figures may be shown.</returns>
    /// <exception cref="ArgumentException">The rows differ in length from each other or from <paramref name="shownColumns"/>.</exception>
    public static bool[][] DecideTable(IReadOnlyList<IReadOnlyList<int>> counts, IReadOnlyList<bool> shownColumns, IReadOnlyList<bool> shownRows, int minimumN = FilterMinimumN, IReadOnlyList<IReadOnlyList<bool>>? forced = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(shownColumns);
        ArgumentNullException.ThrowIfNull(shownRows);
        if (counts.Any(r => r.Count != shownColumns.Count) || counts.Count != shownRows.Count)
        {
            throw new ArgumentException("Every row must have one count per column, and every row a shown flag.", nameof(counts));
        }

        var rows = counts.Count;
        var columns = shownColumns.Count;
        var shown = new bool[rows][];
        for (var r = 0; r < rows; r++)
        {
            shown[r] = new bool[columns];
            for (var c = 0; c < columns; c++)
            {
                var n = counts[r][c];
                shown[r][c] = shownRows[r] && shownColumns[c] && (n == 0 || n >= minimumN) && forced?[r][c] != true;
            }
        }

        bool changed;
        do
        {
            changed = false;
            for (var r = 0; r < rows; r++)
            {
                changed |= ProtectLine(Enumerable.Range(0, columns).Select(c => (r, c)).ToList(), counts, shown, minimumN, (row, column) => shownRows[row] && shownColumns[column]);
            }

            for (var c = 0; c < columns; c++)
            {
                changed |= ProtectLine(Enumerable.Range(0, rows).Select(r => (r, c)).ToList(), counts, shown, minimumN, (row, column) => shownRows[row] && shownColumns[column]);
            }
        }
        while (changed);

        return shown;
    }

    // Hides the line's smallest shown cells until its hidden cells hold no answers, or at least minimumN and not in one
    // suppressed cell alone (a cell never shown by design, such as those who left the question unanswered, may stand alone).
    private static bool ProtectLine(List<(int Row, int Column)> line, IReadOnlyList<IReadOnlyList<int>> counts, bool[][] shown, int minimumN, Func<int, int, bool> showable)
    {
        var changed = false;
        while (true)
        {
            var hidden = line.Where(p => !shown[p.Row][p.Column] && counts[p.Row][p.Column] > 0).ToList();
            var hiddenN = hidden.Sum(p => counts[p.Row][p.Column]);
            var loneSuppressed = hidden.Count == 1 && showable(hidden[0].Row, hidden[0].Column);
            if (hiddenN == 0 || (hiddenN >= minimumN && !loneSuppressed))
            {
                return changed;
            }

            var candidates = line.Where(p => shown[p.Row][p.Column] && counts[p.Row][p.Column] > 0).ToList();
            if (candidates.Count == 0)
            {
                return changed;
            }

            var smallest = candidates.MinBy(p => counts[p.Row][p.Column]);
            shown[smallest.Row][smallest.Column] = false;
            changed = true;
        }
    }
}
