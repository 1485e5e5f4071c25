using MathNet.Numerics;

namespace Arviointi.Statistics;

/// <summary>The Kruskal–Wallis H test of several independent samples.</summary>
/// <param name="H">The tie-corrected H statistic; <see cref="double.NaN"/> with fewer than two non-empty groups.</param>
/// <param name="Df">Degrees of freedom: the number of non-empty groups minus one (0 when undefined).</param>
/// <param name="P">The p value from the χ² distribution with <paramref name="Df"/> degrees of freedom; <see cref="double.NaN"/> when undefined.</param>
public sealed record KruskalWallisResult(double H, int Df, double P);

/// <summary>The Kruskal–Wallis H test on an ordered scale, computed from counts.</summary>
public static class KruskalWallis
{
    /// <summary>The test with the tie correction and the χ² approximation, as <c>scipy.stats.kruskal(*groups)</c>.</summary>
    /// <remarks>
    /// <para>Works in time proportional to groups × categories: the tied values of a category share its midrank.</para>
    /// <para>
    /// Empty groups are left out, as R's <c>kruskal.test</c> does (scipy instead returns NaN when any group is
    /// empty); fewer than two non-empty groups leave the test undefined. When every answer is the same the tie
    /// correction is 0/0; the result is then H = 0 and P = 1 (no evidence of a difference), where scipy raises
    /// "All numbers are identical", and this matches the Mann–Whitney test's P of 1 in the same case.
    /// </para>
    /// </remarks>
    /// <param name="groupCounts">One array per group: its counts per category, lowest category first (e.g. answers 1–5 at 0–4).</param>
    /// <exception cref="ArgumentException">The groups differ in number of categories, or a count is negative.</exception>
    public static KruskalWallisResult Test(params ReadOnlySpan<int[]> groupCounts)
    {
        var categories = groupCounts.Length > 0 ? (groupCounts[0] ?? throw new ArgumentNullException(nameof(groupCounts))).Length : 0;
        var totals = new double[categories];
        var groups = 0;
        double n = 0;
        foreach (var counts in groupCounts)
        {
            ArgumentNullException.ThrowIfNull(counts, nameof(groupCounts));
            OrdinalCounts.RequireSameScale(groupCounts[0], counts, nameof(groupCounts));
            var size = OrdinalCounts.Total(counts, nameof(groupCounts));
            if (size > 0)
            {
                groups++;
                n += size;
                for (var c = 0; c < categories; c++)
                {
                    totals[c] += counts[c];
                }
            }
        }

        if (groups < 2)
        {
            return new KruskalWallisResult(double.NaN, 0, double.NaN);
        }

        var midranks = new double[categories];
        double below = 0;
        double tieTerm = 0;
        for (var c = 0; c < categories; c++)
        {
            midranks[c] = below + ((totals[c] + 1) / 2);
            tieTerm += OrdinalCounts.TieTerm(totals[c]);
            below += totals[c];
        }

        double correction = 1 - (tieTerm / ((n * n * n) - n));
        var df = groups - 1;
        if (!(correction > 0))
        {
            return new KruskalWallisResult(0.0, df, 1.0);
        }

        // Σ n_g (mean rank_g − (N + 1) / 2)², rather than Σ R_g² / n_g − 3(N + 1), avoids cancellation at large N.
        double grandMean = (n + 1) / 2;
        double spread = 0;
        foreach (var counts in groupCounts)
        {
            double size = 0;
            double rankSum = 0;
            for (var c = 0; c < categories; c++)
            {
                size += counts[c];
                rankSum += counts[c] * midranks[c];
            }

            if (size > 0)
            {
                double deviation = (rankSum / size) - grandMean;
                spread += size * deviation * deviation;
            }
        }

        double h = 12 / (n * (n + 1)) * spread / correction;
        return new KruskalWallisResult(h, df, SpecialFunctions.GammaUpperRegularized(df / 2.0, h / 2));
    }
}
