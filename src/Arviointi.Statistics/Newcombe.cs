using MathNet.Numerics.Distributions;

namespace Arviointi.Statistics;

/// <summary>Newcombe's hybrid score interval for the difference of two independent proportions.</summary>
public static class Newcombe
{
    /// <summary>
    /// The interval for p₁ − p₂ by Newcombe (1998) method 10, built from the two Wilson score intervals without
    /// continuity correction, as <c>statsmodels.stats.proportion.confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff')</c>.
    /// </summary>
    /// <remarks>
    /// With Wilson intervals (l₁, u₁) and (l₂, u₂) and d = p₁ − p₂, the bounds are
    /// d − √((p₁ − l₁)² + (u₂ − p₂)²) and d + √((u₁ − p₁)² + (p₂ − l₂)²). It stays inside [−1, 1] and is
    /// defined at 0 % and 100 %. Use it for a municipality against the rest of the region and for a share
    /// against the previous round alike: both are independent samples.
    /// </remarks>
    /// <param name="successes1">Successes in the first sample, 0 ≤ successes1 ≤ n1.</param>
    /// <param name="n1">Size of the first sample.</param>
    /// <param name="successes2">Successes in the second sample, 0 ≤ successes2 ≤ n2.</param>
    /// <param name="n2">Size of the second sample.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    /// <returns>The interval; <see cref="Interval.Undefined"/> when either sample is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or above its n, or the confidence is not strictly between 0 and 1.</exception>
    public static Interval Interval(int successes1, int n1, int successes2, int n2, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes1, n1);
        ArgumentOutOfRangeException.ThrowIfNegative(n2);
        ArgumentOutOfRangeException.ThrowIfNegative(successes2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes2, n2);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must be strictly between 0 and 1.");
        }

        if (n1 == 0 || n2 == 0)
        {
            return Statistics.Interval.Undefined;
        }

        return Compute(successes1, n1, successes2, n2, Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2)));
    }

    /// <summary>The interval for a precomputed two-sided normal quantile <paramref name="z"/>; both n must be positive.</summary>
    internal static Interval Compute(int successes1, int n1, int successes2, int n2, double z)
    {
        double p1 = (double)successes1 / n1;
        double p2 = (double)successes2 / n2;
        var first = Wilson.Compute(successes1, n1, z);
        var second = Wilson.Compute(successes2, n2, z);
        double difference = p1 - p2;
        double below = Math.Sqrt(Square(p1 - first.Lower) + Square(second.Upper - p2));
        double above = Math.Sqrt(Square(first.Upper - p1) + Square(p2 - second.Lower));
        return new Interval(difference - below, difference + above);
    }

    private static double Square(double x) => x * x;
}
