namespace Arviointi.Statistics.Tests;

internal static class Approx
{
    // MathNet's Student t quantile is a root search accurate to about 1e-11 relative; scipy's is closed-form.
    public static void Equal(double expected, double actual, double relativeTolerance = 1e-9)
    {
        var tolerance = relativeTolerance * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"Expected {expected:R}, got {actual:R} (tolerance {tolerance:R}).");
    }

    // For p values far below 1, where an absolute tolerance would accept anything.
    public static void Relative(double expected, double actual, double relativeTolerance = 1e-9)
    {
        var tolerance = relativeTolerance * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"Expected {expected:R}, got {actual:R} (tolerance {tolerance:R}).");
    }

    public static void Equal(double expectedLower, double expectedUpper, Interval actual, double relativeTolerance = 1e-9)
    {
        Equal(expectedLower, actual.Lower, relativeTolerance);
        Equal(expectedUpper, actual.Upper, relativeTolerance);
    }
}
