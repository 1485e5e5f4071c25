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
        var z = Quantile(confidence);
        return n == 0 ? Statistics.Interval.Undefined : Compute(successes, n, z);
    }

    /// <summary>
    /// The Wilson score interval for an observed share <paramref name="share"/> of an effective sample size
    /// <paramref name="n"/> that need not be whole, as for a weighted share and Kish's effective n.
    /// </summary>
    /// <param name="share">The observed share, 0 ≤ share ≤ 1.</param>
    /// <param name="n">The (effective) sample size; for 0 the interval is <see cref="Interval.Undefined"/>.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    /// <returns>The interval, clamped to [0, 1].</returns>
    public static Interval Interval(double share, double n, double confidence = 0.95)
    {
        if (!(share >= 0 && share <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The share must be from 0 to 1.");
        }

        if (!(n >= 0 && double.IsFinite(n)))
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "The sample size must be finite and not negative.");
        }

        var z = Quantile(confidence);
        return n == 0 ? Statistics.Interval.Undefined : Compute(share, n, z);
    }

    /// <summary>The two-sided standard normal quantile of a confidence level strictly between 0 and 1.</summary>
    private static double Quantile(double confidence) =>
        confidence > 0 && confidence < 1
            ? Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2))
            : throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must be strictly between 0 and 1.");

    /// <summary>The interval for a precomputed two-sided normal quantile <paramref name="z"/>; n must be positive.</summary>
    internal static Interval Compute(int successes, int n, double z) => Compute((double)successes / n, n, z);

    private static Interval Compute(double p, double n, double z)
    {
        double z2 = z * z;
        double denominator = 1 + (z2 / n);
        double centre = (p + (z2 / (2.0 * n))) / denominator;
        double halfWidth = z / denominator * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n)));
        // Rounding can push the bounds a hair outside [0, 1] at 0 or n successes.
        return new Interval(Math.Max(0, centre - halfWidth), Math.Min(1, centre + halfWidth));
    }
}
