using static Arviointi.Statistics.Tests.Samples;

namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py, scipy 1.10.1,
// scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True).
public class MannWhitneyTests
{
    public static TheoryData<int[], int[], double, double> Scipy => new()
    {
        // x = [1,2,2,3,3,3,4,4,5,5], y = [3,4,4,4,5,5,5,5]
        { Counts(1, 2, 2, 3, 3, 3, 4, 4, 5, 5), Counts(3, 4, 4, 4, 5, 5, 5, 5), 18.5, 0.05325029954109366 },
        // x = [1,2,3,4,5], y = [2,3,3,5,5]
        { Counts(1, 2, 3, 4, 5), Counts(2, 3, 3, 5, 5), 9.5, 0.5912081034113329 },
        // x = [1,1,2], y = [4,5,5,5]
        { Counts(1, 1, 2), Counts(4, 5, 5, 5), 0.0, 0.041586341232186144 },
        // x = [4,4,4,4,4], y = [4,4,4,4,5]
        { Counts(4, 4, 4, 4, 4), Counts(4, 4, 4, 4, 5), 10.0, 0.4237107971667934 },
        // x = [2], y = [4]: U = max(U1, U2) = mu + 0.5, so the corrected z is 0 and p is 1.
        { Counts(2), Counts(4), 0.0, 1.0 },
        // x, y = numpy.repeat([1..5], counts) with counts [500,1200,3000,8000,5000] and [100,300,700,1500,900]
        { [500, 1200, 3000, 8000, 5000], [100, 300, 700, 1500, 900], 32625000.0, 1.1067640344835141e-07 },
    };

    [Theory]
    [MemberData(nameof(Scipy))]
    public void U_and_p_match_scipy(int[] x, int[] y, double u, double p)
    {
        var result = MannWhitney.Test(x, y);

        Assert.Equal(u, result.U);
        Approx.Relative(p, result.P);
    }

    [Fact]
    public void Swapping_the_samples_keeps_p_and_gives_the_other_U()
    {
        int[] x = [1, 3, 4, 2, 0];
        int[] y = [0, 1, 2, 5, 4];

        var forward = MannWhitney.Test(x, y);
        var backward = MannWhitney.Test(y, x);

        Assert.Equal(forward.P, backward.P);
        Assert.Equal(10.0 * 12.0, forward.U + backward.U);
    }

    [Fact]
    public void All_equal_answers_give_p_one_as_scipy_does()
    {
        // scipy: x = [3,3,3], y = [3,3] gives U = 3.0, p = 1.0 (zero variance, z = -inf).
        var result = MannWhitney.Test(Counts(3, 3, 3), Counts(3, 3));

        Assert.Equal(3.0, result.U);
        Assert.Equal(1.0, result.P);
    }

    [Fact]
    public void Samples_far_apart_give_a_p_value_that_underflows_to_zero_as_in_scipy()
    {
        // scipy: x = repeat([1..5], 9000 each), y = repeat([1..5], [0,0,100,2000,8000]) gives U = 65250000.0, p = 0.0.
        var result = MannWhitney.Test([9000, 9000, 9000, 9000, 9000], [0, 0, 100, 2000, 8000]);

        Assert.Equal(65250000.0, result.U);
        Assert.True(result.P < 1e-300, $"p = {result.P:R}");
    }

    [Fact]
    public void An_empty_sample_leaves_the_test_undefined()
    {
        // scipy raises "`x` and `y` must be of nonzero size."
        var result = MannWhitney.Test([0, 0, 0, 0, 0], Counts(3, 4, 5));

        Assert.True(double.IsNaN(result.U));
        Assert.True(double.IsNaN(result.P));
    }

    [Fact]
    public void Distributions_over_different_scales_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => MannWhitney.Test([1, 2, 3], [1, 2, 3, 4, 5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MannWhitney.Test([1, -2, 3], [1, 2, 3]));
    }
}
