using Arviointi.Statistics.Anonymisation;

namespace Arviointi.Statistics.Tests.Anonymisation;

// Reference: reference/kanon.py (pandas 1.5.3, brute-force matching; sdcMicro's indivRisk "approx" written out) on the
// five records below, named beside each value.
public class RiskTests
{
    private const int M = QuasiIdentifierTable.Missing;

    private static readonly QuasiIdentifierTable Small = new(
        [new QuasiIdentifier("a", 1), new QuasiIdentifier("b", 2)],
        [[1, 2], [1, M], [1, 3], [M, 3], [2, 2]],
        [1.5, 2, 1, 4, 1]);

    [Fact]
    public void A_missing_value_matches_any_category_in_both_directions()
    {
        var (f, population) = Risk.Frequencies(Small);

        // kanon.py: fk [2, 4, 3, 3, 1], Fk [3.5, 8.5, 7.0, 7.0, 1.0].
        Assert.Equal([2, 4, 3, 3, 1], f);
        Assert.Equal([3.5, 8.5, 7.0, 7.0, 1.0], population);
    }

    [Fact]
    public void Individual_risks_and_their_sum_follow_sdcMicro()
    {
        var risk = Risk.Measure(Small, k: 2);

        // kanon.py: risk [0.3384608214481375, 0.13559322033898305, 0.1764705882352941, 0.1764705882352941, 1.0],
        // violating 1, expected 1.8269952182577087.
        double[] expected = [0.3384608214481375, 0.13559322033898305, 0.1764705882352941, 0.1764705882352941, 1.0];
        Assert.All(expected.Zip(risk.IndividualRisks), p => Approx.Equal(p.First, p.Second, 1e-12));
        Assert.Equal(1, risk.ViolatingK);
        Approx.Equal(1.8269952182577087, risk.ExpectedReidentifications, 1e-12);
        Approx.Equal(1.8269952182577087 / 5, risk.MeanRisk, 1e-12);
        Assert.Equal(1.0, risk.MaxRisk);
    }

    [Fact]
    public void Unweighted_records_have_the_risk_one_over_their_frequency()
    {
        var table = new QuasiIdentifierTable([new QuasiIdentifier("a", 1)], [[0], [0], [0], [0], [1]]);

        var risk = Risk.Measure(table);

        Assert.Equal([0.25, 0.25, 0.25, 0.25, 1.0], risk.IndividualRisks);
        Assert.Equal(2.0, risk.ExpectedReidentifications);
        Assert.Equal(5, risk.ViolatingK);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_risk_tends_to_one_over_f_as_the_population_shrinks_to_the_sample(int f)
    {
        // The printed forms divide by 1 − p; at p = 1 − 1e-12 they lose every digit, the computed ones must not.
        foreach (var gap in new[] { 1e-12, 1e-8, 1e-5 })
        {
            Approx.Equal(1.0 / f, Risk.Individual(f, f * (1 + gap)), 1e-4);
        }

        Assert.Equal(1.0 / f, Risk.Individual(f, f));
    }

    [Fact]
    public void The_risk_of_a_pair_is_continuous_where_the_series_takes_over()
    {
        // q = 1 − p crosses 1e-3, where Individual switches from the closed form to the series.
        var below = Risk.Individual(2, 2 / (1 - 0.000999999));
        var above = Risk.Individual(2, 2 / (1 - 0.001000001));

        Approx.Equal(below, above, 1e-8);
        Assert.True(below > above, "The risk falls as the population grows.");
    }
}
