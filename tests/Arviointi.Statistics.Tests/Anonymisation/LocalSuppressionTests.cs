using Arviointi.Statistics.Anonymisation;

namespace Arviointi.Statistics.Tests.Anonymisation;

public class LocalSuppressionTests
{
    private const int M = QuasiIdentifierTable.Missing;

    private static QuasiIdentifierTable Table(int[] importance, params (int[] Key, int Copies)[] groups) =>
        new(
            importance.Select((imp, c) => new QuasiIdentifier($"q{c}", imp)).ToArray(),
            groups.SelectMany(g => Enumerable.Repeat(g.Key, g.Copies)).ToArray());

    public static TheoryData<int, int, int, int> Shapes => new()
    {
        // seed, rows, columns, k
        { 1, 40, 3, 5 },
        { 2, 120, 4, 5 },
        { 3, 300, 5, 5 },
        { 4, 300, 6, 3 },
        { 5, 800, 6, 5 },
        { 6, 60, 8, 5 },
        { 7, 500, 2, 10 },
        { 8, 9, 4, 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_generated_table_is_k_anonymous_after_suppression_by_a_brute_force_count(int seed, int rows, int columns, int k)
    {
        var table = GeneratedTables.Create(seed, rows, columns, missingShare: 0.05);
        Assert.True(GeneratedTables.BruteForceFrequencies(table).Min() < k, "The generated table should need protection.");

        var result = LocalSuppression.Apply(table, k);

        Assert.All(GeneratedTables.BruteForceFrequencies(result.Table), f => Assert.True(f >= k, $"A key occurs {f} < {k} times."));
        Assert.Equal(0, result.Unresolved);
        for (var i = 0; i < table.RowCount; i++)
        {
            for (var c = 0; c < columns; c++)
            {
                // A value is kept or suppressed, never changed, and a value missing before stays missing.
                var kept = result.Table[i, c] == table[i, c];
                Assert.True(kept || result.Table[i, c] == M);
                Assert.Equal(!kept, result.Suppressed[i].Contains(c));
            }
        }

        Assert.Equal(
            Enumerable.Range(0, columns).Select(c => result.Suppressed.Count(s => s.Contains(c))),
            result.SuppressedPerColumn);
    }

    [Fact]
    public void A_record_unique_in_every_column_loses_every_value()
    {
        var table = Table([1, 2, 3], ([0, 0, 0], 10), ([1, 1, 1], 10), ([7, 8, 9], 1));

        var result = LocalSuppression.Apply(table);

        Assert.Equal([M, M, M], result.Table.Row(20));
        Assert.Equal([1, 1, 1], result.SuppressedPerColumn);
        Assert.All(Enumerable.Range(0, 20), i => Assert.Empty(result.Suppressed[i]));
    }

    [Fact]
    public void The_least_important_column_is_suppressed_first()
    {
        // (0, 1) is rare though 0 and 1 are common: suppressing either column fixes it, and the one with the higher
        // importance number goes.
        (int[], int)[] groups = [([0, 0], 10), ([1, 1], 10), ([0, 1], 1)];

        Assert.Equal([0, M], LocalSuppression.Apply(Table([1, 2], groups)).Table.Row(20));
        Assert.Equal([M, 1], LocalSuppression.Apply(Table([2, 1], groups)).Table.Row(20));
        // Equal importance: column order decides.
        Assert.Equal([M, 1], LocalSuppression.Apply(Table([1, 1], groups)).Table.Row(20));
    }

    [Fact]
    public void A_value_whose_suppression_would_not_help_is_kept()
    {
        // The record is rare only by its most important column; suppressing its least important value would match no one.
        var table = Table([1, 2], ([0, 0], 10), ([1, 0], 10), ([5, 0], 1));

        var result = LocalSuppression.Apply(table);

        Assert.Equal([M, 0], result.Table.Row(20));
        Assert.Equal([0], result.Suppressed[20]);
    }

    [Fact]
    public void A_missing_value_already_there_counts_as_any_category()
    {
        // Three (0, 0) and two (0, missing): five records match (0, 0), so nothing needs suppressing.
        var table = Table([1, 2], ([0, 0], 3), ([0, M], 2), ([1, 1], 5));

        var result = LocalSuppression.Apply(table);

        Assert.Equal([0, 0], result.SuppressedPerColumn);
        Assert.Equal(0, result.Unresolved);
    }

    [Fact]
    public void A_table_with_fewer_than_k_records_ends_fully_suppressed_and_unresolved()
    {
        var table = Table([1, 2], ([0, 0], 2), ([1, 1], 1));

        var result = LocalSuppression.Apply(table);

        Assert.Equal(3, result.Unresolved);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal([M, M], result.Table.Row(i)));
    }

    [Fact]
    public void The_same_records_in_any_order_lose_the_same_cells()
    {
        var table = GeneratedTables.Create(seed: 11, rows: 400, columns: 5);
        var (shuffled, original) = GeneratedTables.Shuffle(table, seed: 12);

        var first = LocalSuppression.Apply(table);
        var again = LocalSuppression.Apply(table);
        var reordered = LocalSuppression.Apply(shuffled);

        Assert.True(first.SuppressedPerColumn.Sum() > 0);
        Assert.Equal(first.Suppressed, again.Suppressed);
        for (var i = 0; i < shuffled.RowCount; i++)
        {
            Assert.Equal(first.Suppressed[original[i]], reordered.Suppressed[i]);
        }
    }

    [Fact]
    public void Sixty_thousand_records_of_six_quasi_identifiers_are_protected()
    {
        // A sanity check that the wildcard counting is not quadratic (a quadratic one would not finish in the test
        // run); timed in no assertion.
        var table = GeneratedTables.Create(seed: 60, rows: 60_000, columns: 6, missingShare: 0.01);

        var result = LocalSuppression.Apply(table);

        Assert.Equal(0, result.Unresolved);
        Assert.Equal(0, Risk.Measure(result.Table).ViolatingK);
        Assert.True(result.SuppressedPerColumn.Sum() > 0);
    }
}
