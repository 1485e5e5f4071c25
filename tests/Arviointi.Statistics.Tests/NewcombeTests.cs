namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py, statsmodels 0.13.5,
// statsmodels.stats.proportion.confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff', alpha=1-confidence).
public class NewcombeTests
{
    [Theory]
    [InlineData(3, 10, 5, 12, 0.95, -0.44308090584093307, 0.25996828978505443)]
    [InlineData(0, 8, 0, 9, 0.95, -0.29914504841954415, 0.32440756488388034)] // 0 % against 0 %
    [InlineData(5, 5, 9, 9, 0.95, -0.43448246478317476, 0.29914504841954426)] // 100 % against 100 %
    [InlineData(40, 100, 30, 90, 0.99, -0.11178885868066957, 0.23758624910482182)]
    [InlineData(4000, 6000, 30000, 54000, 0.95, 0.09837212181834094, 0.12365150906060843)] // a large municipality against the rest
    [InlineData(6, 10, 21, 35, 0.95, -0.3216123540049115, 0.28412312199576384)] // equal shares of different n
    public void Interval_matches_statsmodels(int x1, int n1, int x2, int n2, double confidence, double lower, double upper)
    {
        Approx.Equal(lower, upper, Newcombe.Interval(x1, n1, x2, n2, confidence), 1e-12);
    }

    [Fact]
    public void Nobody_against_everybody_reaches_minus_one()
    {
        // confint_proportions_2indep(0, 5, 5, 5, method='newcomb') = (-1.0, -0.38554900569034356)
        Approx.Equal(-1.0, -0.38554900569034356, Newcombe.Interval(0, 5, 5, 5), 1e-12);
    }

    [Fact]
    public void Everybody_against_nobody_reaches_one()
    {
        // confint_proportions_2indep(5, 5, 0, 7, method='newcomb') = (0.4393529903596999, 1.0)
        Approx.Equal(0.4393529903596999, 1.0, Newcombe.Interval(5, 5, 0, 7), 1e-12);
    }

    [Fact]
    public void An_empty_sample_gives_an_undefined_interval()
    {
        Assert.Equal(Interval.Undefined, Newcombe.Interval(0, 0, 3, 7));
        Assert.Equal(Interval.Undefined, Newcombe.Interval(3, 7, 0, 0));
    }

    [Theory]
    [InlineData(6, 5, 1, 5, 0.95)]
    [InlineData(1, 5, -1, 5, 0.95)]
    [InlineData(1, 5, 1, 5, 1.0)]
    public void Impossible_arguments_are_rejected(int x1, int n1, int x2, int n2, double confidence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Newcombe.Interval(x1, n1, x2, n2, confidence));
    }
}
