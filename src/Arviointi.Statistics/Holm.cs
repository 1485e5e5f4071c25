namespace Arviointi.Statistics;

/// <summary>Holm's step-down adjustment of p values for multiple comparisons.</summary>
public static class Holm
{
    /// <summary>
    /// Holm-adjusted p values, as <c>statsmodels.stats.multitest.multipletests(p, method='holm')[1]</c>.
    /// </summary>
    /// <remarks>
    /// The i-th smallest of m p values becomes max over j ≤ i of (m − j + 1)·p₍ⱼ₎, capped at 1.
    /// <see cref="double.NaN"/> values (tests that could not be computed) are not counted in m and stay NaN.
    /// </remarks>
    /// <param name="pValues">The p values of one family of tests, each from 0 to 1 or <see cref="double.NaN"/>.</param>
    /// <returns>The adjusted p values in the order of <paramref name="pValues"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A p value is outside 0–1.</exception>
    public static double[] Adjust(ReadOnlySpan<double> pValues)
    {
        var adjusted = new double[pValues.Length];
        var order = new List<int>(pValues.Length);
        for (var i = 0; i < pValues.Length; i++)
        {
            var p = pValues[i];
            if (double.IsNaN(p))
            {
                adjusted[i] = double.NaN;
            }
            else if (p is < 0 or > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(pValues), p, "p values must be from 0 to 1.");
            }
            else
            {
                order.Add(i);
            }
        }

        // Ties in p get the same adjusted value whatever their order, so an unstable sort is fine.
        var values = pValues.ToArray();
        order.Sort((a, b) => values[a].CompareTo(values[b]));
        double running = 0;
        for (var rank = 0; rank < order.Count; rank++)
        {
            running = Math.Max(running, Math.Min(1.0, (order.Count - rank) * values[order[rank]]));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }
}
