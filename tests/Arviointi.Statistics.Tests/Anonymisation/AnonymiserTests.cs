using Arviointi.Statistics.Anonymisation;

namespace Arviointi.Statistics.Tests.Anonymisation;

public class AnonymiserTests
{
    [Fact]
    public void The_report_counts_what_recoding_and_suppression_changed_and_the_risk_before_and_after()
    {
        var generated = GeneratedTables.Create(seed: 31, rows: 400, columns: 4, missingShare: 0.02);
        var columns = generated.Columns.Select((c, i) => i == 3 ? c with { OtherCode = 50 } : c).ToArray();
        var table = new QuasiIdentifierTable(columns, Enumerable.Range(0, generated.RowCount).Select(generated.Row).ToArray(), generated.Weights);

        var result = Anonymiser.Apply(table);
        var report = result.Report;

        Assert.Equal(400, report.Records);
        Assert.Equal(["q0", "q1", "q2", "q3"], report.Columns.Select(c => c.Name));
        Assert.True(report.ViolatingBefore > 0);
        Assert.Equal(0, report.ViolatingAfter);
        Assert.True(report.MaxRiskAfter < report.MaxRiskBefore);
        Assert.True(report.ExpectedReidentificationsAfter < report.ExpectedReidentificationsBefore);
        Assert.Equal(Risk.Measure(table).ExpectedReidentifications, report.ExpectedReidentificationsBefore);
        Assert.Equal(Risk.Measure(result.Table).MeanRisk, report.MeanRiskAfter);

        // Column 3 is the only one recoded: its merged categories are documented and counted value by value.
        var recoding = report.Columns[3].Recoding!;
        Assert.NotEmpty(recoding.Map);
        Assert.All(report.Columns.Take(3), c => Assert.Null(c.Recoding));
        Assert.Equal(table.Column(3).Count(v => recoding.Map.ContainsKey(v)), report.Columns[3].Recoded);

        // Every cell differs from the input only by the recoding's map or by suppression, and the counts say how often.
        for (var c = 0; c < 4; c++)
        {
            var recoded = c == 3 ? recoding.Apply(table.Column(c)) : table.Column(c);
            var suppressed = Enumerable.Range(0, table.RowCount).Count(i => result.Table[i, c] != recoded[i]);
            Assert.All(Enumerable.Range(0, table.RowCount), i => Assert.True(result.Table[i, c] == recoded[i] || result.Table[i, c] == QuasiIdentifierTable.Missing));
            Assert.Equal(suppressed, report.Columns[c].Suppressed);
        }
    }
}
