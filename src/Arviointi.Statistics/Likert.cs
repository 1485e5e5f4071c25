using MathNet.Numerics.Distributions;

namespace Arviointi.Statistics;

/// <summary>Summary of one 5-point agreement item over a set of respondents.</summary>
/// <param name="N">Number of answers on the scale (values 1–5).</param>
/// <param name="CantSay">Number of "can't say" (en osaa sanoa) answers, not included in <paramref name="N"/>.</param>
/// <param name="Mean">Mean of the scale values; <see cref="double.NaN"/> when N = 0.</param>
/// <param name="Sd">Sample standard deviation (denominator N − 1); <see cref="double.NaN"/> when N &lt; 2.</param>
/// <param name="MeanCi">95 % Student t interval of the mean (df N − 1); undefined when N &lt; 2, and the single point Mean when Sd = 0.</param>
/// <param name="AgreeShare">Share of answers 4–5 among answers 1–5; <see cref="double.NaN"/> when N = 0.</param>
/// <param name="AgreeCi">95 % Wilson score interval of <paramref name="AgreeShare"/>; undefined when N = 0.</param>
public sealed record LikertSummary(int N, int CantSay, double Mean, double Sd, Interval MeanCi, double AgreeShare, Interval AgreeCi);

/// <summary>Summaries of 5-point agreement items.</summary>
public static class Likert
{
    /// <summary>Answer byte of a respondent who left the item unanswered.</summary>
    public const byte NotAnswered = 0;

    /// <summary>Answer byte of a "can't say" (en osaa sanoa) answer.</summary>
    public const byte CantSay = 6;

    private const double Confidence = 0.95;

    // The two-sided 95 % normal quantile, computed once rather than per summary.
    private static readonly double WilsonZ = Normal.InvCDF(0, 1, 1 - ((1 - Confidence) / 2));

    /// <summary>Summarises one item from one answer byte per respondent, in a single pass without allocating on the heap beyond the result.</summary>
    /// <param name="answers">
    /// One byte per respondent: <see cref="NotAnswered"/>, 1–5 for the scale value, or <see cref="CantSay"/>.
    /// </param>
    /// <exception cref="ArgumentException">A byte is greater than <see cref="CantSay"/>.</exception>
    public static LikertSummary Summarize(ReadOnlySpan<byte> answers)
    {
        Span<int> counts = stackalloc int[CantSay + 1];
        foreach (var answer in answers)
        {
            if (answer > CantSay)
            {
                throw new ArgumentException($"Answer byte {answer} is not 0–6.", nameof(answers));
            }

            counts[answer]++;
        }

        return FromCounts(counts);
    }

    /// <summary>Summarises one item from scale values that are already known to be answers.</summary>
    /// <param name="values">The scale values 1–5; not-answered and "can't say" answers must be left out.</param>
    /// <param name="cantSay">The number of "can't say" answers.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside 1–5, or <paramref name="cantSay"/> is negative.</exception>
    public static LikertSummary Summarize(IEnumerable<int> values, int cantSay)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(cantSay);
        Span<int> counts = stackalloc int[CantSay + 1];
        foreach (var value in values)
        {
            if (value is < 1 or > 5)
            {
                throw new ArgumentOutOfRangeException(nameof(values), value, "Scale values must be 1–5.");
            }

            counts[value]++;
        }

        counts[CantSay] = cantSay;
        return FromCounts(counts);
    }

    // StudentT.InvCDF finds a root (about 20 µs), and a round needs thousands of summaries over few distinct df.
    private static readonly double[] TQuantiles = CreateNaNs(1024);

    private static double TQuantile(int df)
    {
        if (df >= TQuantiles.Length)
        {
            return StudentT.InvCDF(0, 1, df, 1 - ((1 - Confidence) / 2));
        }

        // A race only computes the same value twice; a double write is atomic on 64-bit runtimes.
        var cached = Volatile.Read(ref TQuantiles[df]);
        if (double.IsNaN(cached))
        {
            cached = StudentT.InvCDF(0, 1, df, 1 - ((1 - Confidence) / 2));
            Volatile.Write(ref TQuantiles[df], cached);
        }

        return cached;
    }

    private static double[] CreateNaNs(int length)
    {
        var values = new double[length];
        Array.Fill(values, double.NaN);
        return values;
    }

    // counts[k] is the number of answers with byte k; the moments follow exactly from the five scale counts.
    private static LikertSummary FromCounts(ReadOnlySpan<int> counts)
    {
        int n = counts[1] + counts[2] + counts[3] + counts[4] + counts[5];
        int cantSay = counts[CantSay];
        if (n == 0)
        {
            return new LikertSummary(0, cantSay, double.NaN, double.NaN, Interval.Undefined, double.NaN, Interval.Undefined);
        }

        long sum = 0;
        for (var k = 1; k <= 5; k++)
        {
            sum += (long)k * counts[k];
        }

        double mean = (double)sum / n;
        int agree = counts[4] + counts[5];
        var agreeCi = Wilson.Compute(agree, n, WilsonZ);
        if (n == 1)
        {
            return new LikertSummary(n, cantSay, mean, double.NaN, Interval.Undefined, (double)agree / n, agreeCi);
        }

        double squares = 0;
        for (var k = 1; k <= 5; k++)
        {
            double deviation = k - mean;
            squares += counts[k] * deviation * deviation;
        }

        double sd = Math.Sqrt(squares / (n - 1));
        double t = TQuantile(n - 1);
        double halfWidth = t * sd / Math.Sqrt(n);
        return new LikertSummary(n, cantSay, mean, sd, new Interval(mean - halfWidth, mean + halfWidth), (double)agree / n, agreeCi);
    }
}
