using System.Globalization;

namespace Arviointi.Statistics.Anonymisation;

/// <summary>How <see cref="Recode.MergeRareCategories(IReadOnlyList{int}, int, int)"/> recoded one column, for the codebook.</summary>
/// <param name="OtherCode">The code the rare categories were merged into.</param>
/// <param name="Map">Each merged category's old code → <see cref="OtherCode"/>; categories not listed keep their code.</param>
/// <param name="RecodedValues">How many values changed code (values already coded <see cref="OtherCode"/> not counted).</param>
public sealed record CategoryRecoding(int OtherCode, IReadOnlyDictionary<int, int> Map, int RecodedValues)
{
    /// <summary>The column's values with the mapping applied (missing values stay missing).</summary>
    /// <param name="values">The column's codes.</param>
    public int[] Apply(IReadOnlyList<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Select(v => Map.TryGetValue(v, out var merged) ? merged : v).ToArray();
    }
}

/// <summary>Global recoding before suppression: rare categories merged, unit sizes as classes.</summary>
public static class Recode
{
    /// <summary>Merges the categories of one column that occur fewer than <paramref name="k"/> times into one code.</summary>
    /// <remarks>
    /// Every category with fewer than <paramref name="k"/> records is merged into <paramref name="otherCode"/> (which
    /// may already be a category of its own, such as an existing "other"; it is then counted with them). While the
    /// merged code still has fewer than <paramref name="k"/> records, the smallest remaining category (ties: the lower
    /// code) is merged into it too, unless none is left; so is it when <paramref name="otherCode"/> alone is rare.
    /// Missing values are neither counted nor changed.
    /// </remarks>
    /// <param name="values">The column's codes, <see cref="QuasiIdentifierTable.Missing"/> for missing.</param>
    /// <param name="k">The smallest number of records a category may have.</param>
    /// <param name="otherCode">The code of the merged category, ≥ 0.</param>
    /// <returns>The mapping; empty when no category is rare.</returns>
    public static CategoryRecoding MergeRareCategories(IReadOnlyList<int> values, int k, int otherCode)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(otherCode);

        var counts = values.Where(v => v != QuasiIdentifierTable.Missing)
            .GroupBy(v => v)
            .ToDictionary(g => g.Key, g => g.Count());
        var merged = counts.Keys.Where(c => c != otherCode && counts[c] < k).ToHashSet();
        var otherCount = counts.GetValueOrDefault(otherCode);
        if (merged.Count == 0 && (otherCount == 0 || otherCount >= k))
        {
            return new CategoryRecoding(otherCode, new Dictionary<int, int>(), 0);
        }

        var mergedCount = merged.Sum(c => counts[c]) + otherCount;
        var remaining = counts.Keys.Where(c => c != otherCode && !merged.Contains(c))
            .OrderBy(c => counts[c])
            .ThenBy(c => c)
            .ToList();
        foreach (var next in remaining)
        {
            if (mergedCount >= k)
            {
                break;
            }

            merged.Add(next);
            mergedCount += counts[next];
        }

        var map = merged.Order().ToDictionary(c => c, _ => otherCode);
        return new CategoryRecoding(otherCode, map, merged.Sum(c => counts[c]));
    }

    /// <summary>Recodes the columns that have an <see cref="QuasiIdentifier.OtherCode"/>.</summary>
    /// <param name="table">The table.</param>
    /// <param name="k">The smallest number of records a category may have.</param>
    /// <returns>The recoded table and, per column, its recoding (<see langword="null"/> for a column left as it was).</returns>
    public static (QuasiIdentifierTable Table, IReadOnlyList<CategoryRecoding?> Recodings) MergeRareCategories(QuasiIdentifierTable table, int k = Risk.DefaultK)
    {
        ArgumentNullException.ThrowIfNull(table);

        var rows = Enumerable.Range(0, table.RowCount).Select(table.Row).ToArray();
        var recodings = new CategoryRecoding?[table.Columns.Count];
        for (var c = 0; c < recodings.Length; c++)
        {
            if (table.Columns[c].OtherCode is not { } other)
            {
                continue;
            }

            var recoding = recodings[c] = MergeRareCategories(table.Column(c), k, other);
            foreach (var row in rows)
            {
                if (recoding.Map.TryGetValue(row[c], out var merged))
                {
                    row[c] = merged;
                }
            }
        }

        return (table.With(rows), recodings);
    }
}

/// <summary>Size classes of units by their enrolment, e.g. 1–19, 20–49, 50–99 and 100+.</summary>
public sealed class SizeClasses
{
    private readonly int[] _lowerBounds;

    /// <summary>Creates size classes from the smallest size of each.</summary>
    /// <param name="lowerBounds">Strictly increasing and non-negative: class i holds the sizes from bound i to bound i + 1 − 1, the last all above.</param>
    public SizeClasses(IReadOnlyList<int> lowerBounds)
    {
        ArgumentNullException.ThrowIfNull(lowerBounds);
        if (lowerBounds.Count == 0 || lowerBounds[0] < 0 || lowerBounds.Zip(lowerBounds.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new ArgumentException("Size classes need strictly increasing, non-negative lower bounds.", nameof(lowerBounds));
        }

        _lowerBounds = [.. lowerBounds];
    }

    /// <summary>1–19, 20–49, 50–99 and 100+.</summary>
    public static SizeClasses Default { get; } = new([1, 20, 50, 100]);

    /// <summary>The number of classes.</summary>
    public int Count => _lowerBounds.Length;

    /// <summary>The class of a size: its index, or <see cref="QuasiIdentifierTable.Missing"/> below the first bound (such as an unknown enrolment of 0).</summary>
    /// <param name="size">The unit's size.</param>
    public int Classify(int size)
    {
        var index = Array.BinarySearch(_lowerBounds, size);

        // Not found: ~index is the first bound above the size, so the class is the one before it.
        var found = index >= 0 ? index : ~index - 1;
        return found >= 0 ? found : QuasiIdentifierTable.Missing;
    }

    /// <summary>The class's label for the codebook: "1–19", or "100+" for the last.</summary>
    /// <param name="index">The class's index.</param>
    public string Label(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index == Count - 1
            ? string.Create(CultureInfo.InvariantCulture, $"{_lowerBounds[index]}+")
            : string.Create(CultureInfo.InvariantCulture, $"{_lowerBounds[index]}–{_lowerBounds[index + 1] - 1}");
    }
}
