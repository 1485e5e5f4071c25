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

/// <summary>One 5-point item compared between two independent sets of respondents, such as a municipality and the rest of the region.</summary>
/// <param name="AgreeDifference">Share agreeing (4–5) in the first set minus that in the second; <see cref="double.NaN"/> when either has no answers.</param>
/// <param name="AgreeDifferenceCi">95 % Newcombe hybrid score interval of <paramref name="AgreeDifference"/> (<see cref="Newcombe.Interval"/>).</param>
/// <param name="MannWhitneyP">Two-sided p of the Mann–Whitney U test (<see cref="MannWhitney.Test"/>).</param>
/// <param name="CliffsDelta">P(first &gt; second) − P(first &lt; second) over pairs of answers (<see cref="Statistics.CliffsDelta.Compute"/>).</param>
public sealed record LikertComparison(double AgreeDifference, Interval AgreeDifferenceCi, double MannWhitneyP, double CliffsDelta);

/// <summary>Summaries of 5-point agreement items.</summary>
public static class Likert
{
    /// <summary>Answer byte of a respondent who left the item unanswered.</summary>
    public const byte NotAnswered = 0;

    /// <summary>Answer byte of a "can't say" (en osaa sanoa) answer.</summary>
    public const byte CantSay = 6;

    /// <summary>Number of points on the scale: answers are 1–5.</summary>
    public const int ScalePoints = 5;

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
        Count(answers, counts);
        return FromCounts(counts[1..CantSay], counts[CantSay]);
    }

    /// <summary>Summarises one item from scale values that are already known to be answers.</summary>
    /// <param name="values">The scale values 1–5; not-answered and "can't say" answers must be left out.</param>
    /// <param name="cantSay">The number of "can't say" answers.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside 1–5, or <paramref name="cantSay"/> is negative.</exception>
    public static LikertSummary Summarize(IEnumerable<int> values, int cantSay)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(cantSay);
        Span<int> counts = stackalloc int[ScalePoints];
        foreach (var value in values)
        {
            if (value is < 1 or > ScalePoints)
            {
                throw new ArgumentOutOfRangeException(nameof(values), value, "Scale values must be 1–5.");
            }

            counts[value - 1]++;
        }

        return FromCounts(counts, cantSay);
    }

    /// <summary>Counts the answers 1–5 of one item: the form that <see cref="SummarizeCounts"/>, <see cref="Compare"/> and the rank tests take.</summary>
    /// <param name="answers">One byte per respondent, coded as for <see cref="Summarize(ReadOnlySpan{byte})"/>.</param>
    /// <returns>Five counts: the number of answers 1 at index 0 up to the number of answers 5 at index 4; not-answered and "can't say" are left out.</returns>
    /// <exception cref="ArgumentException">A byte is greater than <see cref="CantSay"/>.</exception>
    public static int[] ScaleCounts(ReadOnlySpan<byte> answers)
    {
        Span<int> counts = stackalloc int[CantSay + 1];
        Count(answers, counts);
        return counts[1..CantSay].ToArray();
    }

    /// <summary>Summarises one item from its counts of answers 1–5, in time independent of the number of respondents.</summary>
    /// <param name="scaleCounts">Five counts, answers 1 at index 0 up to answers 5 at index 4 (<see cref="ScaleCounts"/>).</param>
    /// <param name="cantSay">The number of "can't say" answers.</param>
    /// <exception cref="ArgumentException">There are not five counts, or a count is negative.</exception>
    public static LikertSummary SummarizeCounts(ReadOnlySpan<int> scaleCounts, int cantSay)
    {
        RequireScaleCounts(scaleCounts, nameof(scaleCounts));
        ArgumentOutOfRangeException.ThrowIfNegative(cantSay);
        return FromCounts(scaleCounts, cantSay);
    }

    /// <summary>
    /// Compares one item between two independent sets of respondents: difference of shares agreeing with its
    /// Newcombe interval, Mann–Whitney p and Cliff's delta, all from counts.
    /// </summary>
    /// <remarks>
    /// For a municipality against the rest of the region, pass the municipality's counts and the region's counts
    /// minus them; for a change since the previous round, pass this round's and that round's counts.
    /// </remarks>
    /// <param name="scaleCounts">Counts of answers 1–5 of the first set (<see cref="ScaleCounts"/>).</param>
    /// <param name="otherScaleCounts">Counts of answers 1–5 of the second set.</param>
    /// <exception cref="ArgumentException">A span does not hold five counts, or a count is negative.</exception>
    public static LikertComparison Compare(ReadOnlySpan<int> scaleCounts, ReadOnlySpan<int> otherScaleCounts)
    {
        int n1 = RequireScaleCounts(scaleCounts, nameof(scaleCounts));
        int n2 = RequireScaleCounts(otherScaleCounts, nameof(otherScaleCounts));
        var test = MannWhitney.Test(scaleCounts, otherScaleCounts);
        var delta = Statistics.CliffsDelta.Compute(scaleCounts, otherScaleCounts);
        if (n1 == 0 || n2 == 0)
        {
            return new LikertComparison(double.NaN, Interval.Undefined, test.P, delta);
        }

        int agree1 = Agreeing(scaleCounts);
        int agree2 = Agreeing(otherScaleCounts);
        double difference = ((double)agree1 / n1) - ((double)agree2 / n2);
        return new LikertComparison(difference, Newcombe.Compute(agree1, n1, agree2, n2, WilsonZ), test.P, delta);
    }

    // Answers 4 and 5 agree.
    private static int Agreeing(ReadOnlySpan<int> scaleCounts) => scaleCounts[3] + scaleCounts[4];

    private static void Count(ReadOnlySpan<byte> answers, Span<int> countsByByte)
    {
        foreach (var answer in answers)
        {
            if (answer > CantSay)
            {
                throw new ArgumentException($"Answer byte {answer} is not 0–6.", nameof(answers));
            }

            countsByByte[answer]++;
        }
    }

    private static int RequireScaleCounts(ReadOnlySpan<int> scaleCounts, string parameterName)
    {
        if (scaleCounts.Length != ScalePoints)
        {
            throw new ArgumentException($"Expected {ScalePoints} counts of answers 1–5, got {scaleCounts.Length}.", parameterName);
        }

        return checked((int)OrdinalCounts.Total(scaleCounts, parameterName));
    }

    // StudentT.InvCDF finds a root (about 20 µs), and a round needs thousands of summaries over few distinct df.
    private static readonly double[] TQuantiles = CreateNaNs(1024);

    internal static double TQuantile(int df)
    {
        if (df >= TQuantiles.Length)
        {
            return ComputeTQuantile(df);
        }

        // A race only computes the same value twice; a double write is atomic on 64-bit runtimes.
        var cached = Volatile.Read(ref TQuantiles[df]);
        if (double.IsNaN(cached))
        {
            cached = ComputeTQuantile(df);
            Volatile.Write(ref TQuantiles[df], cached);
        }

        return cached;
    }

    // The root search stops about 1e-11 short (e.g. df = 1000); one Newton step on the incomplete-beta CDF reaches
    // full double precision. (scipy 1.10's t.ppf itself is off by up to 1e-9, e.g. at df = 6.)
    private static double ComputeTQuantile(int df)
    {
        const double P = 1 - ((1 - Confidence) / 2);
        double t = StudentT.InvCDF(0, 1, df, P);
        return t - ((StudentT.CDF(0, 1, df, t) - P) / StudentT.PDF(0, 1, df, t));
    }

    private static double[] CreateNaNs(int length)
    {
        var values = new double[length];
        Array.Fill(values, double.NaN);
        return values;
    }

    // counts[k - 1] is the number of answers k; the moments follow exactly from the five counts.
    private static LikertSummary FromCounts(ReadOnlySpan<int> counts, int cantSay)
    {
        int n = counts[0] + counts[1] + counts[2] + counts[3] + counts[4];
        if (n == 0)
        {
            return new LikertSummary(0, cantSay, double.NaN, double.NaN, Interval.Undefined, double.NaN, Interval.Undefined);
        }

        long sum = 0;
        for (var k = 1; k <= ScalePoints; k++)
        {
            sum += (long)k * counts[k - 1];
        }

        double mean = (double)sum / n;
        int agree = Agreeing(counts);
        var agreeCi = Wilson.Compute(agree, n, WilsonZ);
        if (n == 1)
        {
            return new LikertSummary(n, cantSay, mean, double.NaN, Interval.Undefined, (double)agree / n, agreeCi);
        }

        double squares = 0;
        for (var k = 1; k <= ScalePoints; k++)
        {
            double deviation = k - mean;
            squares += counts[k - 1] * deviation * deviation;
        }

        double sd = Math.Sqrt(squares / (n - 1));
        double t = TQuantile(n - 1);
        double halfWidth = t * sd / Math.Sqrt(n);
        return new LikertSummary(n, cantSay, mean, sd, new Interval(mean - halfWidth, mean + halfWidth), (double)agree / n, agreeCi);
    }
}
