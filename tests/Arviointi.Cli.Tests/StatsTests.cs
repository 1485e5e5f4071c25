using System.Text;
using System.Text.Json;

namespace Arviointi.Cli.Tests;

// Reference values: Debian's python3 with scipy 1.10.1 and statsmodels 0.13.5, x as a numpy float array;
// mean = numpy.mean(x), sd = numpy.std(x, ddof=1), meanCi = scipy.stats.t.interval(0.95, df=n-1, loc=mean, scale=scipy.stats.sem(x)),
// agreeCi = statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method="wilson"); the tests against the rest and
// between municipalities name their functions beside the values. StatsFixtureTests covers the same on a generated file.
public sealed class StatsTests : IDisposable
{
    private const string Header = "respondent_id,municipality,unit,group,item,value\n";

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Rows(string municipality, string group, string item, params string[] values) =>
        string.Concat(values.Select((v, i) => $"{municipality}-{item}-{i},{municipality},Päiväkoti Aurinko,{group},{item},{v}\n"));

    private (CliResult Result, JsonElement Json) RunStats(string csv)
    {
        var input = folder.Write("answers.csv", csv);
        var output = folder.File("result.json");
        var result = CliRunner.Run("stats", "--input", input, "--output", output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var document = JsonDocument.Parse(File.ReadAllText(output));
        return (result, document.RootElement.Clone());
    }

    private static void AssertClose(double expected, JsonElement actual) =>
        Assert.True(Math.Abs(expected - actual.GetDouble()) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"Expected {expected:R}, got {actual}.");

    private static void AssertInterval(double lower, double upper, JsonElement actual)
    {
        Assert.Equal(2, actual.GetArrayLength());
        AssertClose(lower, actual[0]);
        AssertClose(upper, actual[1]);
    }

    [Fact]
    public void Figures_of_the_region_and_each_municipality_match_scipy()
    {
        var csv = Header
            + Rows("Lahti", "huoltaja", "q1", "5", "4", "EOS", "4", "3", "", "2", "5")
            + Rows("Hollola", "huoltaja", "q1", "1", "2", "3", "3", "4");

        var (result, json) = RunStats(csv);

        Assert.Contains("result.json", result.Stdout, StringComparison.Ordinal);
        var item = Assert.Single(json.GetProperty("items").EnumerateArray());
        Assert.Equal("q1", item.GetProperty("item").GetString());
        Assert.Equal("huoltaja", item.GetProperty("group").GetString());
        // scipy.stats.kruskal(hollola, lahti) over the two visible municipalities
        var kruskalWallis = item.GetProperty("kruskalWallis");
        AssertClose(2.5230158730158783, kruskalWallis.GetProperty("h"));
        Assert.Equal(1, kruskalWallis.GetProperty("df").GetInt32());
        AssertClose(0.11219582408467982, kruskalWallis.GetProperty("p"));

        // x = Lahti + Hollola = [5,4,4,3,2,5,1,2,3,3,4]
        var region = item.GetProperty("region");
        Assert.Equal(11, region.GetProperty("n").GetInt32());
        Assert.Equal(1, region.GetProperty("cantSay").GetInt32());
        AssertClose(3.272727272727273, region.GetProperty("mean")); // numpy.mean(x)
        AssertClose(1.2720777563426766, region.GetProperty("sd")); // numpy.std(x, ddof=1)
        AssertInterval(2.4181338077475387, 4.127320737707008, region.GetProperty("meanCi")); // scipy.stats.t.interval(0.95, df=10, loc=mean, scale=scipy.stats.sem(x))
        AssertClose(0.45454545454545453, region.GetProperty("agreeShare")); // 5 / 11
        AssertInterval(0.2127127162245977, 0.719908462590678, region.GetProperty("agreeCi")); // proportion_confint(5, 11, method="wilson")

        var municipalities = item.GetProperty("municipalities").EnumerateArray().ToList();
        Assert.Equal(["Hollola", "Lahti"], municipalities.Select(m => m.GetProperty("municipality").GetString()));
        Assert.All(municipalities, m => Assert.False(m.GetProperty("suppressed").GetBoolean()));

        // x = Hollola = [1,2,3,3,4]
        var hollola = municipalities[0];
        Assert.Equal(5, hollola.GetProperty("n").GetInt32());
        Assert.Equal(0, hollola.GetProperty("cantSay").GetInt32());
        AssertClose(2.6, hollola.GetProperty("mean")); // numpy.mean(x)
        AssertClose(1.140175425099138, hollola.GetProperty("sd")); // numpy.std(x, ddof=1)
        AssertInterval(1.1842852230177252, 4.015714776982275, hollola.GetProperty("meanCi")); // scipy.stats.t.interval(0.95, df=4, loc=mean, scale=scipy.stats.sem(x))
        AssertClose(0.2, hollola.GetProperty("agreeShare")); // 1 / 5
        AssertInterval(0.036224108632430196, 0.6244653702374748, hollola.GetProperty("agreeCi")); // proportion_confint(1, 5, method="wilson")
        var hollolaVsRest = hollola.GetProperty("vsRest"); // the rest is Lahti
        AssertClose(-0.4666666666666666, hollolaVsRest.GetProperty("agreeDiff")); // 1/5 - 4/6
        AssertInterval(-0.7543889036266153, 0.09424348411669575, hollolaVsRest.GetProperty("agreeDiffCi")); // confint_proportions_2indep(1, 5, 4, 6, method='newcomb', compare='diff')
        AssertClose(0.13492355198692385, hollolaVsRest.GetProperty("mannWhitneyP")); // mannwhitneyu(hollola, lahti, alternative='two-sided', method='asymptotic', use_continuity=True)
        AssertClose(0.2698471039738477, hollolaVsRest.GetProperty("holmP")); // multipletests([p, p], method='holm')[1]
        AssertClose(-0.5666666666666667, hollolaVsRest.GetProperty("cliffsDelta")); // numpy.sign(numpy.subtract.outer(hollola, lahti)).mean()

        // x = Lahti = [5,4,4,3,2,5]
        var lahti = municipalities[1];
        Assert.Equal(6, lahti.GetProperty("n").GetInt32());
        Assert.Equal(1, lahti.GetProperty("cantSay").GetInt32());
        AssertClose(3.8333333333333335, lahti.GetProperty("mean")); // numpy.mean(x)
        AssertClose(1.1690451944500122, lahti.GetProperty("sd")); // numpy.std(x, ddof=1)
        AssertInterval(2.6064956411613958, 5.060171025505271, lahti.GetProperty("meanCi")); // scipy.stats.t.interval(0.95, df=5, loc=mean, scale=scipy.stats.sem(x))
        AssertClose(0.6666666666666666, lahti.GetProperty("agreeShare")); // 4 / 6
        AssertInterval(0.29999331513839184, 0.9032285888942195, lahti.GetProperty("agreeCi")); // proportion_confint(4, 6, method="wilson")
        var lahtiVsRest = lahti.GetProperty("vsRest"); // the rest is Hollola: the mirror image
        AssertClose(0.4666666666666666, lahtiVsRest.GetProperty("agreeDiff"));
        AssertInterval(-0.09424348411669575, 0.7543889036266153, lahtiVsRest.GetProperty("agreeDiffCi")); // confint_proportions_2indep(4, 6, 1, 5, method='newcomb', compare='diff')
        AssertClose(0.13492355198692385, lahtiVsRest.GetProperty("mannWhitneyP"));
        AssertClose(0.2698471039738477, lahtiVsRest.GetProperty("holmP"));
        AssertClose(0.5666666666666667, lahtiVsRest.GetProperty("cliffsDelta"));
    }

    [Fact]
    public void One_small_municipality_is_hidden_together_with_the_next_smallest()
    {
        var csv = Header
            + Rows("Lahti", "huoltaja", "q1", "5", "5", "4", "4", "3", "3", "2", "1")
            + Rows("Sysmä", "huoltaja", "q1", "1", "2", "2", "EOS", "EOS")
            + Rows("Hollola", "huoltaja", "q1", "4", "4", "4", "5", "5", "3");

        var (_, json) = RunStats(csv);

        var item = Assert.Single(json.GetProperty("items").EnumerateArray());
        // x = every answer = [5,5,4,4,3,3,2,1, 1,2,2, 4,4,4,5,5,3]: the region still counts the hidden ones.
        var region = item.GetProperty("region");
        Assert.Equal(17, region.GetProperty("n").GetInt32());
        Assert.Equal(2, region.GetProperty("cantSay").GetInt32());
        AssertClose(3.3529411764705883, region.GetProperty("mean")); // numpy.mean(x)
        AssertClose(1.3666188418222285, region.GetProperty("sd")); // numpy.std(x, ddof=1)
        AssertInterval(2.6502906048252832, 4.055591748115893, region.GetProperty("meanCi")); // scipy.stats.t.interval(0.95, df=16, loc=mean, scale=scipy.stats.sem(x))
        AssertInterval(0.30963235060004424, 0.7383489355759056, region.GetProperty("agreeCi")); // proportion_confint(9, 17, method="wilson")

        var municipalities = item.GetProperty("municipalities").EnumerateArray().ToDictionary(m => m.GetProperty("municipality").GetString()!);
        Assert.Equal(["Hollola", "Lahti", "Sysmä"], municipalities.Keys);

        var sysma = municipalities["Sysmä"];
        Assert.True(sysma.GetProperty("suppressed").GetBoolean());
        Assert.Equal("n<5", sysma.GetProperty("suppressionReason").GetString());
        var hollola = municipalities["Hollola"];
        Assert.True(hollola.GetProperty("suppressed").GetBoolean());
        Assert.Equal("complementary", hollola.GetProperty("suppressionReason").GetString());
        foreach (var hidden in new[] { sysma, hollola })
        {
            Assert.Equal(["municipality", "suppressed", "suppressionReason"], hidden.EnumerateObject().Select(p => p.Name));
        }

        // x = Lahti = [5,5,4,4,3,3,2,1]
        var lahti = municipalities["Lahti"];
        Assert.False(lahti.GetProperty("suppressed").GetBoolean());
        Assert.Equal(8, lahti.GetProperty("n").GetInt32());
        AssertClose(3.375, lahti.GetProperty("mean")); // numpy.mean(x)
        AssertClose(1.407885953173359, lahti.GetProperty("sd")); // numpy.std(x, ddof=1)
        AssertInterval(2.197977888168423, 4.552022111831577, lahti.GetProperty("meanCi")); // scipy.stats.t.interval(0.95, df=7, loc=mean, scale=scipy.stats.sem(x))
        AssertInterval(0.2152160622138775, 0.7847839377861225, lahti.GetProperty("agreeCi")); // proportion_confint(4, 8, method="wilson")

        // The rest of Lahti is the hidden municipalities' answers, y = Sysmä + Hollola = [1,2,2,4,4,4,5,5,3].
        var vsRest = lahti.GetProperty("vsRest");
        AssertClose(-0.05555555555555558, vsRest.GetProperty("agreeDiff")); // 4/8 - 5/9
        AssertInterval(-0.4382655705561192, 0.35011372336193824, vsRest.GetProperty("agreeDiffCi")); // confint_proportions_2indep(4, 8, 5, 9, method='newcomb', compare='diff')
        AssertClose(1.0, vsRest.GetProperty("mannWhitneyP")); // mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True), clipped at 1
        AssertClose(1.0, vsRest.GetProperty("holmP")); // one visible municipality: nothing to adjust
        AssertClose(0.013888888888888888, vsRest.GetProperty("cliffsDelta")); // numpy.sign(numpy.subtract.outer(x, y)).mean()
        Assert.Equal(JsonValueKind.Null, item.GetProperty("kruskalWallis").ValueKind); // one visible municipality
    }

    [Fact]
    public void Items_and_groups_come_in_order_of_first_appearance_and_undefined_figures_are_null()
    {
        var csv = Header
            + Rows("Lahti", "huoltaja", "q2", "3")
            + Rows("Lahti", "henkilosto", "q1", "EOS", "")
            + Rows("Lahti", "huoltaja", "q1", "4", "4");

        var (_, json) = RunStats(csv);

        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["q2/huoltaja", "q1/henkilosto", "q1/huoltaja"], items.Select(i => $"{i.GetProperty("item")}/{i.GetProperty("group")}"));

        var single = items[0].GetProperty("region");
        Assert.Equal(1, single.GetProperty("n").GetInt32());
        Assert.Equal(3.0, single.GetProperty("mean").GetDouble());
        Assert.Equal(JsonValueKind.Null, single.GetProperty("sd").ValueKind);
        Assert.All(single.GetProperty("meanCi").EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));

        var none = items[1].GetProperty("region");
        Assert.Equal(0, none.GetProperty("n").GetInt32());
        Assert.Equal(1, none.GetProperty("cantSay").GetInt32());
        Assert.Equal(JsonValueKind.Null, none.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("agreeShare").ValueKind);
        var lahti = Assert.Single(items[1].GetProperty("municipalities").EnumerateArray());
        Assert.Equal("n<5", lahti.GetProperty("suppressionReason").GetString());
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        var (_, json) = RunStats("\uFEFF" + Header + Rows("Lahti", "huoltaja", "q1", "4"));

        Assert.Equal(1, json.GetProperty("items")[0].GetProperty("region").GetProperty("n").GetInt32());
    }

    private static readonly string[] LahtiAnswers = ["4", "5", "3", "4", "2", "5"];
    private static readonly string[] HollolaAnswers = ["4", "1", "EOS", "5", ""];

    [Fact]
    public void The_analyst_export_is_read_as_it_is_and_its_suppressed_values_count_nowhere()
    {
        // The export has no unit column, and "suppressed" where the publication hides the respondent's municipality.
        var export = "respondent_id,municipality,group,item,value\n"
            + string.Concat(LahtiAnswers.Select((v, i) => $"a{i},Lahti,guardian,q1,{v}\n"))
            + string.Concat(HollolaAnswers.Select((v, i) => $"b{i},Hollola,guardian,q1,{v}\n"))
            + "c0,Hartola,guardian,q1,suppressed\nc1,Hartola,guardian,q1,suppressed\n";
        var withoutThem = Header + Rows("Lahti", "guardian", "q1", LahtiAnswers) + Rows("Hollola", "guardian", "q1", HollolaAnswers);

        var (_, fromExport) = RunStats(export);
        var (_, reference) = RunStats(withoutThem);

        Assert.Equal(reference.GetRawText(), fromExport.GetRawText());
        var region = fromExport.GetProperty("items")[0].GetProperty("region");
        Assert.Equal((9, 1), (region.GetProperty("n").GetInt32(), region.GetProperty("cantSay").GetInt32()));
        Assert.DoesNotContain(fromExport.GetProperty("items")[0].GetProperty("municipalities").EnumerateArray(), m => m.GetProperty("municipality").GetString() == "Hartola");
    }

    private CliResult RunBad(string inputPath)
    {
        var output = folder.File("result.json");
        var result = CliRunner.Run("stats", "--input", inputPath, "--output", output);
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "No output is written for bad input.");
        return result;
    }

    [Theory]
    [InlineData("respondent_id,municipality,unit,item,value\nr1,Lahti,U,q1,3\n", 1, "'group'")]
    [InlineData("respondent_id,municipality,unit,group,item,value\nr1,Lahti,U,huoltaja,q1,3\nr2,Lahti,U,huoltaja,q1,4\nr3,Lahti,U,huoltaja,q1,7\n", 4, "'7'")]
    [InlineData("respondent_id,municipality,unit,group,item,value\nr1,Lahti,U,huoltaja,q1,eos\n", 2, "'eos'")]
    [InlineData("respondent_id,municipality,unit,group,item,value\nr1,Lahti,U,huoltaja,q1,3\nr2,Lahti,U,huoltaja,q1\n", 3, "kenttää")]
    [InlineData("respondent_id,municipality,unit,group,item,value\nr1,,U,huoltaja,q1,3\n", 2, "'municipality' on tyhjä")]
    [InlineData("respondent_id,municipality,unit,group,item,value\nr1,Lahti,U,huoltaja,q1,3\nr2,\"Lahti,U,huoltaja,q1,3\nr3,Lahti,U,huoltaja,q1,3\n", 3, "lainausmerkki")]
    [InlineData("respondent_id,municipality,unit,group,item,value\n\nr1,Lahti,U,huoltaja,q1,3\n\"r2\",\"Lahti\",U,\"huoltaja\nq1\",3\n", 4, "lainausmerkki")]
    [InlineData("respondent_id,municipality,unit,group,item,value\r\nr1,Lahti,U,huoltaja,q1,3\r\n\r\nr2,Lah\"ti,U,huoltaja,q1,3\r\n", 4, "lainausmerkki")]
    [InlineData("", 1, "tyhjä")]
    public void Bad_input_is_reported_with_its_line_and_fails(string csv, int line, string fragment)
    {
        var input = folder.Write("answers.csv", csv);

        var result = RunBad(input);

        Assert.StartsWith($"{input}:{line}: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(fragment, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_reported_with_its_line()
    {
        var input = folder.File("answers.csv");
        var latin1 = Encoding.Latin1.GetBytes(Header + "r1,Lahti,U,huoltaja,q1,3\nr2,Sysmä,U,huoltaja,q1,4\n");
        File.WriteAllBytes(input, latin1);

        var result = RunBad(input);

        Assert.StartsWith($"{input}:3: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("UTF-8", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_reported_on_line_one()
    {
        var input = folder.File("answers.csv");
        File.WriteAllBytes(input, Encoding.Latin1.GetBytes("respondent_id,municipality,unit,group,item,value,kommentti_ä\nr1,Lahti,U,huoltaja,q1,3,\n"));

        var result = RunBad(input);

        Assert.StartsWith($"{input}:1: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("UTF-8", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_file_is_reported_and_fails()
    {
        var input = folder.File("ei-ole.csv");

        var result = RunBad(input);

        Assert.Equal($"{input}: tiedostoa ei löydy", result.Stderr.Trim());
    }

    [Fact]
    public void An_unwritable_output_is_reported_and_fails()
    {
        var input = folder.Write("answers.csv", Header + Rows("Lahti", "huoltaja", "q1", "4"));
        var output = Path.Combine(folder.Path, "ei-ole", "result.json");

        var result = CliRunner.Run("stats", "--input", input, "--output", output);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{output}: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_options_fail_without_running()
    {
        var result = CliRunner.Run("stats", "--input", folder.File("answers.csv"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--output", result.Stderr, StringComparison.Ordinal);
    }
}
