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
    public static (int[] Counts, double[] Weights) Count(int[][] data, Func<int, double> weight, int[][] queries)
    {
        var columns = data.Length > 0 ? data[0].Length : queries.Length > 0 ? queries[0].Length : 0;
        var encoder = new Encoder(columns, data, queries);

        var dataKeys = Fold(data, encoder, weight);
        var queryKeys = ReferenceEquals(data, queries) ? dataKeys : Fold(queries, encoder, _ => 0);

        var found = new (int Count, double Weight)[queryKeys.Keys.Count];
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
                        var key = dataKeys.Keys[d];
                        var projected = encoder.Project(key.Codes, common);
                        counts.TryGetValue(projected, out var sum);
                        counts[projected] = (sum.Count + key.Count, sum.Weight + key.Weight);
                    }

                    projections[(dataMask, common)] = counts;
                }

                foreach (var q in queryGroup)
                {
                    if (counts.TryGetValue(encoder.Project(queryKeys.Keys[q].Codes, common), out var sum))
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

    private sealed record Key(int[] Codes, int Count, double Weight);

    private sealed record Folded(List<Key> Keys, int[] KeyOfRow, List<(int Mask, List<int> Keys)> ByMask);

    /// <summary>The distinct keys of the rows with their counts and weights, grouped by the pattern of present columns.</summary>
    private static Folded Fold(int[][] rows, Encoder encoder, Func<int, double> weight)
    {
        var index = new Dictionary<(int Mask, long Code), int>();
        var keys = new List<Key>();
        var keyOfRow = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var codes = encoder.Encode(rows[i]);
            var mask = Encoder.Mask(codes);
            var id = (mask, encoder.Project(codes, mask));
            if (index.TryGetValue(id, out var k))
            {
                keys[k] = keys[k] with { Count = keys[k].Count + 1, Weight = keys[k].Weight + weight(i) };
            }
            else
            {
                k = index[id] = keys.Count;
                keys.Add(new Key(codes, 1, weight(i)));
            }

            keyOfRow[i] = k;
        }

        // Ordered by mask so that the same rows are summed in the same order, to the last bit, on every run.
        var byMask = keys.Select((key, k) => (Mask: Encoder.Mask(key.Codes), k))
            .GroupBy(x => x.Mask)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Select(x => x.k).ToList()))
            .ToList();
        return new Folded(keys, keyOfRow, byMask);
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
                foreach (var row in data.Concat(queries))
                {
                    if (row[c] != QuasiIdentifierTable.Missing)
                    {
                        index.TryAdd(row[c], index.Count);
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
