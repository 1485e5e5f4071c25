namespace Arviointi.Statistics.Tests;

/// <summary>Means of quality-area indices; values from reference/descriptive_reference.py.</summary>
public sealed class DescriptiveTests
{
    [Fact]
    public void Mean_sd_and_t_interval_match_numpy_and_the_exact_t_quantile()
    {
        var s = Descriptive.Summarize([3.5, 4.0, 2.25, 5.0, 4.75, 3.0]);
        Assert.Equal(6, s.N);
        Approx.Equal(3.75, s.Mean); // numpy.mean
        Approx.Equal(1.0488088481701516, s.Sd); // numpy.std(ddof=1)
        Approx.Equal(2.649342615291986, 4.850657384708014, s.MeanCi); // mean ± t(0.975, 5)·sem, t from mpmath (scipy.stats.t.interval gives 2.64934261487305, 1e-10 off)
    }

    [Fact]
    public void Missing_indices_are_left_out()
    {
        var s = Descriptive.Summarize([double.NaN, 1.0, 5.0, double.NaN]);
        Assert.Equal(2, s.N);
        Approx.Equal(2.8284271247461903, s.Sd); // numpy.std([1, 5], ddof=1)
        Approx.Equal(-22.41240947234941, 28.41240947234941, s.MeanCi); // mpmath t(0.975, 1)
    }

    [Fact]
    public void Equal_values_give_a_point_interval_and_one_value_none()
    {
        var equal = Descriptive.Summarize([4.2, 4.2, 4.2, 4.2, 4.2]);
        Assert.Equal(0, equal.Sd);
        Assert.Equal(new Interval(4.2, 4.2), equal.MeanCi);
        var one = Descriptive.Summarize([3.0]);
        Assert.Equal(3.0, one.Mean);
        Assert.True(double.IsNaN(one.Sd) && double.IsNaN(one.MeanCi.Lower));
        Assert.Equal(0, Descriptive.Summarize([double.NaN]).N);
    }
}
