using static Arviointi.Statistics.Tests.Samples;

namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py, Cliff's delta by its definition over all pairs,
// numpy.sign(numpy.subtract.outer(x, y)).mean().
public class CliffsDeltaTests
{
    public static TheoryData<int[], int[], double> Numpy => new()
    {
        { Counts(1, 2, 2, 3, 3, 3, 4, 4, 5, 5), Counts(3, 4, 4, 4, 5, 5, 5, 5), -0.5375 },
        { Counts(1, 2, 3, 4, 5), Counts(2, 3, 3, 5, 5), -0.24 },
        { Counts(4, 4, 4, 4, 4), Counts(4, 4, 4, 4, 5), -0.2 },
        { Counts(3, 3, 3), Counts(3, 3), 0.0 },
        { [500, 1200, 3000, 8000, 5000], [100, 300, 700, 1500, 900], 0.053268765133171914 },
        { [9000, 9000, 9000, 9000, 9000], [0, 0, 100, 2000, 8000], -0.7128712871287128 },
    };

    [Theory]
    [MemberData(nameof(Numpy))]
    public void Delta_matches_the_pairwise_definition(int[] x, int[] y, double delta)
    {
        Approx.Equal(delta, CliffsDelta.Compute(x, y), 1e-14);
    }

    [Fact]
    public void Samples_that_do_not_overlap_give_minus_one_and_one()
    {
        Assert.Equal(-1.0, CliffsDelta.Compute(Counts(1, 1, 2), Counts(4, 5, 5, 5)));
        Assert.Equal(1.0, CliffsDelta.Compute(Counts(4, 5, 5, 5), Counts(1, 1, 2)));
    }

    [Fact]
    public void Delta_equals_the_mann_whitney_u_rescaled()
    {
        int[] x = [3, 0, 7, 11, 2];
        int[] y = [1, 4, 4, 2, 9];
        double n1 = x.Sum(), n2 = y.Sum();

        Approx.Equal((2 * MannWhitney.Test(x, y).U / (n1 * n2)) - 1, CliffsDelta.Compute(x, y), 1e-14);
    }

    [Fact]
    public void An_empty_sample_gives_no_delta()
    {
        Assert.True(double.IsNaN(CliffsDelta.Compute(Counts(), Counts(3))));
    }
}
