using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Arviointi.Statistics.Anonymisation;

namespace Arviointi.Statistics.Tests.Anonymisation;

// Reference: reference/kanon.py, run here by Debian's /usr/bin/python3 with pandas (python3-pandas, 1.5.3): f_k and
// F_k by brute-force pandas matching of every record against every record, the risk as sdcMicro's indivRisk "approx"
// written out, on the generated table this test writes.
public class PandasReferenceTests
{
    public static TheoryData<int, int, int> Tables => new()
    {
        // seed, rows, columns
        { 21, 300, 4 },
        { 22, 500, 6 },
        { 23, 80, 3 },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Frequencies_violations_and_risks_equal_pandas_before_and_after_protection(int seed, int rows, int columns)
    {
        var table = GeneratedTables.Create(seed, rows, columns, missingShare: 0.05);
        var protectedTable = Anonymiser.Apply(table).Table;

        var before = Reference(table, k: 5);
        var after = Reference(protectedTable, k: 5);

        AssertEqual(before, Risk.Measure(table, k: 5));
        AssertEqual(after, Risk.Measure(protectedTable, k: 5));
        Assert.True(before.Violating > 0, "The generated table should violate k before protection.");
        Assert.Equal(0, after.Violating);
    }

    private static void AssertEqual(PandasRisk pandas, RiskMeasure ours)
    {
        Assert.Equal(pandas.Fk, ours.SampleFrequencies);
        Assert.All(pandas.PopulationFk.Zip(ours.PopulationFrequencies), p => Approx.Equal(p.First, p.Second, 1e-12));
        Assert.All(pandas.Risk.Zip(ours.IndividualRisks), p => Approx.Equal(p.First, p.Second, 1e-9));
        Assert.Equal(pandas.Violating, ours.ViolatingK);
        Approx.Equal(pandas.Expected, ours.ExpectedReidentifications, 1e-9);
    }

    private sealed record PandasRisk(int[] Fk, double[] PopulationFk, double[] Risk, int Violating, double Expected);

    private static PandasRisk Reference(QuasiIdentifierTable table, int k)
    {
        var csv = Path.Combine(Path.GetTempPath(), $"kanon-{Guid.NewGuid():N}.csv");
        try
        {
            var text = new StringBuilder();
            text.AppendLine(string.Join(',', table.Columns.Select(c => c.Name).Append("weight")));
            for (var i = 0; i < table.RowCount; i++)
            {
                var codes = table.Row(i).Select(v => v == QuasiIdentifierTable.Missing ? "" : v.ToString(CultureInfo.InvariantCulture));
                var weight = (table.Weights?[i] ?? 1).ToString("R", CultureInfo.InvariantCulture);
                text.AppendLine(string.Join(',', codes.Append(weight)));
            }

            File.WriteAllText(csv, text.ToString());
            var script = Path.Combine(AppContext.BaseDirectory, "reference", "kanon.py");
            var start = new ProcessStartInfo("/usr/bin/python3")
            {
                ArgumentList = { script, csv, k.ToString(CultureInfo.InvariantCulture) },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var python = Process.Start(start)!;
            var stderr = python.StandardError.ReadToEndAsync();
            var output = python.StandardOutput.ReadToEnd();
            python.WaitForExit();
            Assert.True(python.ExitCode == 0, $"kanon.py failed (is python3-pandas installed?): {stderr.Result}");

            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            return new PandasRisk(
                root.GetProperty("fk").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("Fk").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
                root.GetProperty("risk").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
                root.GetProperty("violating").GetInt32(),
                root.GetProperty("expected").GetDouble());
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
