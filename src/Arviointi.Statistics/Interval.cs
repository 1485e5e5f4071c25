namespace Arviointi.Statistics;

/// <summary>A closed interval, typically a confidence interval.</summary>
/// <param name="Lower">Lower bound; <see cref="double.NaN"/> when undefined.</param>
/// <param name="Upper">Upper bound; <see cref="double.NaN"/> when undefined.</param>
public readonly record struct Interval(double Lower, double Upper)
{
    /// <summary>The interval whose bounds are both undefined.</summary>
    public static Interval Undefined { get; } = new(double.NaN, double.NaN);
}
