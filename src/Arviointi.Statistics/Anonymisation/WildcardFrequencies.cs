using System.Runtime.InteropServices;

namespace Arviointi.Statistics.Anonymisation;

/// <summary>
/// How many records share a key when a missing value matches any category (sdcMicro's <c>freqCalc</c> with
/// <c>alpha = 1</c>): record j counts for key x when, in every column, the two codes are equal or either is missing.
/// </summary>
/// <remarks>
/// Not O(n²): the records are first folded into distinct keys, and the keys grouped by their pattern of present
/// columns (at most 2^q patterns). For a query pattern Q and a data pattern D only the columns present in both decide
/// a match, so the data keys of D are counted by their projection on Q ∩ D once and each query key of Q looks its
/// projection up. The cost is about (patterns × distinct keys) dictionary operations.
/// </remarks>
internal static class WildcardFrequencies
{
    /// <summary>For each query key, the number of data records it matches and the sum of their weights.</summary>
    /// <param name="data">The records counted.</param>
    /// <param name="weight">Each data record's weight.</param>
    /// <param name="queries">The keys looked up (<see cref="QuasiIdentifierTable.Missing"/> matches anything).</param>
    public static (int[] Counts, double[] Weights) Count(int[][] data, Func<int, double> weight, int[][] queries) =>
        Count(data, _ => 1, weight, queries);

    /// <summary>As <see cref="Count(int[][], Func{int, double}, int[][])"/> with data rows that each stand for several identical records.</summary>
    /// <param name="data">The keys counted.</param>
    /// <param name="multiplicity">How many records each data row stands for.</param>
    /// <param name="weight">The sum of the weights of those records.</param>
    /// <param name="queries">The keys looked up (<see cref="QuasiIdentifierTable.Missing"/> matches anything).</param>
    public static (int[] Counts, double[] Weights) Count(int[][] data, Func<int, int> multiplicity, Func<int, double> weight, int[][] queries)
    {
        var columns = data.Length > 0 ? data[0].Length : queries.Length > 0 ? queries[0].Length : 0;
        var encoder = new Encoder(columns, data, queries);

        var dataKeys = Fold(data, encoder, multiplicity, weight);
        var queryKeys = ReferenceEquals(data, queries) ? dataKeys : Fold(queries, encoder, _ => 0, _ => 0);

        var found = new (int Count, double Weight)[queryKeys.Codes.Count];
        var projections = new Dictionary<(int DataMask, int Common), Dictionary<long, (int Count, double Weight)>>();
        foreach (var (queryMask, queryGroup) in queryKeys.ByMask)
        {
            foreach (var (dataMask, dataGroup) in dataKeys.ByMask)
            {
                var common = queryMask & dataMask;
                if (!projections.TryGetValue((dataMask, common), out var counts))
                {
                    counts = [];
                    foreach (var d in dataGroup)
                    {
                        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, encoder.Project(dataKeys.Codes[d], common), out _);
                        sum = (sum.Count + dataKeys.Counts[d], sum.Weight + dataKeys.Weights[d]);
                    }

                    projections[(dataMask, common)] = counts;
                }

                foreach (var q in queryGroup)
                {
                    if (counts.TryGetValue(encoder.Project(queryKeys.Codes[q], common), out var sum))
                    {
                        found[q] = (found[q].Count + sum.Count, found[q].Weight + sum.Weight);
                    }
                }
            }
        }

        var resultCounts = new int[queries.Length];
        var resultWeights = new double[queries.Length];
        for (var i = 0; i < queries.Length; i++)
        {
            (resultCounts[i], resultWeights[i]) = found[queryKeys.KeyOfRow[i]];
        }

        return (resultCounts, resultWeights);
    }

    private sealed record Folded(List<int[]> Codes, List<int> Counts, List<double> Weights, int[] KeyOfRow, List<(int Mask, List<int> Keys)> ByMask);

    /// <summary>The distinct keys of the rows with their counts and weights, grouped by the pattern of present columns.</summary>
    private static Folded Fold(int[][] rows, Encoder encoder, Func<int, int> multiplicity, Func<int, double> weight)
    {
        var index = new Dictionary<(int Mask, long Code), int>();
        var codes = new List<int[]>();
        var counts = new List<int>();
        var weights = new List<double>();
        var masks = new List<int>();
        var keyOfRow = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var encoded = encoder.Encode(rows[i]);
            var mask = Encoder.Mask(encoded);
            ref var k = ref CollectionsMarshal.GetValueRefOrAddDefault(index, (mask, encoder.Project(encoded, mask)), out var exists);
            if (exists)
            {
                counts[k] += multiplicity(i);
                weights[k] += weight(i);
            }
            else
            {
                k = codes.Count;
                codes.Add(encoded);
                counts.Add(multiplicity(i));
                weights.Add(weight(i));
                masks.Add(mask);
            }

            keyOfRow[i] = k;
        }

        // Ordered by mask so that the same rows are summed in the same order, to the last bit, on every run.
        var byMask = masks.Select((mask, k) => (mask, k))
            .GroupBy(x => x.mask)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Select(x => x.k).ToList()))
            .ToList();
        return new Folded(codes, counts, weights, keyOfRow, byMask);
    }

    /// <summary>Codes as dense indices per column (−1 for missing), projected onto a set of columns as one mixed-radix number.</summary>
    private sealed class Encoder
    {
        private readonly Dictionary<int, int>[] _index;
        private readonly long[] _place;

        public Encoder(int columns, int[][] data, int[][] queries)
        {
            _index = new Dictionary<int, int>[columns];
            _place = new long[columns];
            long place = 1;
            for (var c = 0; c < columns; c++)
            {
                var index = _index[c] = [];
                foreach (var rows in ReferenceEquals(data, queries) ? [data] : new[] { data, queries })
                {
                    foreach (var row in rows)
                    {
                        if (row[c] != QuasiIdentifierTable.Missing)
                        {
                            index.TryAdd(row[c], index.Count);
                        }
                    }
                }

                _place[c] = place;
                try
                {
                    place = checked(place * Math.Max(1, index.Count));
                }
                catch (OverflowException)
                {
                    throw new ArgumentException("The quasi-identifiers have too many categories together to be counted as one key (more than 2^63 combinations); recode them first.");
                }
            }
        }

        public int[] Encode(int[] row)
        {
            var codes = new int[row.Length];
            for (var c = 0; c < row.Length; c++)
            {
                codes[c] = row[c] == QuasiIdentifierTable.Missing ? -1 : _index[c][row[c]];
            }

            return codes;
        }

        public static int Mask(int[] codes)
        {
            var mask = 0;
            for (var c = 0; c < codes.Length; c++)
            {
                if (codes[c] >= 0)
                {
                    mask |= 1 << c;
                }
            }

            return mask;
        }

        public long Project(int[] codes, int mask)
        {
            long key = 0;
            for (var c = 0; c < codes.Length; c++)
            {
                if ((mask & (1 << c)) != 0)
                {
                    key += codes[c] * _place[c];
                }
            }

            return key;
        }
    }
}
