namespace Arviointi.Statistics.Anonymisation;

/// <summary>The outcome of <see cref="LocalSuppression.Apply"/>.</summary>
/// <param name="Table">The table with the suppressed cells set to <see cref="QuasiIdentifierTable.Missing"/>.</param>
/// <param name="Suppressed">Per record, the indices of the columns whose values were suppressed (empty for most records).</param>
/// <param name="SuppressedPerColumn">How many values of each column were suppressed (missing values already there not counted).</param>
/// <param name="Unresolved">
/// Records still violating k: possible only when the table has fewer than k records, since a record with every value
/// suppressed matches all of them.
/// </param>
public sealed record SuppressionResult(
    QuasiIdentifierTable Table,
    IReadOnlyList<IReadOnlyList<int>> Suppressed,
    IReadOnlyList<int> SuppressedPerColumn,
    int Unresolved);

/// <summary>
/// Local suppression to k-anonymity, as sdcMicro's <c>localSuppression</c> (<c>kAnon</c>): values of the least
/// important quasi-identifiers are set missing in the records whose key occurs fewer than k times, a missing value
/// matching any category, until every key occurs at least k times.
/// </summary>
public static class LocalSuppression
{
    /// <summary>Suppresses values until every record's key occurs at least <paramref name="k"/> times.</summary>
    /// <remarks>
    /// <para>Columns are taken in suppression order: highest <see cref="QuasiIdentifier.Importance"/> first, equal
    /// importance in column order. The rounds repeat until no record violates k:</para>
    /// <list type="number">
    /// <item>A sweep over the columns in that order: for each column, among the records then violating k, the value is
    /// suppressed in those for which suppressing it alone would let the record match more records (a value that would
    /// not help is kept, so a record unique only by its most important column loses only that one); then the
    /// frequencies are counted again for the next column.</item>
    /// <item>When a sweep suppresses nothing (no single value helps any violating record), the first column in
    /// suppression order that still has a value in a violating record is suppressed in every violating record, and
    /// the sweeps begin again.</item>
    /// </list>
    /// <para>Every decision is made on whole sets of records from their keys alone, so the result does not depend on
    /// the order of the rows: the same records give the same suppressed cells in every download. A record with every
    /// value suppressed matches every record, so the rounds end k-anonymous whenever the table has at least k
    /// records.</para>
    /// </remarks>
    /// <param name="table">The quasi-identifiers (weights are kept but play no part).</param>
    /// <param name="k">The k of k-anonymity.</param>
    public static SuppressionResult Apply(QuasiIdentifierTable table, int k = Risk.DefaultK)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);

        // Every decision depends on a record's key alone, so the work is done once per distinct key.
        var (keys, multiplicity, keyOfRow) = Distinct(table.RowsUnsafe);
        var order = Enumerable.Range(0, table.Columns.Count)
            .OrderByDescending(c => table.Columns[c].Importance)
            .ThenBy(c => c)
            .ToArray();

        while (true)
        {
            var changed = false;
            foreach (var column in order)
            {
                changed |= SuppressWhereItHelps(keys, multiplicity, column, k);
            }

            if (changed)
            {
                continue;
            }

            var violating = Violating(keys, multiplicity, k);
            var blunt = order.FirstOrDefault(c => violating.Any(i => keys[i][c] != QuasiIdentifierTable.Missing), -1);
            if (blunt < 0)
            {
                break;
            }

            foreach (var i in violating)
            {
                keys[i][blunt] = QuasiIdentifierTable.Missing;
            }
        }

        var rows = Array.ConvertAll(keyOfRow, key => (int[])keys[key].Clone());
        var suppressed = new IReadOnlyList<int>[rows.Length];
        var perColumn = new int[table.Columns.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var cells = new List<int>();
            for (var c = 0; c < perColumn.Length; c++)
            {
                if (rows[i][c] != table[i, c])
                {
                    cells.Add(c);
                    perColumn[c]++;
                }
            }

            suppressed[i] = cells;
        }

        return new SuppressionResult(table.With(rows), suppressed, perColumn, Violating(keys, multiplicity, k).Sum(i => multiplicity[i]));
    }

    /// <summary>Suppresses <paramref name="column"/> in the violating records whose count it would raise; whether any was.</summary>
    private static bool SuppressWhereItHelps(int[][] keys, int[] multiplicity, int column, int k)
    {
        var (counts, _) = WildcardFrequencies.Count(keys, i => multiplicity[i], _ => 0, keys);
        var candidates = Enumerable.Range(0, keys.Length)
            .Where(i => counts[i] < k && keys[i][column] != QuasiIdentifierTable.Missing)
            .ToArray();
        if (candidates.Length == 0)
        {
            return false;
        }

        var queries = Array.ConvertAll(candidates, i =>
        {
            var key = (int[])keys[i].Clone();
            key[column] = QuasiIdentifierTable.Missing;
            return key;
        });
        var (widened, _) = WildcardFrequencies.Count(keys, i => multiplicity[i], _ => 0, queries);

        var changed = false;
        for (var j = 0; j < candidates.Length; j++)
        {
            if (widened[j] > counts[candidates[j]])
            {
                keys[candidates[j]][column] = QuasiIdentifierTable.Missing;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>The keys whose records occur fewer than k times.</summary>
    private static List<int> Violating(int[][] keys, int[] multiplicity, int k)
    {
        var (counts, _) = WildcardFrequencies.Count(keys, i => multiplicity[i], _ => 0, keys);
        return Enumerable.Range(0, keys.Length).Where(i => counts[i] < k).ToList();
    }

    /// <summary>The distinct keys of the rows (copies, to be suppressed in place), how many rows each has, and each row's key.</summary>
    private static (int[][] Keys, int[] Multiplicity, int[] KeyOfRow) Distinct(int[][] rows)
    {
        var index = new Dictionary<int[], int>(KeyComparer.Instance);
        var keys = new List<int[]>();
        var multiplicity = new List<int>();
        var keyOfRow = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            if (!index.TryGetValue(rows[i], out var key))
            {
                key = index[rows[i]] = keys.Count;
                keys.Add((int[])rows[i].Clone());
                multiplicity.Add(0);
            }

            multiplicity[key]++;
            keyOfRow[i] = key;
        }

        return ([.. keys], [.. multiplicity], keyOfRow);
    }

    /// <summary>Keys compared code by code.</summary>
    private sealed class KeyComparer : IEqualityComparer<int[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
