namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py, scipy 1.10.1: the normal approximation
// p0 ∓ scipy.stats.norm.ppf(1 - (1 - coverage) / 2) * sqrt(p0 * (1 - p0) / n), clamped to [0, 1].
public class FunnelTests
{
    [Theory]
    [InlineData(0.6, 20, Funnel.Warning, 0.3852967027539411, 0.8147032972460588)] // z = norm.ppf(0.975) = 1.959963984540054
    [InlineData(0.6, 200, Funnel.Control, 0.4929512127705321, 0.7070487872294678)] // z = norm.ppf(0.999) = 3.090232306167813
    [InlineData(0.6, 5, Funnel.Warning, 0.17059340550788227, 1.0)] // the upper limit is clamped
    [InlineData(0.6, 5, Funnel.Control, 0.0, 1.0)] // both limits are clamped
    [InlineData(0.97, 5, Funnel.Warning, 0.8204764555782608, 1.0)]
    [InlineData(0.0, 10, Funnel.Warning, 0.0, 0.0)] // a regional share of 0 % has no spread
    [InlineData(1.0, 10, Funnel.Control, 1.0, 1.0)] // nor has 100 %
    public void Limits_are_the_normal_approximation_of_scipy(double p0, int n, double coverage, double lower, double upper)
    {
        Approx.Equal(lower, upper, Funnel.Limits(p0, n, coverage), 1e-12);
    }

    [Fact]
    public void Limits_are_close_to_exact_binomial_quantiles_for_a_large_unit()
    {
        // scipy.stats.binom.ppf(0.025, 2000, 0.6) / 2000 = 0.5785 and binom.ppf(0.975, ...) / 2000 = 0.6215;
        // at 99.8 %: 0.566 and 0.6335. The normal limits lie within one answer (1/n) of them.
        var warning = Funnel.Limits(0.6, 2000, Funnel.Warning);
        var control = Funnel.Limits(0.6, 2000, Funnel.Control);

        Assert.InRange(warning.Lower, 0.5785 - 0.0005, 0.5785 + 0.0005);
        Assert.InRange(warning.Upper, 0.6215 - 0.0005, 0.6215 + 0.0005);
        Assert.InRange(control.Lower, 0.566 - 0.0005, 0.566 + 0.0005);
        Assert.InRange(control.Upper, 0.6335 - 0.0005, 0.6335 + 0.0005);
    }

    [Fact]
    public void The_control_limits_contain_the_warning_limits()
    {
        for (var n = 5; n <= 500; n += 15)
        {
            var warning = Funnel.Limits(0.42, n, Funnel.Warning);
            var control = Funnel.Limits(0.42, n, Funnel.Control);

            Assert.True(control.Lower <= warning.Lower && warning.Upper <= control.Upper);
        }
    }

    [Fact]
    public void No_answers_give_undefined_limits()
    {
        Assert.Equal(Interval.Undefined, Funnel.Limits(0.5, 0, Funnel.Warning));
    }

    [Theory]
    [InlineData(-0.1, 10, 0.95)]
    [InlineData(1.1, 10, 0.95)]
    [InlineData(double.NaN, 10, 0.95)]
    [InlineData(0.5, -1, 0.95)]
    [InlineData(0.5, 10, 1.0)]
    public void Impossible_arguments_are_rejected(double p0, int n, double coverage)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Funnel.Limits(p0, n, coverage));
    }
}
