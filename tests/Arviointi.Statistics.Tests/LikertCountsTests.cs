using static Arviointi.Statistics.Tests.Samples;

namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py (scipy 1.10.1, statsmodels 0.13.5), functions named beside each value.
public class LikertCountsTests
{
    private const byte Skip = Likert.NotAnswered;
    private const byte Eos = Likert.CantSay;

    [Fact]
    public void Scale_counts_leave_out_not_answered_and_cant_say()
    {
        Assert.Equal([1, 2, 3, 2, 2], Likert.ScaleCounts([Skip, 1, Eos, 2, 2, Skip, 3, 3, 3, Eos, 4, 4, Eos, 5, 5, Skip]));
        Assert.Equal([0, 0, 0, 0, 0], Likert.ScaleCounts([]));
        Assert.Throws<ArgumentException>(() => Likert.ScaleCounts([3, 7]));
    }

    [Fact]
    public void Summarizing_counts_equals_summarizing_the_answers()
    {
        byte[] answers = [Skip, 1, Eos, 2, 2, Skip, 3, 3, 3, Eos, 4, 4, Eos, 5, 5, Skip];

        Assert.Equal(Likert.Summarize(answers), Likert.SummarizeCounts(Likert.ScaleCounts(answers), cantSay: 3));
    }

    [Fact]
    public void Counts_must_be_five_and_not_negative()
    {
        Assert.Throws<ArgumentException>(() => Likert.SummarizeCounts([1, 2, 3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Likert.SummarizeCounts([1, 2, -3, 0, 0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Likert.SummarizeCounts([1, 2, 3, 0, 0], -1));
        Assert.Throws<ArgumentException>(() => Likert.Compare([1, 2, 3, 4], [1, 2, 3, 4]));
    }

    [Fact]
    public void A_municipality_compared_with_the_rest_matches_scipy_and_statsmodels()
    {
        // municipality x = [1,2,2,3,3,3,4,4,5,5] (4 of 10 agree), rest y = [3,4,4,4,5,5,5,5] (7 of 8 agree)
        var comparison = Likert.Compare(Counts(1, 2, 2, 3, 3, 3, 4, 4, 5, 5), Counts(3, 4, 4, 4, 5, 5, 5, 5));

        Approx.Equal(-0.475, comparison.AgreeDifference, 1e-15); // 4/10 - 7/8
        Approx.Equal(-0.7285025258168223, -0.02533901971198471, comparison.AgreeDifferenceCi, 1e-12); // confint_proportions_2indep(4, 10, 7, 8, method='newcomb', compare='diff')
        Approx.Relative(0.05325029954109366, comparison.MannWhitneyP); // mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True)
        Approx.Equal(-0.5375, comparison.CliffsDelta, 1e-15); // numpy.sign(numpy.subtract.outer(x, y)).mean()
    }

    [Fact]
    public void A_comparison_with_nobody_is_undefined()
    {
        var comparison = Likert.Compare(Counts(4, 5, 5, 3, 2), Counts());

        Assert.True(double.IsNaN(comparison.AgreeDifference));
        Assert.Equal(Interval.Undefined, comparison.AgreeDifferenceCi);
        Assert.True(double.IsNaN(comparison.MannWhitneyP));
        Assert.True(double.IsNaN(comparison.CliffsDelta));
    }

    [Fact]
    public void A_change_from_the_previous_round_uses_the_same_newcombe_interval()
    {
        // This round 4000 of 6000 agree, the previous one 30000 of 54000:
        // confint_proportions_2indep(4000, 6000, 30000, 54000, method='newcomb', compare='diff') = (0.09837212181834094, 0.12365150906060843)
        var comparison = Likert.Compare([500, 500, 1000, 2000, 2000], [4000, 8000, 12000, 15000, 15000]);

        Approx.Equal(0.11111111111111105, comparison.AgreeDifference, 1e-14);
        Approx.Equal(0.09837212181834094, 0.12365150906060843, comparison.AgreeDifferenceCi, 1e-12);
    }
}
