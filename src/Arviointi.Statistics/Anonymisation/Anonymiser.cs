namespace Arviointi.Statistics.Anonymisation;

/// <summary>What disclosure control did to one quasi-identifier column.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Recoding">How its rare categories were merged, or <see langword="null"/> when the column was not recoded.</param>
/// <param name="Recoded">How many values changed code by the recoding.</param>
/// <param name="Suppressed">How many values local suppression set missing.</param>
public sealed record ColumnReport(string Name, CategoryRecoding? Recoding, int Recoded, int Suppressed);

/// <summary>The risk report of an anonymised table: the risk before disclosure control, after it, and what it changed.</summary>
/// <remarks>"Before" is the table as given, before recoding; "after" is the table after recoding and local suppression.</remarks>
/// <param name="K">The k of k-anonymity.</param>
/// <param name="Records">The number of records.</param>
/// <param name="ViolatingBefore">Records whose key occurred fewer than k times before.</param>
/// <param name="ViolatingAfter">Records whose key occurs fewer than k times after (0 unless the table has fewer than k records).</param>
/// <param name="MaxRiskBefore">The largest individual re-identification risk before.</param>
/// <param name="MaxRiskAfter">The largest individual re-identification risk after.</param>
/// <param name="MeanRiskBefore">The mean individual risk before.</param>
/// <param name="MeanRiskAfter">The mean individual risk after.</param>
/// <param name="ExpectedReidentificationsBefore">The sum of the individual risks before.</param>
/// <param name="ExpectedReidentificationsAfter">The sum of the individual risks after.</param>
/// <param name="Columns">Per quasi-identifier, in the table's column order, what was recoded and suppressed.</param>
public sealed record RiskReport(
    int K,
    int Records,
    int ViolatingBefore,
    int ViolatingAfter,
    double MaxRiskBefore,
    double MaxRiskAfter,
    double MeanRiskBefore,
    double MeanRiskAfter,
    double ExpectedReidentificationsBefore,
    double ExpectedReidentificationsAfter,
    IReadOnlyList<ColumnReport> Columns);

/// <summary>The outcome of <see cref="Anonymiser.Apply"/>.</summary>
/// <param name="Table">The k-anonymous table: rows in the input's order, recoded and with suppressed values <see cref="QuasiIdentifierTable.Missing"/>.</param>
/// <param name="Suppression">Which cells local suppression set missing.</param>
/// <param name="Before">Every record's risk in the table as given.</param>
/// <param name="After">Every record's risk in <paramref name="Table"/>.</param>
/// <param name="Report">The summary for the risk report and the codebook.</param>
public sealed record AnonymisedTable(
    QuasiIdentifierTable Table,
    SuppressionResult Suppression,
    RiskMeasure Before,
    RiskMeasure After,
    RiskReport Report);

/// <summary>Statistical disclosure control of a table of quasi-identifiers: recoding, then local suppression to k-anonymity, with the risk measured before and after.</summary>
public static class Anonymiser
{
    /// <summary>Merges each column's rare categories where the column has an <see cref="QuasiIdentifier.OtherCode"/>, then suppresses locally until every key occurs at least <paramref name="k"/> times.</summary>
    /// <param name="table">The quasi-identifiers as they would be exported, with sampling weights if the records are a sample.</param>
    /// <param name="k">The k of k-anonymity.</param>
    public static AnonymisedTable Apply(QuasiIdentifierTable table, int k = Risk.DefaultK)
    {
        ArgumentNullException.ThrowIfNull(table);

        var before = Risk.Measure(table, k);
        var (recoded, recodings) = Recode.MergeRareCategories(table, k);
        var suppression = LocalSuppression.Apply(recoded, k);
        var after = Risk.Measure(suppression.Table, k);

        var columns = table.Columns
            .Select((column, c) => new ColumnReport(column.Name, recodings[c], recodings[c]?.RecodedValues ?? 0, suppression.SuppressedPerColumn[c]))
            .ToList();
        var report = new RiskReport(
            k, table.RowCount,
            before.ViolatingK, after.ViolatingK,
            before.MaxRisk, after.MaxRisk,
            before.MeanRisk, after.MeanRisk,
            before.ExpectedReidentifications, after.ExpectedReidentifications,
            columns);
        return new AnonymisedTable(suppression.Table, suppression, before, after, report);
    }
}
