namespace Arviointi.Statistics;

/// <summary>Cliff's delta, an effect size for ordinal data.</summary>
public static class CliffsDelta
{
    /// <summary>P(X &gt; Y) − P(X &lt; Y) over all pairs of one answer from each sample, computed from counts.</summary>
    /// <remarks>
    /// Exact: the numbers of greater and smaller pairs are summed as integers from cumulative counts in time
    /// proportional to the number of categories. Equals (U₁ − U₂) / (n₁n₂) of the Mann–Whitney test.
    /// </remarks>
    /// <param name="xCounts">Counts of the first sample per category, lowest category first (e.g. answers 1–5 at 0–4).</param>
    /// <param name="yCounts">Counts of the second sample over the same categories.</param>
    /// <returns>A value from −1 to 1; <see cref="double.NaN"/> when either sample is empty.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, or a count is negative.</exception>
    public static double Compute(ReadOnlySpan<int> xCounts, ReadOnlySpan<int> yCounts)
    {
        OrdinalCounts.RequireSameScale(xCounts, yCounts, nameof(yCounts));
        long n1 = OrdinalCounts.Total(xCounts, nameof(xCounts));
        long n2 = OrdinalCounts.Total(yCounts, nameof(yCounts));
        if (n1 == 0 || n2 == 0)
        {
            return double.NaN;
        }

        long yBelow = 0;
        long balance = 0;
        for (var c = 0; c < xCounts.Length; c++)
        {
            long yAbove = n2 - yBelow - yCounts[c];
            balance += xCounts[c] * (yBelow - yAbove);
            yBelow += yCounts[c];
        }

        return balance / ((double)n1 * n2);
    }
}
