using System.Text.Json;

namespace Arviointi.Cli.Tests;

/// <summary>Runs the stats command once on fixtures/stats-answers.csv.</summary>
public sealed class StatsFixtureRun : IDisposable
{
    private readonly TempFolder folder = new();

    public StatsFixtureRun()
    {
        var output = folder.File("result.json");
        Result = CliRunner.Run("stats", "--input", Path.Combine(AppContext.BaseDirectory, "fixtures", "stats-answers.csv"), "--output", output);
        if (Result.ExitCode == 0)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(output));
            Json = document.RootElement.Clone();
        }
    }

    internal CliResult Result { get; }

    internal JsonElement Json { get; }

    public void Dispose() => folder.Dispose();
}

// fixtures/stats-answers.csv is written by reference/make_stats_fixture.py, which lists the cases it covers. The expected values
// below are printed by reference/stats_reference.py --csharp on the same file (Debian's python3: scipy 1.10.1, statsmodels 0.13.5,
// numpy 1.24.2, mpmath 1.2.1), x being a municipality's answers 1–5 and rest all other municipalities' answers pooled:
//   mean = numpy.mean(x); sd = numpy.std(x, ddof=1);
//   meanCi = mean ∓ t(0.975, n-1)·scipy.stats.sem(x), as scipy.stats.t.interval but with t from mpmath (scipy 1.10's t.ppf is 1e-9 off);
//   agreeShare = share of 4–5; agreeCi = statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method='wilson');
//   vsRest.agreeDiff = k/n − k_rest/n_rest;
//   vsRest.agreeDiffCi = statsmodels.stats.proportion.confint_proportions_2indep(k, n, k_rest, n_rest, method='newcomb', compare='diff');
//   vsRest.mannWhitneyP = scipy.stats.mannwhitneyu(x, rest, alternative='two-sided', method='asymptotic', use_continuity=True).pvalue;
//   vsRest.holmP = statsmodels.stats.multitest.multipletests(mannWhitneyP of the visible municipalities, method='holm')[1];
//   vsRest.cliffsDelta = numpy.sign(numpy.subtract.outer(x, rest)).mean();
//   kruskalWallis = scipy.stats.kruskal(*x of the visible municipalities); all answers equal: h = 0, p = 1 where scipy raises.
public sealed class StatsFixtureTests(StatsFixtureRun run) : IClassFixture<StatsFixtureRun>
{
    private static readonly ExpectedItem[] Expected =
    [
        new("q1", "huoltaja",
            Region: new(73, 4, 3.452054794520548, 1.236494775682127, [3.1635592180712826, 3.7405503709698134], 0.589041095890411, [0.4744922324418476, 0.6946872729906935]),
            KruskalWallis: new(11.12857886629703, 2, 0.0038323026852519803),
            Municipalities:
            [
                new("Hartola", "complementary", null, null),
                new("Heinola", null,
                    new(9, 1, 2.7777777777777777, 1.3017082793177759, [1.7771962194656805, 3.778359336089875], 0.3333333333333333, [0.1205838183869109, 0.6457978644196039]),
                    new(-0.2916666666666667, [-0.530413299435592, 0.04395127895825379], 0.09067586845765112, 0.09067586845765112, -0.3385416666666667)),
                new("Hollola", null,
                    new(15, 1, 2.6666666666666665, 1.2909944487358056, [1.9517377706940653, 3.381595562639268], 0.3333333333333333, [0.1517632443971472, 0.5828645226148023]),
                    new(-0.3218390804597701, [-0.5337258030300013, -0.041167227537690476], 0.008652226229731915, 0.01730445245946383, -0.4264367816091954)),
                new("Lahti", null,
                    new(40, 0, 3.825, 1.0833826418758743, [3.478517421912425, 4.171482578087575], 0.725, [0.5716504419378943, 0.8389198375233267]),
                    new(0.3007575757575757, [0.07352569669937689, 0.49061864464026606], 0.0052062549076066994, 0.0156187647228201, 0.36818181818181817)),
                new("Sysmä", "n<5", null, null),
            ]),
        new("q2", "huoltaja",
            Region: new(62, 18, 3.0483870967741935, 1.2337789391339316, [2.735065913351848, 3.361708280196539], 0.4838709677419355, [0.36409859838245745, 0.6055254039433934]),
            KruskalWallis: new(20.045913085349685, 3, 0.00016606377735240183),
            Municipalities:
            [
                new("Hartola", null,
                    new(7, 2, 2.2857142857142856, 1.3801311186847083, [1.0093058884773112, 3.56212268295126], 0.14285714285714285, [0.02567962434474355, 0.5131278292743189]),
                    new(-0.3844155844155844, [-0.5563320676264644, 0.00780079473167139], 0.0891992195159305, 0.0891992195159305, -0.38181818181818183)),
                new("Heinola", null,
                    new(8, 2, 4.0, 0.0, [4.0, 4.0], 1.0, [0.6755924351161198, 1.0]),
                    new(0.5925925925925926, [0.2420086735507011, 0.7132178791408542], 0.018136571143983114, 0.05440971343194934, 0.5)),
                new("Hollola", null,
                    new(12, 2, 4.166666666666667, 0.5773502691896257, [3.7998358066513935, 4.53349752668194], 0.9166666666666666, [0.646120088858883, 0.9851349055950829]),
                    new(0.5366666666666666, [0.23273170193798115, 0.6760190547869777], 0.00039474056124506543, 0.0015789622449802617, 0.635)),
                new("Kärkölä", "n<5", null, null),
                new("Lahti", null,
                    new(30, 5, 2.7333333333333334, 1.1426929274467317, [2.3066447817946454, 3.1600218848720214], 0.3333333333333333, [0.19230498083676129, 0.5121994835545616]),
                    new(-0.2916666666666667, [-0.49441320818899526, -0.04320309535424685], 0.04262565788580584, 0.08525131577161169, -0.2875)),
                new("Padasjoki", "n<5", null, null),
                new("Sysmä", "n<5", null, null),
            ]),
        new("q3", "huoltaja",
            Region: new(10, 17, 2.4, 0.9660917830792959, [1.708899571172712, 3.091100428827288], 0.1, [0.017876213095072924, 0.40415002679523854]),
            KruskalWallis: null,
            Municipalities:
            [
                new("Lahti", null,
                    new(10, 17, 2.4, 0.9660917830792959, [1.708899571172712, 3.091100428827288], 0.1, [0.017876213095072924, 0.40415002679523854]),
                    new(null, [null, null], null, null, null)),
            ]),
        new("q4", "huoltaja",
            Region: new(30, 12, 3.566666666666667, 1.4064710873459965, [3.041481731478834, 4.0918516018545], 0.6666666666666666, [0.48780051644543837, 0.8076950191632386]),
            KruskalWallis: new(21.044992743105954, 1, 4.486237099900366e-06),
            Municipalities:
            [
                new("Hollola", null,
                    new(10, 2, 1.8, 0.7888106377466155, [1.2357188627848341, 2.364281137215166], 0.0, [0.0, 0.27753279986288926]),
                    new(-1.0, [-1.0, -0.6790860371419145], 5.005793754698863e-06, 1.0011587509397725e-05, -1.0)),
                new("Lahti", null,
                    new(20, 10, 4.45, 0.5104177855340405, [4.211117123077116, 4.688882876922884], 1.0, [0.8388748419471804, 0.9999999999999999]),
                    new(1.0, [0.6790860371419145, 1.0], 5.005793754698863e-06, 1.0011587509397725e-05, 1.0)),
            ]),
        new("q1", "henkilosto",
            Region: new(12, 2, 5.0, 0.0, [5.0, 5.0], 1.0, [0.7575059933447589, 0.9999999999999999]),
            KruskalWallis: new(0.0, 1, 1.0),
            Municipalities:
            [
                new("Hollola", null,
                    new(5, 1, 5.0, 0.0, [5.0, 5.0], 1.0, [0.5655175352168252, 1.0]),
                    new(0.0, [-0.43448246478317476, 0.3543304350666875], 1.0, 1.0, 0.0)),
                new("Lahti", null,
                    new(7, 1, 5.0, 0.0, [5.0, 5.0], 1.0, [0.6456695649333125, 0.9999999999999999]),
                    new(0.0, [-0.3543304350666875, 0.43448246478317476], 1.0, 1.0, 0.0)),
            ]),
    ];

    public static TheoryData<string> Items => new(Expected.Select(e => $"{e.Item}/{e.Group}"));

    [Fact]
    public void The_command_succeeds_and_lists_the_items_in_order_of_first_appearance()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.Stderr);
        Assert.Equal(["items"], run.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Expected.Select(e => $"{e.Item}/{e.Group}"), run.Json.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("item")}/{i.GetProperty("group")}"));
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void Figures_tests_and_suppression_match_scipy(string key)
    {
        var expected = Expected.Single(e => $"{e.Item}/{e.Group}" == key);
        var item = run.Json.GetProperty("items").EnumerateArray().Single(i => $"{i.GetProperty("item")}/{i.GetProperty("group")}" == key);

        Assert.Equal(["item", "group", "region", "municipalities", "kruskalWallis"], item.EnumerateObject().Select(p => p.Name));
        AssertFigures(expected.Region, item.GetProperty("region"));
        if (expected.KruskalWallis is { } test)
        {
            var actual = item.GetProperty("kruskalWallis");
            Assert.Equal(["h", "df", "p"], actual.EnumerateObject().Select(p => p.Name));
            AssertClose(test.H, actual.GetProperty("h"));
            Assert.Equal(test.Df, actual.GetProperty("df").GetInt32());
            AssertClose(test.P, actual.GetProperty("p"));
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, item.GetProperty("kruskalWallis").ValueKind);
        }

        var municipalities = item.GetProperty("municipalities").EnumerateArray().ToList();
        Assert.Equal(expected.Municipalities.Select(m => m.Name), municipalities.Select(m => m.GetProperty("municipality").GetString()));
        foreach (var (want, actual) in expected.Municipalities.Zip(municipalities))
        {
            if (want.SuppressionReason is { } reason)
            {
                // A hidden municipality carries its name and the reason, nothing else: not even n.
                Assert.Equal(["municipality", "suppressed", "suppressionReason"], actual.EnumerateObject().Select(p => p.Name));
                Assert.True(actual.GetProperty("suppressed").GetBoolean());
                Assert.Equal(reason, actual.GetProperty("suppressionReason").GetString());
                continue;
            }

            Assert.Equal(
                ["municipality", "suppressed", "n", "cantSay", "mean", "sd", "meanCi", "agreeShare", "agreeCi", "vsRest"],
                actual.EnumerateObject().Select(p => p.Name));
            Assert.False(actual.GetProperty("suppressed").GetBoolean());
            AssertFigures(want.Figures!, actual);
            var vsRest = actual.GetProperty("vsRest");
            Assert.Equal(["agreeDiff", "agreeDiffCi", "mannWhitneyP", "holmP", "cliffsDelta"], vsRest.EnumerateObject().Select(p => p.Name));
            AssertClose(want.VsRest!.AgreeDiff, vsRest.GetProperty("agreeDiff"));
            AssertPair(want.VsRest.AgreeDiffCi, vsRest.GetProperty("agreeDiffCi"));
            AssertClose(want.VsRest.MannWhitneyP, vsRest.GetProperty("mannWhitneyP"));
            AssertClose(want.VsRest.HolmP, vsRest.GetProperty("holmP"));
            AssertClose(want.VsRest.CliffsDelta, vsRest.GetProperty("cliffsDelta"));
        }
    }

    private static void AssertFigures(ExpectedFigures expected, JsonElement actual)
    {
        Assert.Equal(expected.N, actual.GetProperty("n").GetInt32());
        Assert.Equal(expected.CantSay, actual.GetProperty("cantSay").GetInt32());
        AssertClose(expected.Mean, actual.GetProperty("mean"));
        AssertClose(expected.Sd, actual.GetProperty("sd"));
        AssertPair(expected.MeanCi, actual.GetProperty("meanCi"));
        AssertClose(expected.AgreeShare, actual.GetProperty("agreeShare"));
        AssertPair(expected.AgreeCi, actual.GetProperty("agreeCi"));
    }

    private static void AssertPair(double?[] expected, JsonElement actual)
    {
        Assert.Equal(2, actual.GetArrayLength());
        AssertClose(expected[0], actual[0]);
        AssertClose(expected[1], actual[1]);
    }

    // Relative 1e-9, with an absolute floor for bounds at 0, where statsmodels leaves 5.6e-17 and the command has 0 exactly.
    private static void AssertClose(double? expected, JsonElement actual)
    {
        if (expected is not { } value)
        {
            Assert.Equal(JsonValueKind.Null, actual.ValueKind);
            return;
        }

        Assert.True(Math.Abs(value - actual.GetDouble()) <= Math.Max(1e-9 * Math.Abs(value), 1e-15), $"Expected {value:R}, got {actual}.");
    }
}

internal sealed record ExpectedFigures(int N, int CantSay, double? Mean, double? Sd, double?[] MeanCi, double? AgreeShare, double?[] AgreeCi);

internal sealed record ExpectedVsRest(double? AgreeDiff, double?[] AgreeDiffCi, double? MannWhitneyP, double? HolmP, double? CliffsDelta);

internal sealed record ExpectedMunicipality(string Name, string? SuppressionReason, ExpectedFigures? Figures, ExpectedVsRest? VsRest);

internal sealed record ExpectedKruskalWallis(double H, int Df, double P);

internal sealed record ExpectedItem(string Item, string Group, ExpectedFigures Region, ExpectedKruskalWallis? KruskalWallis, ExpectedMunicipality[] Municipalities);
