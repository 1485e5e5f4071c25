using Arviointi.Statistics.Anonymisation;

namespace Arviointi.Statistics.Tests.Anonymisation;

public class RecodeTests
{
    private const int M = QuasiIdentifierTable.Missing;

    private static int[] Values(params (int Code, int Count)[] counts) =>
        counts.SelectMany(c => Enumerable.Repeat(c.Code, c.Count)).ToArray();

    [Fact]
    public void Categories_under_k_are_merged_into_the_other_code_and_the_mapping_says_so()
    {
        var values = Values((0, 20), (1, 9), (2, 3), (3, 2), (M, 4));

        var recoding = Recode.MergeRareCategories(values, k: 5, otherCode: 99);

        Assert.Equal(new Dictionary<int, int> { [2] = 99, [3] = 99 }, recoding.Map);
        Assert.Equal(5, recoding.RecodedValues);
        Assert.Equal(Values((M, 4), (0, 20), (1, 9), (99, 5)), recoding.Apply(values).Order());
    }

    [Fact]
    public void A_merged_category_still_under_k_takes_in_the_next_smallest()
    {
        // 2 + 1 = 3 < 5: the smallest remaining category (6 of code 1; code 3 also has 6, and the lower code goes first) joins.
        var values = Values((0, 30), (3, 6), (1, 6), (2, 2), (4, 1));

        var recoding = Recode.MergeRareCategories(values, k: 5, otherCode: 9);

        Assert.Equal([1, 2, 4], recoding.Map.Keys.Order());
        Assert.Equal(9, recoding.RecodedValues);
    }

    [Fact]
    public void An_existing_other_category_takes_in_the_rare_ones_and_counts_with_them()
    {
        var values = Values((0, 30), (9, 3), (1, 2));

        var recoding = Recode.MergeRareCategories(values, k: 5, otherCode: 9);

        Assert.Equal(new Dictionary<int, int> { [1] = 9 }, recoding.Map);
        Assert.Equal(2, recoding.RecodedValues);
    }

    [Fact]
    public void Nothing_is_recoded_when_no_category_is_rare()
    {
        var recoding = Recode.MergeRareCategories(Values((0, 5), (1, 7), (M, 1)), k: 5, otherCode: 9);

        Assert.Empty(recoding.Map);
        Assert.Equal(0, recoding.RecodedValues);
    }

    [Fact]
    public void A_table_recodes_only_the_columns_that_name_an_other_code()
    {
        var columns = new[] { new QuasiIdentifier("ikä", 1, OtherCode: 9), new QuasiIdentifier("koulu", 2) };
        // Ages 0 ×10, 1 ×3, 2 ×2; the schools the same.
        var rows = Enumerable.Range(0, 15).Select(i => i < 10 ? 0 : i < 13 ? 1 : 2).Select(v => new[] { v, v }).ToArray();

        var (recoded, recodings) = Recode.MergeRareCategories(new QuasiIdentifierTable(columns, rows));

        Assert.Equal([1, 2], recodings[0]!.Map.Keys);
        Assert.Null(recodings[1]);
        Assert.Equal([9, 1], recoded.Row(11));
        Assert.Equal([9, 2], recoded.Row(14));
        Assert.Equal([0, 0], recoded.Row(0));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(19, 0)]
    [InlineData(20, 1)]
    [InlineData(49, 1)]
    [InlineData(50, 2)]
    [InlineData(99, 2)]
    [InlineData(100, 3)]
    [InlineData(4000, 3)]
    [InlineData(0, M)]
    public void Unit_sizes_fall_into_the_default_classes(int size, int expected)
    {
        Assert.Equal(expected, SizeClasses.Default.Classify(size));
    }

    [Fact]
    public void Size_classes_take_their_bounds_as_a_parameter_and_label_themselves()
    {
        var classes = new SizeClasses([0, 10, 200]);

        int[] sizes = [0, 9, 10, 199, 200];
        Assert.Equal([0, 0, 1, 1, 2], sizes.Select(classes.Classify));
        Assert.Equal(["0–9", "10–199", "200+"], Enumerable.Range(0, classes.Count).Select(classes.Label));
        Assert.Equal(["1–19", "20–49", "50–99", "100+"], Enumerable.Range(0, 4).Select(SizeClasses.Default.Label));
        Assert.Throws<ArgumentException>(() => new SizeClasses([5, 5]));
    }
}
