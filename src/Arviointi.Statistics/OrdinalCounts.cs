namespace Arviointi.Statistics;

/// <summary>Checks of the count spans that the rank-based functions take.</summary>
/// <remarks>
/// A distribution over an ordered scale is given as counts: <c>counts[c]</c> is the number of answers in the
/// c-th category from the lowest, e.g. the numbers of answers 1–5 at indices 0–4 (<see cref="Likert.ScaleCounts"/>).
/// Rank statistics then follow from cumulative counts in time proportional to the number of categories,
/// however many respondents there are.
/// </remarks>
internal static class OrdinalCounts
{
    /// <summary>The total of non-negative counts; throws for a negative count.</summary>
    public static long Total(ReadOnlySpan<int> counts, string parameterName)
    {
        long total = 0;
        foreach (var count in counts)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException(parameterName, count, "Counts must not be negative.");
            }

            total += count;
        }

        return total;
    }

    /// <summary>Throws unless two distributions are over the same number of categories.</summary>
    public static void RequireSameScale(ReadOnlySpan<int> x, ReadOnlySpan<int> y, string parameterName)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Both distributions must have the same number of categories ({x.Length} and {y.Length}).", parameterName);
        }
    }

    /// <summary>Σ (t³ − t) over the tie groups, the numerator of the usual tie corrections.</summary>
    public static double TieTerm(double tied) => (tied * tied * tied) - tied;
}
