namespace Arviointi.Statistics.Tests;

/// <summary>
/// The comparison of municipalities is composed of the separately reference-tested methods; these tests check the
/// composition: what is hidden, what is pooled, and that Holm and Kruskal–Wallis see only the visible cells.
/// </summary>
public sealed class ComparisonTests
{
    // Counts by answer byte: not answered, 1–5, can't say.
    private static readonly int[] Large = [3, 2, 4, 10, 20, 14, 2];
    private static readonly int[] Medium = [0, 5, 6, 8, 4, 2, 1];
    private static readonly int[] Small = [0, 0, 1, 1, 1, 0, 0];
    private static readonly int[] Sixth = [1, 1, 1, 2, 3, 3, 0];

    [Fact]
    public void A_lone_small_cell_hides_the_next_smallest_and_hidden_cells_carry_no_figures()
    {
        var result = Comparison.Compare<string>([new("A", "Alpha", Large), new("B", "Beta", Medium), new("C", "Gamma", Small), new("D", "Delta", Sixth)]);
        Assert.Equal([SuppressionReason.None, SuppressionReason.None, SuppressionReason.SmallN, SuppressionReason.Complementary], result.Cells.Select(c => c.Reason));
        Assert.All(result.Cells.Where(c => c.Suppressed), c => Assert.True(c.Summary is null && c.VsRest is null && c.HolmP is null && c.ScaleCounts is null));
        Assert.Equal(50 + 25 + 3 + 10, result.Total.N);
        Assert.Equal([8, 12, 21, 28, 19], result.TotalScaleCounts);
    }

    [Fact]
    public void Each_visible_cell_is_compared_with_every_other_answer_pooled_hidden_ones_included()
    {
        var result = Comparison.Compare<string>([new("A", "Alpha", Large), new("B", "Beta", Medium), new("C", "Gamma", Small), new("D", "Delta", Sixth)]);
        int[] restOfAlpha = [5 + 0 + 1, 6 + 1 + 1, 8 + 1 + 2, 4 + 1 + 3, 2 + 0 + 3];
        var expected = Likert.Compare([2, 4, 10, 20, 14], restOfAlpha);
        Assert.Equal(expected, result.Cells[0].VsRest);
        var holm = Holm.Adjust([result.Cells[0].VsRest!.MannWhitneyP, result.Cells[1].VsRest!.MannWhitneyP]);
        Assert.Equal(holm[0], result.Cells[0].HolmP);
        Assert.Equal(holm[1], result.Cells[1].HolmP);
        Assert.Equal(KruskalWallis.Test([2, 4, 10, 20, 14], [5, 6, 8, 4, 2]), result.KruskalWallis);
    }

    [Fact]
    public void Fewer_than_two_visible_cells_have_no_Kruskal_Wallis()
    {
        var result = Comparison.Compare<int>([new(1, "Alpha", Large), new(2, "Beta", Small)]);
        Assert.Null(result.KruskalWallis);
        Assert.All(result.Cells, c => Assert.True(c.Suppressed));
        Assert.Throws<ArgumentException>(() => Comparison.Compare<int>([new(1, "Alpha", [1, 2, 3])]));
    }
}
