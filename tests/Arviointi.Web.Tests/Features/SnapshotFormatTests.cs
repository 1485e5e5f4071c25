using System.Text.Json;
using System.Text.Json.Nodes;
using Arviointi.Web.Features.Results;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The stored snapshot is a contract: after retention it is the only record of a round. Each folder under Snapshots/ is
/// the exact JSON that an earlier commit stored for the same small round (see each folder's README.md and SUMMARY.md):
/// today's code must read every one of them, with the same figures, at today's published precision.
/// </summary>
public sealed class SnapshotFormatTests
{
    public static TheoryData<string> Versions => new() { "febbb17", "32ca57e", "87153ba", "f457eb8" };

    private static string Golden(string version, string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Snapshots", version, file));

    private static RoundResults Read(string version)
    {
        var overview = SnapshotFormat.ReadOverview(Golden(version, "snapshot.json"));
        var folder = Path.Combine(AppContext.BaseDirectory, "Features", "Snapshots", version);
        foreach (var part in Directory.EnumerateFiles(folder, "part-units-*.json"))
        {
            overview = SnapshotBuilder.Merge(overview, SnapshotFormat.ReadUnits(File.ReadAllText(part), format: 1));
        }

        return SnapshotFormat.Normalize(overview);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_earlier_format_reads_with_its_figures_its_history_and_its_hidden_cells(string version)
    {
        var results = Read(version);

        Assert.Equal(SnapshotFormat.Current, results.Format);
        Assert.Equal(2025, results.Previous!.Year);
        var group = Assert.Single(results.Groups);
        Assert.Equal(31, group.Items.Count);

        // vk_h_002: region 65 answers, 67.7 % agreeing; Lahti 33 at 90.9 %, now at whole per cent; Hartola and Heinola hidden.
        var item = group.Items.Single(i => i.ItemId == "vk_h_002");
        Assert.Equal((65, 0.68), (item.Region.Figures!.N, item.Region.Figures.AgreeShare));
        var lahti = item.Municipalities.Single(m => m.Key == "398");
        Assert.Equal((33, 0.91), (lahti.Figures!.N, lahti.Figures.AgreeShare));
        Assert.Equal(0.01, lahti.Change!.Diff);
        Assert.Equal(["081", "111"], item.Municipalities.Where(m => m.Suppressed).Select(m => m.Key).Order());
        Assert.All(item.Municipalities.Where(m => m.Suppressed), m => Assert.Null(m.Figures));

        // The trend survives: one earlier point with the three municipalities then shown.
        var point = Assert.Single(item.History!);
        Assert.Equal(2025, point.Year);
        Assert.Equal(["098", "111", "398"], point.Municipalities.Keys.Order());

        // Units, inline or in parts: Tähti (3 answers) and Kuu hidden in Lahti; and Heinola's only unit, which format 1
        // showed although Heinola was hidden (its 14 answers gave the hidden municipality away), is hidden on reading.
        Assert.Equal(["2", "3", "7", "8"], item.Units.Where(u => u.Suppressed).Select(u => u.Key).Order());
        Assert.Equal(10, item.Units.Single(u => u.Key == "4").Figures!.N);

        // Weighted shares of format 1 had no strata, so nobody can tell whether they separated hidden units: dropped.
        Assert.All(group.Items.SelectMany(i => i.Municipalities.Prepend(i.Region)), c => Assert.Null(c.Figures?.Weighted));
    }

    [Theory]
    [InlineData("febbb17", false)]
    [InlineData("32ca57e", true)]
    [InlineData("f457eb8", true)]
    public void Filters_read_where_the_format_had_them(string version, bool filters)
    {
        var group = Read(version).Groups.Single();

        Assert.Equal(filters, group.Filters is { Count: 2 });
    }

    [Fact]
    public void A_renamed_or_missing_property_fails_instead_of_losing_a_figure()
    {
        var json = Golden("f457eb8", "snapshot.json");

        Assert.Throws<JsonException>(() => SnapshotFormat.ReadOverview(json.Replace("\"agreeShare\"", "\"agreementShare\"", StringComparison.Ordinal)));

        var node = JsonNode.Parse(json)!;
        node["groups"]![0]!["items"]![0]!.AsObject().Remove("itemId");
        Assert.Throws<JsonException>(() => SnapshotFormat.ReadOverview(node.ToJsonString()));
    }

    [Fact]
    public void A_snapshot_of_a_newer_format_is_refused_not_guessed()
    {
        var node = JsonNode.Parse(Golden("f457eb8", "snapshot.json"))!;
        node["format"] = SnapshotFormat.Current + 1;

        var error = Assert.Throws<JsonException>(() => SnapshotFormat.ReadOverview(node.ToJsonString()));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_current_format_reads_back_what_it_wrote()
    {
        var upgraded = Read("f457eb8");
        var written = JsonSerializer.Serialize(upgraded, SnapshotFormat.Json);

        var again = SnapshotFormat.ReadOverview(written);

        Assert.Equal(written, JsonSerializer.Serialize(again, SnapshotFormat.Json));
        Assert.Contains("\"format\":2", written, StringComparison.Ordinal);
        Assert.DoesNotContain("suppressionReason", written, StringComparison.Ordinal);
    }
}
