namespace Arviointi.Statistics.Tests;

// Reference: statsmodels 0.13.5, statsmodels.stats.proportion.proportion_confint(successes, n, alpha=1-confidence, method="wilson").
public class WilsonTests
{
    [Theory]
    [InlineData(3, 7, 0.95, 0.15821985525146975, 0.7495416354723428)] // proportion_confint(3, 7, alpha=0.05, method="wilson")
    [InlineData(3, 7, 0.99, 0.11637368051613817, 0.8102850959116124)] // proportion_confint(3, 7, alpha=0.01, method="wilson")
    [InlineData(40, 100, 0.90, 0.3230780505909665, 0.48219049356566845)] // proportion_confint(40, 100, alpha=0.10, method="wilson")
    [InlineData(7, 7, 0.95, 0.6456695649333126, 1.0)] // proportion_confint(7, 7, alpha=0.05, method="wilson")
    [InlineData(1, 1, 0.95, 0.20654931437723745, 1.0)] // proportion_confint(1, 1, alpha=0.05, method="wilson")
    [InlineData(0, 1, 0.95, 0.0, 0.7934506856227626)] // proportion_confint(0, 1, alpha=0.05, method="wilson")
    public void Interval_matches_statsmodels(int successes, int n, double confidence, double lower, double upper)
    {
        Approx.Equal(lower, upper, Wilson.Interval(successes, n, confidence), 1e-12);
    }

    [Fact]
    public void Zero_successes_start_the_interval_at_zero()
    {
        var interval = Wilson.Interval(0, 7);

        // proportion_confint(0, 7, method="wilson") gives 5.551115123125783e-17 from rounding; the bound is 0 exactly.
        Assert.Equal(0.0, interval.Lower);
        Approx.Equal(0.35433043506668743, interval.Upper, 1e-12); // proportion_confint(0, 7, method="wilson")
    }

    [Fact]
    public void No_trials_give_an_undefined_interval()
    {
        Assert.Equal(Interval.Undefined, Wilson.Interval(0, 0));
    }

    [Theory]
    [InlineData(-1, 5, 0.95)]
    [InlineData(6, 5, 0.95)]
    [InlineData(1, 5, 1.0)]
    [InlineData(1, 5, 0.0)]
    public void Impossible_arguments_are_rejected(int successes, int n, double confidence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Wilson.Interval(successes, n, confidence));
    }
}
