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
