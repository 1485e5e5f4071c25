using MathNet.Numerics.Distributions;

namespace Arviointi.Statistics;

/// <summary>Wilson score interval for a binomial proportion.</summary>
public static class Wilson
{
    /// <summary>
    /// The Wilson score interval (without continuity correction) for <paramref name="successes"/> out of <paramref name="n"/>.
    /// </summary>
    /// <param name="successes">Number of successes, 0 ≤ successes ≤ n.</param>
    /// <param name="n">Number of trials; for 0 the interval is <see cref="Interval.Undefined"/>.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    /// <returns>The interval, clamped to [0, 1].</returns>
    public static Interval Interval(int successes, int n, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, n);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must be strictly between 0 and 1.");
        }

        if (n == 0)
        {
            return Statistics.Interval.Undefined;
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        return Compute(successes, n, z);
    }

    /// <summary>The interval for a precomputed two-sided normal quantile <paramref name="z"/>; n must be positive.</summary>
    internal static Interval Compute(int successes, int n, double z)
    {
        double p = (double)successes / n;
        double z2 = z * z;
        double denominator = 1 + (z2 / n);
        double centre = (p + (z2 / (2.0 * n))) / denominator;
        double halfWidth = z / denominator * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n)));
        // Rounding can push the bounds a hair outside [0, 1] at 0 or n successes.
        return new Interval(Math.Max(0, centre - halfWidth), Math.Min(1, centre + halfWidth));
    }
}
