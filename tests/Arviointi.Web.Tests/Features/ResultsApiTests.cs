using System.Net;
using System.Text.Json;
using Arviointi.Statistics;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The results as JSON: the stored snapshot with the pages' disclosure and scope, in the shape of the stats command's
/// output. Hidden municipalities carry their reason and nothing else; nobody gets figures the pages would not show them.
/// </summary>
public sealed class ResultsApiTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    private const string Item = "vk_h_001";

    [Fact]
    public async Task The_api_gives_the_pages_figures_in_the_commands_shape_and_never_a_hidden_or_out_of_scope_one()
    {
        var lahti = await TestData.UnitAsync(factory, "398", "Rajapintapäiväkoti Lahti");
        var lahti2 = await TestData.UnitAsync(factory, "398", "Rajapintapäiväkoti Lahti 2");
        var heinola = await TestData.UnitAsync(factory, "111", "Rajapintapäiväkoti Heinola");
        var hollola = await TestData.UnitAsync(factory, "098", "Rajapintapäiväkoti Hollola");
        var hartola = await TestData.UnitAsync(factory, "081", "Rajapintapäiväkoti Hartola");
        await TestData.UserAsync(factory, "rajapinta.lahti", Roles.Director, "398");
        await TestData.UserAsync(factory, "rajapinta.johtaja", Roles.UnitLeader, "398", lahti.Id);
        await TestData.UserAsync(factory, "rajapinta.analyytikko", Roles.Analyst);

        // Lahti 24 of 30 agreeing in one unit and 3 answers in another; Heinola 12 of 40, Hollola 15 of 30, Hartola 3 answers.
        var round = await TestData.PublishedRoundAsync(factory, 2027, [
            Answers(lahti, [.. TestData.Times("5", 24), .. TestData.Times("2", 6)]),
            Answers(lahti2, TestData.Times("4", 3)),
            Answers(heinola, [.. TestData.Times("4", 12), .. TestData.Times("1", 28)]),
            Answers(hollola, [.. TestData.Times("4", 15), .. TestData.Times("2", 15)]),
            Answers(hartola, TestData.Times("5", 3))]);

        using var director = await Browser.SignedInAsync(factory, "rajapinta.lahti", TestData.Password);
        var (status, body) = await director.GetAsync($"/api/rounds/{round}/results");
        Assert.Equal(HttpStatusCode.OK, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(2027, document.RootElement.GetProperty("year").GetInt32());
        var item = document.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetString() == Item);
        Assert.Equal("Guardian", item.GetProperty("group").GetString());

        // The library's comparison of the same counts, which Statistics.Tests checks against scipy.
        var expected = Comparison.Compare<string>([
            new("111", "Heinola", [0, 28, 0, 0, 12, 0, 0]), new("081", "Hartola", [0, 0, 0, 0, 0, 3, 0]),
            new("098", "Hollola", [0, 0, 15, 0, 15, 0, 0]), new("398", "Lahti", [0, 0, 6, 0, 3, 24, 0])]);
        // Shares are published to whole per cent and means to two decimals, as on the pages.
        var region = item.GetProperty("region");
        Assert.Equal(expected.Total.N, region.GetProperty("n").GetInt32());
        Assert.Equal(Math.Round(expected.Total.AgreeShare, 2), region.GetProperty("agreeShare").GetDouble());
        Assert.Equal([Math.Round(expected.Total.AgreeCi.Lower, 2), Math.Round(expected.Total.AgreeCi.Upper, 2)], region.GetProperty("agreeCi").EnumerateArray().Select(x => x.GetDouble()));

        var cells = item.GetProperty("municipalities").EnumerateArray().ToDictionary(m => m.GetProperty("municipality").GetString()!);
        var lahtiCell = cells["398"];
        var lahtiExpected = expected.Cells.Single(c => c.Key == "398");
        Assert.False(lahtiCell.GetProperty("suppressed").GetBoolean());
        Assert.Equal(33, lahtiCell.GetProperty("n").GetInt32());
        Assert.Equal(Math.Round(lahtiExpected.Summary!.Mean, 2), lahtiCell.GetProperty("mean").GetDouble());
        Assert.Equal(Math.Round(lahtiExpected.Summary.Sd, 2), lahtiCell.GetProperty("sd").GetDouble());
        var vsRest = lahtiCell.GetProperty("vsRest");
        Assert.Equal(Math.Round(lahtiExpected.VsRest!.AgreeDifference, 2), vsRest.GetProperty("agreeDiff").GetDouble());
        Assert.Equal([Math.Round(lahtiExpected.VsRest.AgreeDifferenceCi.Lower, 2), Math.Round(lahtiExpected.VsRest.AgreeDifferenceCi.Upper, 2)], vsRest.GetProperty("agreeDiffCi").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(lahtiExpected.VsRest.MannWhitneyP, vsRest.GetProperty("mannWhitneyP").GetDouble());
        Assert.Equal(lahtiExpected.HolmP!.Value, vsRest.GetProperty("holmP").GetDouble());
        Assert.Equal(Math.Round(lahtiExpected.VsRest.CliffsDelta, 2), vsRest.GetProperty("cliffsDelta").GetDouble());
        Assert.Equal(expected.KruskalWallis!.H, item.GetProperty("kruskalWallis").GetProperty("h").GetDouble());

        // Hartola (3 answers) and Hollola (its complement) say only that they are hidden: no n, no share, no reason.
        Assert.Equal(["municipality", "name", "suppressed"], cells["081"].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["municipality", "name", "suppressed"], cells["098"].EnumerateObject().Select(p => p.Name));
        Assert.False(item.TryGetProperty("units", out _));

        // The own municipality with its units: the 3-answer unit and its complement are hidden the same way.
        var (_, own) = await director.GetAsync($"/api/rounds/{round}/results/398");
        using var ownDocument = JsonDocument.Parse(own);
        var units = ownDocument.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetString() == Item).GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(2, units.Count);
        Assert.All(units, u => Assert.Equal(["municipality", "unit", "name", "suppressed"], u.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync($"/api/rounds/{round}/results/111")).Status);

        // A unit leader sees the region and the own municipality only; an analyst has the export, not this.
        using var leader = await Browser.SignedInAsync(factory, "rajapinta.johtaja", TestData.Password);
        var (_, leaderBody) = await leader.GetAsync($"/api/rounds/{round}/results");
        using var leaderDocument = JsonDocument.Parse(leaderBody);
        Assert.All(leaderDocument.RootElement.GetProperty("items").EnumerateArray(), i =>
            Assert.All(i.GetProperty("municipalities").EnumerateArray(), m => Assert.Equal("398", m.GetProperty("municipality").GetString())));
        Assert.DoesNotContain("Heinola", leaderBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"/api/rounds/{round}/results/398")).Status);
        using var analyst = await Browser.SignedInAsync(factory, "rajapinta.analyytikko", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/api/rounds/{round}/results")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await director.GetAsync("/api/rounds/99999/results")).Status);
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var refused = await anonymous.GetAsync(new Uri($"/api/rounds/{round}/results", UriKind.Relative));
        Assert.Contains(refused.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Redirect });
        Assert.DoesNotContain("agreeShare", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static (Arviointi.Web.Features.Organisation.Unit, IReadOnlyList<Dictionary<string, string>>) Answers(Arviointi.Web.Features.Organisation.Unit unit, string[] values) =>
        (unit, TestData.Forms(Item, values));
}
