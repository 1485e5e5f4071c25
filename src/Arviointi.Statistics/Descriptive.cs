namespace Arviointi.Statistics;

/// <summary>Mean of a continuous measure, such as quality-area indices, with its 95 % t interval.</summary>
/// <param name="N">Number of values that are not <see cref="double.NaN"/>.</param>
/// <param name="Mean">Mean; <see cref="double.NaN"/> when N = 0.</param>
/// <param name="Sd">Sample standard deviation (denominator N − 1); <see cref="double.NaN"/> when N &lt; 2.</param>
/// <param name="MeanCi">95 % Student t interval of the mean (df N − 1); undefined when N &lt; 2.</param>
public sealed record MeanSummary(int N, double Mean, double Sd, Interval MeanCi);

/// <summary>Summaries of continuous values.</summary>
public static class Descriptive
{
    /// <summary>Summarises the values that are not <see cref="double.NaN"/> (a respondent without an index is left out).</summary>
    /// <remarks>Two passes (mean, then squared deviations) keep the variance exact enough for any realistic n.</remarks>
    /// <param name="values">The values; <see cref="double.NaN"/> marks a missing one.</param>
    public static MeanSummary Summarize(ReadOnlySpan<double> values)
    {
        var n = 0;
        double sum = 0;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
            {
                n++;
                sum += value;
            }
        }

        if (n == 0)
        {
            return new MeanSummary(0, double.NaN, double.NaN, Interval.Undefined);
        }

        var mean = sum / n;
        if (n == 1)
        {
            return new MeanSummary(1, mean, double.NaN, Interval.Undefined);
        }

        double squares = 0;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
            {
                squares += (value - mean) * (value - mean);
            }
        }

        var sd = Math.Sqrt(squares / (n - 1));
        var halfWidth = Likert.TQuantile(n - 1) * sd / Math.Sqrt(n);
        return new MeanSummary(n, mean, sd, new Interval(mean - halfWidth, mean + halfWidth));
    }
}
