using MathNet.Numerics;

namespace Arviointi.Statistics;

/// <summary>The Mann–Whitney U test of two independent samples.</summary>
/// <param name="U">The U statistic of the first sample: the number of pairs in which its value is greater, ties counting one half.</param>
/// <param name="P">Two-sided p value; <see cref="double.NaN"/> when either sample is empty.</param>
public sealed record MannWhitneyResult(double U, double P);

/// <summary>The Mann–Whitney U (Wilcoxon rank-sum) test on an ordered scale, computed from counts.</summary>
public static class MannWhitney
{
    /// <summary>
    /// Two-sided asymptotic test with the tie-corrected variance and the continuity correction, as
    /// <c>scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True)</c>.
    /// </summary>
    /// <remarks>
    /// Works in time proportional to the number of categories: the tied values of a category share its midrank.
    /// When every answer of both samples is the same, the variance is zero and P is 1, as scipy gives
    /// (there is no evidence of a difference). When a sample is empty U and P are <see cref="double.NaN"/>
    /// (scipy raises an error).
    /// </remarks>
    /// <param name="xCounts">Counts of the first sample per category, lowest category first (e.g. answers 1–5 at 0–4).</param>
    /// <param name="yCounts">Counts of the second sample over the same categories.</param>
    /// <exception cref="ArgumentException">The spans differ in length, or a count is negative.</exception>
    public static MannWhitneyResult Test(ReadOnlySpan<int> xCounts, ReadOnlySpan<int> yCounts)
    {
        OrdinalCounts.RequireSameScale(xCounts, yCounts, nameof(yCounts));
        double n1 = OrdinalCounts.Total(xCounts, nameof(xCounts));
        double n2 = OrdinalCounts.Total(yCounts, nameof(yCounts));
        if (n1 == 0 || n2 == 0)
        {
            return new MannWhitneyResult(double.NaN, double.NaN);
        }

        // Midranks and products stay below 2^53 for any survey, so the rank sum is exact.
        double below = 0;
        double rankSum = 0;
        double tieTerm = 0;
        for (var c = 0; c < xCounts.Length; c++)
        {
            double tied = (double)xCounts[c] + yCounts[c];
            rankSum += xCounts[c] * (below + ((tied + 1) / 2));
            tieTerm += OrdinalCounts.TieTerm(tied);
            below += tied;
        }

        double u1 = rankSum - (n1 * (n1 + 1) / 2);
        double u2 = (n1 * n2) - u1;
        double n = n1 + n2;
        double sd = Math.Sqrt(n1 * n2 / 12 * (n + 1 - (tieTerm / (n * (n - 1)))));
        if (!(sd > 0))
        {
            return new MannWhitneyResult(u1, 1.0);
        }

        double z = (Math.Max(u1, u2) - (n1 * n2 / 2) - 0.5) / sd;
        return new MannWhitneyResult(u1, Math.Min(1.0, 2 * NormalSurvival(z)));
    }

    // erfc keeps its relative accuracy far into the tail, where 1 − Φ(z) would round to 0.
    internal static double NormalSurvival(double z) => 0.5 * SpecialFunctions.Erfc(z / Constants.Sqrt2);
}
