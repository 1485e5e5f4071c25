using Arviointi.Statistics.Anonymisation;

namespace Arviointi.Statistics.Tests.Anonymisation;

/// <summary>Random tables of quasi-identifiers with a fixed seed, made to be hard to protect, and a brute-force count to check them.</summary>
internal static class GeneratedTables
{
    /// <summary>
    /// A table with skewed categories (the last ones rare), a few small groups copied a couple of times, one record
    /// unique in every column, values already missing, and weights per unit (column 0) as enrolment over respondents.
    /// </summary>
    public static QuasiIdentifierTable Create(int seed, int rows, int columns, double missingShare = 0.03, bool weighted = true)
    {
        var random = new Random(seed);
        var categories = Enumerable.Range(0, columns).Select(c => 2 + ((c * 3) + seed) % 6).ToArray();
        var unitWeights = Enumerable.Range(0, categories[0]).Select(_ => 1 + (random.Next(0, 8) * 0.375)).ToArray();

        var table = new List<int[]>();
        while (table.Count < rows - 1)
        {
            var row = new int[columns];
            for (var c = 0; c < columns; c++)
            {
                // Category j drawn with weight 1/(j+1)^2: the first categories common, the last rare.
                row[c] = Skewed(random, categories[c]);
                if (random.NextDouble() < missingShare)
                {
                    row[c] = QuasiIdentifierTable.Missing;
                }
            }

            // A small group: the same key two or three times.
            var copies = random.NextDouble() < 0.05 ? random.Next(2, 4) : 1;
            for (var i = 0; i < copies && table.Count < rows - 1; i++)
            {
                table.Add((int[])row.Clone());
            }
        }

        var unique = Enumerable.Range(0, columns).Select(c => 100 + c).ToArray();
        table.Insert(random.Next(table.Count + 1), unique);

        var weights = table.Select(r => r[0] >= 0 && r[0] < unitWeights.Length ? unitWeights[r[0]] : 1.5).ToArray();
        var definitions = Enumerable.Range(0, columns).Select(c => new QuasiIdentifier($"q{c}", Importance: c + 1)).ToArray();
        return new QuasiIdentifierTable(definitions, table, weighted ? weights : null);
    }

    /// <summary>The same table with its rows in another order, and for each new row the index of its original.</summary>
    public static (QuasiIdentifierTable Table, int[] Original) Shuffle(QuasiIdentifierTable table, int seed)
    {
        var order = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(seed).Shuffle(order);
        var weights = table.Weights is { } w ? order.Select(i => w[i]).ToArray() : null;
        return (new QuasiIdentifierTable(table.Columns, order.Select(table.Row).ToArray(), weights), order);
    }

    /// <summary>f_k of every record by comparing it with every record, the definition itself.</summary>
    public static int[] BruteForceFrequencies(QuasiIdentifierTable table)
    {
        var counts = new int[table.RowCount];
        for (var i = 0; i < table.RowCount; i++)
        {
            for (var j = 0; j < table.RowCount; j++)
            {
                var match = true;
                for (var c = 0; c < table.Columns.Count && match; c++)
                {
                    match = table[i, c] == table[j, c] || table[i, c] == QuasiIdentifierTable.Missing || table[j, c] == QuasiIdentifierTable.Missing;
                }

                counts[i] += match ? 1 : 0;
            }
        }

        return counts;
    }

    private static int Skewed(Random random, int categories)
    {
        var total = Enumerable.Range(1, categories).Sum(j => 1.0 / (j * j));
        var u = random.NextDouble() * total;
        for (var j = 0; j < categories; j++)
        {
            u -= 1.0 / ((j + 1) * (j + 1));
            if (u < 0)
            {
                return j;
            }
        }

        return categories - 1;
    }
}
