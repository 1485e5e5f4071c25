namespace Arviointi.Statistics.Tests;

// Reference: reference/statistics_reference.py, numpy 1.24.2. Index: numpy.nanmean of the answers 1–5 per row where at
// least ceil(k/2) are answered. Alpha: k/(k-1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1)) on complete rows.
public class QualityAreaTests
{
    private const byte Skip = Likert.NotAnswered;
    private const byte Eos = Likert.CantSay;

    // Seven respondents, four items, respondent-major.
    private static readonly byte[] Area =
    [
        4, 5, 4, 3,
        1, 2, Skip, Eos,
        5, Skip, Eos, Skip,
        3, 3, 3, 3,
        2, 4, 5, 1,
        Skip, Skip, Skip, Skip,
        5, 5, 4, Eos,
    ];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(7, 4)]
    public void At_least_half_of_the_items_must_be_answered(int items, int minimum)
    {
        Assert.Equal(minimum, QualityArea.MinimumAnswered(items));
    }

    [Fact]
    public void Indices_match_numpy_and_need_half_of_the_items()
    {
        // [4.0, 1.5, nan, 3.0, 3.0, nan, 4.666666666666667]
        var indices = QualityArea.Indices(Area, 4);

        Assert.Equal(7, indices.Length);
        Assert.Equal(4.0, indices[0]);
        Assert.Equal(1.5, indices[1]); // two of four answered: enough
        Assert.True(double.IsNaN(indices[2])); // one of four answered: too few
        Assert.Equal(3.0, indices[3]);
        Assert.Equal(3.0, indices[4]);
        Assert.True(double.IsNaN(indices[5]));
        Approx.Equal(4.666666666666667, indices[6], 1e-15); // can't say is left out, not counted as an answer
    }

    [Fact]
    public void An_index_of_one_respondent_equals_the_matrix_row()
    {
        Assert.Equal(1.5, QualityArea.Index([1, 2, Skip, Eos]));
        Assert.True(double.IsNaN(QualityArea.Index([])));
    }

    [Fact]
    public void Alpha_is_computed_over_complete_cases_as_in_numpy()
    {
        // Complete rows: [4,5,4,3], [3,3,3,3], [2,4,5,1]; alpha = 0.2500000000000001
        var result = QualityArea.CronbachAlpha(Area, 4);

        Assert.Equal(3, result.CompleteCases);
        Assert.Equal(4, result.Items);
        Approx.Equal(0.2500000000000001, result.Alpha, 1e-14);
    }

    [Fact]
    public void Alpha_of_a_larger_area_matches_numpy()
    {
        // x[r, i] = clip(1 + r % 5 + (31r + 17i) % 3 - 1, 1, 5) for 600 respondents and 6 items: alpha = 0.9352941176470588
        var answers = new byte[600 * 6];
        for (var r = 0; r < 600; r++)
        {
            for (var i = 0; i < 6; i++)
            {
                answers[(r * 6) + i] = (byte)Math.Clamp(1 + (r % 5) + (((31 * r) + (17 * i)) % 3) - 1, 1, 5);
            }
        }

        var result = QualityArea.CronbachAlpha(answers, 6);

        Assert.Equal(600, result.CompleteCases);
        Approx.Equal(0.9352941176470588, result.Alpha, 1e-14);
    }

    [Fact]
    public void Alpha_is_undefined_without_two_complete_cases_two_items_or_any_spread()
    {
        Assert.True(double.IsNaN(QualityArea.CronbachAlpha([4, 5, Skip, 3], 2).Alpha)); // one complete case
        Assert.True(double.IsNaN(QualityArea.CronbachAlpha([4, 5, 3], 1).Alpha)); // one item
        Assert.True(double.IsNaN(QualityArea.CronbachAlpha([3, 3, 3, 3, 3, 3], 2).Alpha)); // all equal: 0/0
    }

    [Fact]
    public void A_matrix_that_is_not_whole_rows_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => QualityArea.Indices([1, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => QualityArea.CronbachAlpha([1, 2, 7, 3], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => QualityArea.Indices([1, 2], 0));
    }
}
