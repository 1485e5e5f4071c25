using static Arviointi.Statistics.Tests.Samples;

namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py, scipy 1.10.1, scipy.stats.kruskal(*groups).
public class KruskalWallisTests
{
    [Fact]
    public void Three_groups_with_ties_match_scipy()
    {
        // groups = [1,2,2,3,5], [3,4,4,5,5,5], [2,3,3,3,4]
        var result = KruskalWallis.Test(Counts(1, 2, 2, 3, 5), Counts(3, 4, 4, 5, 5, 5), Counts(2, 3, 3, 3, 4));

        Approx.Equal(5.957554517133957, result.H); // scipy.stats.kruskal(...).statistic
        Assert.Equal(2, result.Df);
        Approx.Relative(0.050854978352943205, result.P); // scipy.stats.kruskal(...).pvalue
    }

    [Fact]
    public void Four_large_groups_match_scipy()
    {
        // groups = numpy.repeat([1..5], counts) for each of the four count rows below
        var result = KruskalWallis.Test(
            [500, 1200, 3000, 8000, 5000],
            [100, 300, 700, 1500, 900],
            [40, 90, 200, 300, 170],
            [10, 10, 30, 60, 90]);

        Approx.Relative(101.6427991951898, result.H); // scipy.stats.kruskal(...).statistic
        Assert.Equal(3, result.Df);
        Approx.Relative(6.890272140194521e-22, result.P); // scipy.stats.kruskal(...).pvalue
    }

    [Fact]
    public void A_group_of_equal_answers_among_others_is_an_ordinary_group()
    {
        // groups = [4,4,4], [2,3,4,5,5]: scipy.stats.kruskal gives H = 0.0, p = 1.0
        var result = KruskalWallis.Test(Counts(4, 4, 4), Counts(2, 3, 4, 5, 5));

        Approx.Equal(0.0, result.H);
        Assert.Equal(1, result.Df);
        Approx.Equal(1.0, result.P);
    }

    [Fact]
    public void An_empty_group_is_left_out_as_r_does()
    {
        // scipy.stats.kruskal([1,2], [], [3,4]) is nan; R's kruskal.test drops the empty group, which is
        // scipy.stats.kruskal([1,2], [3,4]): H = 2.3999999999999986, p = 0.12133525035848367.
        var result = KruskalWallis.Test(Counts(1, 2), Counts(), Counts(3, 4));

        Approx.Equal(2.3999999999999986, result.H);
        Assert.Equal(1, result.Df);
        Approx.Relative(0.12133525035848367, result.P);
    }

    [Fact]
    public void All_equal_answers_give_h_zero_and_p_one()
    {
        // scipy.stats.kruskal([3,3,3], [3,3]) raises "All numbers are identical in kruskal".
        var result = KruskalWallis.Test(Counts(3, 3, 3), Counts(3, 3));

        Assert.Equal(new KruskalWallisResult(0.0, 1, 1.0), result);
    }

    [Fact]
    public void Fewer_than_two_non_empty_groups_leave_the_test_undefined()
    {
        foreach (var result in new[] { KruskalWallis.Test(), KruskalWallis.Test(Counts(1, 5)), KruskalWallis.Test(Counts(1, 5), Counts()) })
        {
            Assert.True(double.IsNaN(result.H));
            Assert.Equal(0, result.Df);
            Assert.True(double.IsNaN(result.P));
        }
    }

    [Fact]
    public void Two_groups_agree_with_the_uncorrected_mann_whitney_z()
    {
        // With two groups H = z² of the Mann–Whitney test without continuity correction, so p is the same.
        int[] x = [3, 5, 8, 2, 1];
        int[] y = [1, 2, 6, 7, 5];
        double n1 = x.Sum(), n2 = y.Sum(), n = n1 + n2;
        double tie = Enumerable.Range(0, 5).Sum(c => Math.Pow(x[c] + y[c], 3) - (x[c] + y[c]));
        double sd = Math.Sqrt(n1 * n2 / 12 * (n + 1 - (tie / (n * (n - 1)))));
        double z = (MannWhitney.Test(x, y).U - (n1 * n2 / 2)) / sd;

        Approx.Equal(z * z, KruskalWallis.Test(x, y).H, 1e-12);
    }

    [Fact]
    public void Groups_over_different_scales_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => KruskalWallis.Test([1, 2, 3], [1, 2, 3, 4, 5]));
    }
}
