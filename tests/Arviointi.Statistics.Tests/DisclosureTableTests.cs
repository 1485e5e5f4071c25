namespace Arviointi.Statistics.Tests;

/// <summary>
/// Filtered tables publish row and column totals, so no row or column may hide a group of 1–9 answers that
/// subtraction would reveal. The rule is the platform's own; these tests check it cell by cell and as a property.
/// </summary>
public sealed class DisclosureTableTests
{
    private static readonly bool[] AllColumns = [true, true, true];

    [Fact]
    public void A_table_of_large_cells_and_zeros_is_shown_whole()
    {
        int[][] counts = [[12, 0, 30], [10, 15, 0]];
        var shown = Disclosure.DecideTable(counts, AllColumns, [true, true]);
        Assert.All(shown, row => Assert.All(row, Assert.True));
    }

    [Fact]
    public void A_small_cell_takes_the_smallest_other_cell_of_its_row_and_then_of_the_columns_that_hid_one()
    {
        // Row 0: 4 is small, so the row's smallest other cell, 11, goes too. Column 0 then hides only 4, so its other cell,
        // 20, goes; column 1 hides 11 alone, which its total minus 30 would give exactly, so 30 goes; row 1 then hides 20
        // and 30 and is safe.
        int[][] counts = [[4, 11, 40], [20, 30, 50]];
        var shown = Disclosure.DecideTable(counts, AllColumns, [true, true]);
        Assert.Equal([false, false, true], shown[0]);
        Assert.Equal([false, false, true], shown[1]);
    }

    [Fact]
    public void Two_small_cells_that_together_stay_under_ten_take_a_third()
    {
        int[][] counts = [[3, 4, 25, 12]];
        var shown = Disclosure.DecideTable(counts, [true, true, true, true], [true]);
        Assert.Equal([false, false, true, false], shown[0]);
    }

    [Fact]
    public void The_unanswered_column_is_never_shown_and_a_small_one_hides_a_shown_cell()
    {
        // The last column is those who left the background question unanswered: 2 of them would be revealed by subtraction.
        int[][] counts = [[15, 12, 2]];
        var shown = Disclosure.DecideTable(counts, [true, true, false], [true]);
        Assert.Equal([true, false, false], shown[0]);
        int[][] many = [[15, 12, 14]];
        Assert.Equal([true, true, false], Disclosure.DecideTable(many, [true, true, false], [true])[0]);
    }

    [Fact]
    public void A_hidden_municipality_hides_its_whole_row_and_protects_its_columns()
    {
        int[][] counts = [[3, 2, 0], [40, 25, 30]];
        var shown = Disclosure.DecideTable(counts, AllColumns, [false, true]);
        Assert.Equal([false, false, false], shown[0]);
        Assert.Equal([false, false, true], shown[1]);
    }

    [Fact]
    public void No_line_of_a_random_table_hides_fewer_than_ten_answers_in_total()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 500; trial++)
        {
            var rows = random.Next(1, 11);
            var columns = random.Next(2, 6);
            var counts = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => random.Next(0, 4) == 0 ? 0 : random.Next(1, 40)).ToArray()).ToArray();
            var shownColumns = Enumerable.Range(0, columns).Select(c => c < columns - 1 || random.Next(2) == 0).ToArray();
            var shownRows = Enumerable.Range(0, rows).Select(_ => random.Next(8) != 0).ToArray();
            var shown = Disclosure.DecideTable(counts, shownColumns, shownRows);
            for (var r = 0; r < rows; r++)
            {
                Assert.True(ProtectedLine(Enumerable.Range(0, columns).Select(c => (counts[r][c], shown[r][c]))), $"row {r} of trial {trial}");
            }

            for (var c = 0; c < columns; c++)
            {
                Assert.True(ProtectedLine(Enumerable.Range(0, rows).Select(r => (counts[r][c], shown[r][c]))), $"column {c} of trial {trial}");
            }

            Assert.All(Enumerable.Range(0, rows), r => Assert.All(Enumerable.Range(0, columns), c => Assert.True(!shown[r][c] || counts[r][c] == 0 || counts[r][c] >= 10)));
        }
    }

    // A line is safe when its hidden cells hold no answers, at least ten, or nothing shown is left to hide with them.
    private static bool ProtectedLine(IEnumerable<(int N, bool Shown)> line)
    {
        var cells = line.ToList();
        var hidden = cells.Where(c => !c.Shown).Sum(c => c.N);
        return hidden == 0 || hidden >= 10 || !cells.Any(c => c.Shown && c.N > 0);
    }
}
