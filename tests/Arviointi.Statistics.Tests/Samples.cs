namespace Arviointi.Statistics.Tests;

internal static class Samples
{
    /// <summary>Counts of answers 1–5 (index 0 = answer 1) of a sample written out value by value.</summary>
    public static int[] Counts(params int[] values) => Likert.ScaleCounts(values.Select(v => (byte)v).ToArray());
}
