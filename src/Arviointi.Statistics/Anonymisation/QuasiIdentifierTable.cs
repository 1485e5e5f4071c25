namespace Arviointi.Statistics.Anonymisation;

/// <summary>One quasi-identifier column: a variable that, combined with others, could single out a respondent.</summary>
/// <param name="Name">The column's name, as in the export and its codebook.</param>
/// <param name="Importance">
/// sdcMicro's <c>importance</c>: the column with the highest number is suppressed first, the one with the lowest last.
/// Columns of equal importance are suppressed in column order.
/// </param>
/// <param name="OtherCode">
/// The code into which <see cref="Anonymiser.Apply"/> merges this column's rare categories (see
/// <see cref="Recode.MergeRareCategories(IReadOnlyList{int}, int, int)"/>), or <see langword="null"/> to leave the column's categories as they are.
/// </param>
public sealed record QuasiIdentifier(string Name, int Importance, int? OtherCode = null);

/// <summary>
/// The quasi-identifiers of a data set: one row per record (respondent), one code per <see cref="QuasiIdentifier"/>,
/// with <see cref="Missing"/> for a value that is missing or suppressed, and optionally a sampling weight per record.
/// </summary>
/// <remarks>The table copies the rows it is given and never changes them; every operation returns a new table.</remarks>
public sealed class QuasiIdentifierTable
{
    /// <summary>The code of a missing or suppressed value; it matches any category when keys are counted.</summary>
    public const int Missing = -1;

    private readonly int[][] _rows;
    private readonly double[]? _weights;

    /// <summary>Creates a table.</summary>
    /// <param name="columns">The quasi-identifiers, in the order of each row's codes.</param>
    /// <param name="rows">One array of codes per record, each as long as <paramref name="columns"/>; codes are ≥ 0 or <see cref="Missing"/>.</param>
    /// <param name="weights">
    /// Sampling weights, one per record and each ≥ 1: how many of the population the respondent stands for (for a
    /// unit, its enrolment over its respondents). <see langword="null"/> when the records are the whole population
    /// (every weight 1).
    /// </param>
    public QuasiIdentifierTable(IReadOnlyList<QuasiIdentifier> columns, IReadOnlyList<int[]> rows, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (columns.Count is 0 or > 30)
        {
            throw new ArgumentException("A table has 1 to 30 quasi-identifiers.", nameof(columns));
        }

        _rows = new int[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not { } row || row.Length != columns.Count)
            {
                throw new ArgumentException($"Row {i} does not have {columns.Count} codes.", nameof(rows));
            }

            if (Array.Exists(row, v => v < Missing))
            {
                throw new ArgumentException($"Row {i} has a negative code other than Missing ({Missing}).", nameof(rows));
            }

            _rows[i] = (int[])row.Clone();
        }

        if (weights is not null)
        {
            if (weights.Count != rows.Count)
            {
                throw new ArgumentException("There must be one weight per row.", nameof(weights));
            }

            if (weights.Any(w => !(w >= 1) || double.IsInfinity(w)))
            {
                throw new ArgumentException("Weights are finite and at least 1.", nameof(weights));
            }

            _weights = [.. weights];
        }

        Columns = [.. columns];
    }

    /// <summary>The quasi-identifiers, in the order of each row's codes.</summary>
    public IReadOnlyList<QuasiIdentifier> Columns { get; }

    /// <summary>The number of records.</summary>
    public int RowCount => _rows.Length;

    /// <summary>The sampling weights, or <see langword="null"/> when every record weighs 1.</summary>
    public IReadOnlyList<double>? Weights => _weights;

    /// <summary>The code of one cell, or <see cref="Missing"/>.</summary>
    /// <param name="row">The record's index.</param>
    /// <param name="column">The column's index.</param>
    public int this[int row, int column] => _rows[row][column];

    /// <summary>A copy of one record's codes.</summary>
    /// <param name="row">The record's index.</param>
    public int[] Row(int row) => (int[])_rows[row].Clone();

    /// <summary>The codes of one column, one per record.</summary>
    /// <param name="column">The column's index.</param>
    public int[] Column(int column) => Array.ConvertAll(_rows, r => r[column]);

    /// <summary>This table with other codes and the same columns and weights.</summary>
    internal QuasiIdentifierTable With(int[][] rows) => new(Columns, rows, _weights);

    /// <summary>The rows themselves, for the library's own read-only use.</summary>
    internal int[][] RowsUnsafe => _rows;

    /// <summary>The weight of each record (1 when unweighted).</summary>
    internal double Weight(int row) => _weights?[row] ?? 1;
}
