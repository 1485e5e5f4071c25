using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Statistics;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The share agreeing post-stratified to the units' enrolment, as the snapshot stores it and the item page shows it.
/// The method itself is checked against numpy and statsmodels in Statistics.Tests; here the counts and enrolments
/// are chosen so that the expected figures follow by hand.
/// </summary>
public sealed class WeightingTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    private const string Item = "vk_h_001";

    [Fact]
    public async Task Shares_are_weighted_to_each_units_enrolment_and_the_item_page_shows_them_with_the_design_effect()
    {
        // Lahti: a unit of 100 where all 10 agree and a unit of 300 where none of 10 does; Heinola: one unit of 100, all 10 agree.
        var small = await TestData.UnitAsync(factory, "398", "Painotuspäiväkoti pieni");
        var large = await TestData.UnitAsync(factory, "398", "Painotuspäiväkoti suuri");
        var heinola = await TestData.UnitAsync(factory, "111", "Painotuspäiväkoti Heinola");
        await TestData.UserAsync(factory, "painotus.lahti", Roles.Director, "398");
        var round = await RoundAsync(2027, [(small, "5", 10), (large, "2", 10), (heinola, "4", 10)], new() { [small.Id] = 100, [large.Id] = 300, [heinola.Id] = 100 });

        var item = await ItemAsync(round);

        // Lahti: 100·1 + 300·0 over 400 = 25 % (unweighted 50 %); weights 0.5 and 1.5, deff = 20·(10·0.25 + 10·2.25)/20² = 1.25.
        var lahti = item.Municipalities.Single(m => m.Key == "398").Figures!;
        Assert.Equal(0.5, lahti.AgreeShare, 12);
        var weighted = lahti.Weighted!;
        Assert.Equal(0.25, weighted.Share, 12);
        Assert.Equal(1.25, weighted.DesignEffect, 12);
        Assert.Equal(16.0, weighted.EffectiveN, 12);

        // Published to whole per cent, the interval made from the published share and design effect.
        var wilson = Wilson.Interval(0.25, 16.0);
        Assert.Equal((Math.Round(wilson.Lower, 2), Math.Round(wilson.Upper, 2)), (weighted.Lower, weighted.Upper));
        Assert.Equal([["" + small.Id], ["" + large.Id]], weighted.Strata!.Select(s => s.ToArray()));

        // The region is stratified by municipality: Lahti 50 % of 20 weighs 400, Heinola 100 % of 10 weighs 100, so
        // (400·0.5 + 100·1) / 500 = 60 %, and deff = 30·((0.8²/20) + (0.2²/10)) = 1.08.
        var region = item.Region.Figures!.Weighted!;
        Assert.Equal(0.6, region.Share, 12);
        Assert.Equal(1.08, region.DesignEffect, 12);
        Assert.Equal(Math.Round(30 / 1.08), region.EffectiveN);

        // One unit: its own share, no design effect.
        var alone = item.Municipalities.Single(m => m.Key == "111").Figures!.Weighted!;
        Assert.Equal((1.0, 1.0, 10.0), (alone.Share, alone.DesignEffect, alone.EffectiveN));

        using var director = await Browser.SignedInAsync(factory, "painotus.lahti", TestData.Password);
        var (status, page) = await director.GetAsync($"/tulokset/{round}/kysymys/Guardian/{Item}");
        Assert.Equal(HttpStatusCode.OK, status);
        var section = page[page.IndexOf("<h2 id=\"painotettu\">", StringComparison.Ordinal)..];
        AssertShows(section, new Regex(@"<th scope=""row"">Lahti</th>\s*<td class=""num"">50&#xA0;%</td>\s*<td class=""num"">25&#xA0;%</td>\s*<td class=""num"">\d+–\d+&#xA0;%</td>\s*<td class=""num"">1,25</td>\s*<td class=""num"">16</td>"));
        AssertShows(section, new Regex(@"<th scope=""row"">Päijät-Häme</th>\s*<td class=""num"">67&#xA0;%</td>\s*<td class=""num"">60&#xA0;%</td>"));
    }

    [Fact]
    public async Task Without_a_units_enrolment_no_weighted_share_is_made_up()
    {
        var counted = await TestData.UnitAsync(factory, "098", "Painotuspäiväkoti laskettu");
        var uncounted = await TestData.UnitAsync(factory, "098", "Painotuspäiväkoti laskematon");
        await TestData.UserAsync(factory, "painotus.hollola", Roles.Director, "098");
        var round = await RoundAsync(2029, [(counted, "5", 8), (uncounted, "1", 8)], new() { [counted.Id] = 50 });

        var item = await ItemAsync(round);

        Assert.Null(item.Region.Figures!.Weighted);
        Assert.Null(item.Municipalities.Single(m => m.Key == "098").Figures!.Weighted);
        using var director = await Browser.SignedInAsync(factory, "painotus.hollola", TestData.Password);
        var (_, page) = await director.GetAsync($"/tulokset/{round}/kysymys/Guardian/{Item}");
        Assert.Contains("Painotettua osuutta ei voi laskea", page, StringComparison.Ordinal);
    }

    private static void AssertShows(string html, Regex row) =>
        Assert.True(row.IsMatch(html), $"{row} not in:\n{html[..Math.Min(html.Length, 3000)]}");

    private async Task<ItemResults> ItemAsync(int round) =>
        (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(round)))!.Groups.Single().Items.Single(i => i.ItemId == Item);

    private Task<int> RoundAsync(int year, (Arviointi.Web.Features.Organisation.Unit Unit, string Answer, int Count)[] answers, Dictionary<int, int> enrolment) =>
        TestData.PublishedRoundAsync(
            factory,
            year,
            answers.Select(a => (a.Unit, TestData.Forms(Item, TestData.Times(a.Answer, a.Count)))),
            enrolment);
}
