namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py, statsmodels 0.13.5,
// statsmodels.stats.multitest.multipletests(p, method='holm')[1].
public class HolmTests
{
    public static TheoryData<double[], double[]> Statsmodels => new()
    {
        { [0.01, 0.04, 0.03, 0.5], [0.04, 0.09, 0.09, 0.5] },
        { [0.02, 0.02, 0.5], [0.06, 0.06, 0.5] },
        { [0.3, 0.4, 0.6], [0.8999999999999999, 0.8999999999999999, 0.8999999999999999] },
        { [0.0, 1.0, 0.2], [0.0, 1.0, 0.4] },
        { [0.001], [0.001] },
    };

    [Theory]
    [MemberData(nameof(Statsmodels))]
    public void Adjusted_p_values_match_statsmodels(double[] p, double[] adjusted)
    {
        var actual = Holm.Adjust(p);

        Assert.Equal(adjusted.Length, actual.Length);
        for (var i = 0; i < adjusted.Length; i++)
        {
            Approx.Equal(adjusted[i], actual[i], 1e-15);
        }
    }

    [Fact]
    public void Undefined_p_values_stay_undefined_and_do_not_count_as_tests()
    {
        // multipletests([0.01, 0.04], method='holm')[1] = [0.02, 0.04]
        var actual = Holm.Adjust([0.01, double.NaN, 0.04]);

        Assert.Equal(0.02, actual[0]);
        Assert.True(double.IsNaN(actual[1]));
        Assert.Equal(0.04, actual[2]);
    }

    [Fact]
    public void No_p_values_give_none()
    {
        Assert.Empty(Holm.Adjust([]));
    }

    [Fact]
    public void A_value_that_is_not_a_probability_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Holm.Adjust([0.2, 1.5]));
    }
}
