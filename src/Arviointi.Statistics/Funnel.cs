using MathNet.Numerics.Distributions;

namespace Arviointi.Statistics;

/// <summary>Control limits of a funnel plot of proportions (Spiegelhalter 2005).</summary>
public static class Funnel
{
    /// <summary>Coverage of the inner (warning) limits, about two standard errors.</summary>
    public const double Warning = 0.95;

    /// <summary>Coverage of the outer (control) limits, about three standard errors.</summary>
    public const double Control = 0.998;

    /// <summary>The limits within which a unit of <paramref name="n"/> answers falls with probability <paramref name="coverage"/> when its true share is <paramref name="p0"/>.</summary>
    /// <remarks>
    /// Uses the normal approximation p₀ ± z·√(p₀(1 − p₀)/n), z = Φ⁻¹(1 − (1 − coverage)/2), clamped to [0, 1],
    /// rather than exact binomial limits: the curves are smooth in n and are what readers of the plot expect.
    /// For small n with p₀ near 0 or 1 the approximation is rough (the limits are then often clamped); such
    /// units are also the ones whose figures are hidden below n = 5.
    /// </remarks>
    /// <param name="p0">The target share, usually the regional share, from 0 to 1.</param>
    /// <param name="n">The number of answers of the unit; for 0 the limits are <see cref="Interval.Undefined"/>.</param>
    /// <param name="coverage">Two-sided coverage strictly between 0 and 1, e.g. <see cref="Warning"/> or <see cref="Control"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">p0 is outside 0–1, n is negative, or the coverage is not strictly between 0 and 1.</exception>
    public static Interval Limits(double p0, int n, double coverage)
    {
        if (!(p0 >= 0 && p0 <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p0), p0, "The target share must be from 0 to 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(coverage > 0 && coverage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "Coverage must be strictly between 0 and 1.");
        }

        if (n == 0)
        {
            return Interval.Undefined;
        }

        double z = Normal.InvCDF(0, 1, 1 - ((1 - coverage) / 2));
        double halfWidth = z * Math.Sqrt(p0 * (1 - p0) / n);
        return new Interval(Math.Max(0, p0 - halfWidth), Math.Min(1, p0 + halfWidth));
    }
}
