namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py, numpy 1.24.2: w = (N_u/N) / (n_u/n) with N over units with respondents,
// share = sum(w*y) / sum(w), Kish deff = n * sum(w**2) / sum(w)**2, effective n = sum(w)**2 / sum(w**2).
public class PostStratificationTests
{
    private static readonly int[] Units = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
    private static readonly int[] Enrolment = [120, 300, 45, 80]; // unit 3 has no respondents
    private static readonly bool[] Agrees = [true, false, true, true, true, false, false, true, false, false];

    [Fact]
    public void Weights_match_numpy_and_sum_to_the_number_of_respondents()
    {
        var weights = PostStratification.Weights(Units, Enrolment);

        double[] expected =
        [
            0.8602150537634409, 0.8602150537634409, 0.8602150537634409,
            3.225806451612903, 3.225806451612903,
            0.1935483870967742, 0.1935483870967742, 0.1935483870967742, 0.1935483870967742, 0.1935483870967742,
        ];
        Assert.Equal(expected.Length, weights.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Approx.Equal(expected[i], weights[i], 1e-14);
        }

        Approx.Equal(10.0, weights.Sum(), 1e-14);
    }

    [Fact]
    public void Weighted_share_and_design_effect_match_numpy()
    {
        var weights = PostStratification.Weights(Units, Enrolment);

        Approx.Equal(0.8365591397849462, PostStratification.WeightedShare(Agrees, weights), 1e-14); // unweighted 0.5
        Approx.Equal(2.321886923343739, PostStratification.KishDesignEffect(weights), 1e-14);
        Approx.Equal(4.306841948013147, PostStratification.EffectiveSampleSize(weights), 1e-14);
    }

    [Fact]
    public void Respondents_in_proportion_to_enrolment_get_weight_one_and_no_design_effect()
    {
        var weights = PostStratification.Weights([0, 0, 1, 1, 1, 1], [50, 100]);

        Assert.All(weights, w => Approx.Equal(1.0, w, 1e-15));
        Approx.Equal(1.0, PostStratification.KishDesignEffect(weights), 1e-15);
    }

    [Fact]
    public void No_respondents_give_no_share_and_no_design_effect()
    {
        var weights = PostStratification.Weights([], [10, 20]);

        Assert.Empty(weights);
        Assert.True(double.IsNaN(PostStratification.WeightedShare([], weights)));
        Assert.True(double.IsNaN(PostStratification.KishDesignEffect(weights)));
    }

    // Reference: reference/statistics_reference.py, stratified(): numpy weights on the expanded respondents, and
    // statsmodels.stats.proportion.proportion_confint(share * neff, neff, method='wilson') for the interval.
    [Theory]
    [InlineData(new[] { 3, 2, 5, 0 }, new[] { 2, 2, 1, 0 }, new[] { 120, 300, 45, 80 }, 0.8365591397849462, 2.321886923343739, 4.306841948013147, 0.378499506087932, 0.9772819169002112)]
    [InlineData(new[] { 40, 12, 7, 0, 25 }, new[] { 30, 3, 7, 0, 10 }, new[] { 220, 150, 35, 60, 90 }, 0.5525252525252526, 1.2286746250382614, 68.36635044642857, 0.4350093031595129, 0.6644525101228794)]
    [InlineData(new[] { 6, 9 }, new[] { 6, 9 }, new[] { 30, 200 }, 1.0, 1.3027725267800887, 11.513905683192258, 0.7498295257190497, 1.0)]
    [InlineData(new[] { 10, 20 }, new[] { 4, 8 }, new[] { 50, 100 }, 0.4, 1.0, 30.0, 0.24590628116801855, 0.5767963974667754)]
    public void Stratified_share_from_unit_counts_matches_numpy_and_statsmodels_wilson_at_the_effective_n(
        int[] respondents, int[] agreeing, int[] enrolment, double share, double deff, double effectiveN, double lower, double upper)
    {
        var estimate = PostStratification.StratifiedShare(respondents, agreeing, enrolment)!;

        Approx.Equal(share, estimate.Share, 1e-13);
        Approx.Equal(deff, estimate.DesignEffect, 1e-13);
        Approx.Equal(effectiveN, estimate.EffectiveN, 1e-12);
        Approx.Equal(lower, estimate.Ci.Lower, 1e-12);
        Approx.Equal(upper, estimate.Ci.Upper, 1e-12);
    }

    [Fact]
    public void Stratified_share_agrees_with_the_respondent_level_functions()
    {
        int[] respondents = [3, 2, 5, 0];
        int[] agreeing = [2, 2, 1, 0];
        var weights = PostStratification.Weights(Units, Enrolment);

        var estimate = PostStratification.StratifiedShare(respondents, agreeing, Enrolment)!;

        Approx.Equal(PostStratification.WeightedShare(Agrees, weights), estimate.Share, 1e-14);
        Approx.Equal(PostStratification.KishDesignEffect(weights), estimate.DesignEffect, 1e-14);
        Approx.Equal(PostStratification.EffectiveSampleSize(weights), estimate.EffectiveN, 1e-13);
    }

    [Fact]
    public void Stratified_share_without_respondents_is_null_and_impossible_counts_are_rejected()
    {
        Assert.Null(PostStratification.StratifiedShare([0, 0], [0, 0], [10, 20]));
        Assert.Throws<ArgumentException>(() => PostStratification.StratifiedShare([1, 2], [0, 1], [10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostStratification.StratifiedShare([1, 2], [2, 1], [10, 20]));
        Assert.Throws<ArgumentException>(() => PostStratification.StratifiedShare([1, 2], [0, 1], [10, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostStratification.StratifiedShare([-1, 2], [0, 1], [10, 20]));
    }

    // Reference: statsmodels.stats.proportion.proportion_confint(12, 30, method='wilson'): a whole n gives the integer interval.
    [Fact]
    public void Wilson_for_a_share_and_a_fractional_n_equals_the_count_form_at_a_whole_n()
    {
        var fromShare = Wilson.Interval(0.4, 30.0);

        Approx.Equal(0.24590628116801855, fromShare.Lower, 1e-14);
        Approx.Equal(0.5767963974667754, fromShare.Upper, 1e-14);
        Assert.Equal(Wilson.Interval(12, 30), fromShare);
        Assert.Throws<ArgumentOutOfRangeException>(() => Wilson.Interval(1.5, 10.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Wilson.Interval(0.5, double.NaN));
    }

    [Fact]
    public void Impossible_units_and_weights_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PostStratification.Weights([0, 2], [10, 20]));
        Assert.Throws<ArgumentException>(() => PostStratification.Weights([0, 1], [10, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostStratification.Weights([0], [10, -1]));
        Assert.Throws<ArgumentException>(() => PostStratification.WeightedShare([true], [1.0, 2.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostStratification.KishDesignEffect([1.0, -0.5]));
    }
}
