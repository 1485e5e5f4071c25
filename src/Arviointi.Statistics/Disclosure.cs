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
}

/// <summary>One cell of a table, such as a municipality's figures, whose disclosure is decided.</summary>
/// <typeparam name="TKey">The caller's identifier of the cell.</typeparam>
/// <param name="Key">The caller's identifier of the cell.</param>
/// <param name="Name">Display name; breaks ties between equally small cells by ordinal comparison.</param>
/// <param name="N">Number of answers behind the cell's figures.</param>
public sealed record DisclosureCell<TKey>(TKey Key, string Name, int N);

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
    /// Cells with fewer than <paramref name="minimumN"/> answers are hidden (<see cref="SuppressionReason.SmallN"/>).
    /// When exactly one cell of several is hidden so, the shown cell with the smallest N (ties broken by
    /// <see cref="DisclosureCell{TKey}.Name"/>, ordinal) is hidden too (<see cref="SuppressionReason.Complementary"/>),
    /// so the published total cannot reveal the small one.
    /// </remarks>
    /// <param name="cells">The cells of the table.</param>
    /// <param name="minimumN">The smallest N that may be shown.</param>
    /// <returns>One decision per cell, in the order of <paramref name="cells"/>.</returns>
    public static IReadOnlyList<DisclosureDecision<TKey>> Decide<TKey>(IReadOnlyList<DisclosureCell<TKey>> cells, int minimumN = MinimumN)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumN);

        var reasons = new SuppressionReason[cells.Count];
        var smallCount = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].N < minimumN)
            {
                reasons[i] = SuppressionReason.SmallN;
                smallCount++;
            }
        }

        if (smallCount == 1 && cells.Count > 1)
        {
            var partner = -1;
            for (var i = 0; i < cells.Count; i++)
            {
                if (reasons[i] == SuppressionReason.None && (partner < 0 || IsSmaller(cells[i], cells[partner])))
                {
                    partner = i;
                }
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
}
