using Arviointi.Audit;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Results.Publication;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The attacker in the tests: for every kind of viewer, everything that viewer can fetch of a round is read as linear
/// facts and every small hidden count is solved for (DisclosureAuditor, Arviointi.Audit). No range may be narrower than
/// five. The rounds are the demo's and rounds made to be hard: a unit of one, two small units, unanimous answers, a
/// background filter whose unanswered group is empty, a hidden municipality, weighted and unweighted figures together.
/// </summary>
public sealed class DisclosureAuditTests(ArviointiFactory factory, ITestOutputHelper output) : IClassFixture<ArviointiFactory>
{
    private const string Item = "vk_h_001";

    [Fact]
    public async Task A_unit_of_one_and_two_small_units_stay_unsolvable_for_every_viewer()
    {
        var lahti1 = await TestData.UnitAsync(factory, "398", "Hyökkäys yhden yksikkö");
        var lahti2 = await TestData.UnitAsync(factory, "398", "Hyökkäys kahden yksikkö");
        var lahti3 = await TestData.UnitAsync(factory, "398", "Hyökkäys kahden toinen");
        var lahti4 = await TestData.UnitAsync(factory, "398", "Hyökkäys iso");
        var hollola = await TestData.UnitAsync(factory, "098", "Hyökkäys Hollola");
        var heinola = await TestData.UnitAsync(factory, "111", "Hyökkäys Heinola");
        var round = await TestData.PublishedRoundAsync(factory, 2031, [
            (lahti1, TestData.Forms(Item, ["2"])),
            (lahti2, TestData.Forms(Item, ["1", "5"])),
            (lahti3, TestData.Forms(Item, ["4", "4"])),
            (lahti4, TestData.Forms(Item, [.. TestData.Times("4", 20), .. TestData.Times("3", 6)])),
            (hollola, TestData.Forms(Item, [.. TestData.Times("5", 12), .. TestData.Times("2", 3)])),
            (heinola, TestData.Forms(Item, [.. TestData.Times("3", 9), "1"]))],
            new Dictionary<int, int> { [lahti1.Id] = 12, [lahti2.Id] = 20, [lahti3.Id] = 25, [lahti4.Id] = 60, [hollola.Id] = 40, [heinola.Id] = 30 });

        var audits = await AuditAsync(round, "unit of one, two small units, weighted");

        var item = await ItemAsync(round);
        Assert.All(item.Units.Where(u => u.Key == $"{lahti1.Id}" || u.Key == $"{lahti2.Id}" || u.Key == $"{lahti3.Id}"), u => Assert.True(u.Suppressed));
        Assert.NotNull(item.Region.Figures!.Weighted);
        Assert.Contains(audits, a => a.Report.ProtectedCells > 0);
    }

    [Fact]
    public async Task Unanimous_answers_and_a_hidden_municipality_give_nothing_away()
    {
        var lahti = await TestData.UnitAsync(factory, "398", "Yksimielinen Lahti");
        var lahtiSmall = await TestData.UnitAsync(factory, "398", "Yksimielinen pieni");
        var hartola = await TestData.UnitAsync(factory, "081", "Yksimielinen Hartola");
        var sysma = await TestData.UnitAsync(factory, "781", "Yksimielinen Sysmä");
        var iitti = await TestData.UnitAsync(factory, "142", "Yksimielinen Iitti");
        var round = await TestData.PublishedRoundAsync(factory, 2033, [
            (lahti, TestData.Forms(Item, TestData.Times("5", 25))),
            (lahtiSmall, TestData.Forms(Item, TestData.Times("5", 3))),
            (hartola, TestData.Forms(Item, TestData.Times("5", 2))),
            (sysma, TestData.Forms(Item, TestData.Times("5", 7))),
            (iitti, TestData.Forms(Item, TestData.Times("5", 11)))]);

        await AuditAsync(round, "unanimous, hidden municipality");

        var item = await ItemAsync(round);
        Assert.True(item.Municipalities.Single(m => m.Key == "081").Suppressed);
        Assert.Equal(2, item.Municipalities.Count(m => m.Suppressed));
    }

    [Fact]
    public async Task A_background_filter_whose_unanswered_group_is_empty_gives_no_cover_and_nothing_away()
    {
        var units = new List<Unit>();
        foreach (var (code, name) in new[] { ("398", "Suodin Lahti"), ("098", "Suodin Hollola"), ("111", "Suodin Heinola") })
        {
            units.Add(await TestData.UnitAsync(factory, code, name));
        }

        // Everyone gives the age band; one band is small in the region (7), another just over ten.
        static Dictionary<string, string>[] Forms(string age, string answer, int count) =>
            [.. Enumerable.Range(0, count).Select(_ => new Dictionary<string, string> { ["a_" + Item] = answer, ["a_vk_h_age_band"] = age })];
        var round = await TestData.PublishedRoundAsync(factory, 2035, [
            (units[0], [.. Forms("0-2", "5", 4), .. Forms("3-5", "4", 20), .. Forms("6", "2", 6)]),
            (units[1], [.. Forms("0-2", "1", 3), .. Forms("3-5", "3", 15)]),
            (units[2], [.. Forms("3-5", "4", 12), .. Forms("6", "5", 5)])]);

        await AuditAsync(round, "filter without an unanswered group");

        var results = (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(round)))!;
        var age = results.Groups.Single().Filters!.Single(f => f.BackgroundItemId == "vk_h_age_band");
        Assert.Null(age.Options.Single(o => o.OptionId == "0-2").Items.Single(i => i.ItemId == Item).Region.Figures);
    }

    [Fact]
    public async Task Lists_of_open_answers_are_audited_with_everything_else_and_a_hidden_partners_list_would_solve_the_small_unit()
    {
        var small = await TestData.UnitAsync(factory, "398", "Avoin pieni");
        var partner = await TestData.UnitAsync(factory, "398", "Avoin kumppani");
        var big = await TestData.UnitAsync(factory, "398", "Avoin iso");
        var heinola = await TestData.UnitAsync(factory, "111", "Avoin Heinola");
        static IReadOnlyList<Dictionary<string, string>> Open(int count, int agreeing) =>
            [.. Enumerable.Range(0, count).Select(i => new Dictionary<string, string> { ["a_" + Item] = i < agreeing ? "5" : "2", ["t_vk_h_open"] = $"Vastaus {i}" })];
        var round = await TestData.PublishedRoundAsync(factory, 2037, [(small, Open(2, 1)), (partner, Open(12, 6)), (big, Open(25, 20)), (heinola, Open(15, 9))]);

        await AuditAsync(round, "open answers");

        var (results, open) = await factory.WithScopeAsync(async s => (
            (await s.GetRequiredService<SnapshotBuilder>().LoadWholeAsync(round))!,
            await Arviointi.Web.Features.OpenAnswers.OpenAnswerReader.CountAsync(s.GetRequiredService<Arviointi.Web.Data.AppDbContext>(), round, default)));
        var everything = PublicationViews.Of(results, Viewer.Everything, open: open).Groups.Single();
        var rates = results.Groups.Single().Rates!.Cells;
        Assert.True(rates.Single(c => c.Key == $"{small.Id}").Suppressed);
        Assert.True(rates.Single(c => c.Key == $"{partner.Id}").Suppressed);

        // The lists the rule shows: the big unit's, Heinola's unit's, and the two municipalities' (Lahti's holding all 39,
        // its two hidden units having 14 between them). The partner's 12 are no list of their own.
        (string, int)[] expected = [($"unit {big.Id}", 25), ($"unit {heinola.Id}", 15), ("municipality 111", 15), ("municipality 398", 39)];
        Assert.Equal(expected.Order(), everything.OpenLists.Select(l => (l.Cell.ToString(), l.Answers)).Order());
        var director = PublicationViews.Of(results, new Viewer(ViewerKind.Director, "398"), open: open).Groups.Single();
        Assert.Equal([("municipality 398", 39)], director.OpenLists.Select(l => (l.Cell.ToString(), l.Answers)));
        var leader = PublicationViews.Of(results, new Viewer(ViewerKind.UnitLeader, "398", $"{partner.Id}"), open: open).Groups.Single();
        Assert.Empty(leader.OpenLists);

        // Were the partner's 12 answers listed, the small unit would have at most 2 respondents: the audit says so.
        var forged = everything with { OpenLists = [.. everything.OpenLists, new PublishedOpenList("vk_h_open", new CellRef(Level.Unit, $"{partner.Id}"), [$"{partner.Id}"], 12)] };
        var report = Attack.Solve(Reader.Read(new Arviointi.Audit.Publication("forged", PublicationViews.Precision, [forged])));
        Assert.Contains(report.Disclosed, d => d.Target.Origin!.Cell == new CellRef(Level.Unit, $"{small.Id}"));
        Assert.Empty(Attack.Solve(Reader.Read(new Arviointi.Audit.Publication("as shown", PublicationViews.Precision, [everything]))).Disclosed);
    }

    /// <summary>Audits the round for every viewer kind and writes the figures; every small hidden count stays at least five wide.</summary>
    private async Task<IReadOnlyList<ViewerAudit>> AuditAsync(int round, string what)
    {
        var audits = await factory.WithScopeAsync(s => s.GetRequiredService<DisclosureAuditor>().AuditAsync(round, everyUnitLeader: true, solveUnitLeaders: true));
        foreach (var audit in audits)
        {
            output.WriteLine($"{what} | {audit.Viewer}: hidden {audit.Report.HiddenCells}, protected {audit.Report.ProtectedCells}, narrowest n {audit.Report.NarrowestSize?.Width}, narrowest count {audit.Report.NarrowestCount?.Width}, disclosed {audit.Report.Disclosed.Count}");
        }

        Assert.Contains(audits, a => a.Viewer.Kind == ViewerKind.Everything);
        Assert.Contains(audits, a => a.Viewer.Kind == ViewerKind.Director);
        Assert.Contains(audits, a => a.Viewer.Kind == ViewerKind.UnitLeader);
        Assert.Contains(audits, a => a.Viewer.Kind == ViewerKind.Analyst);
        Assert.All(audits, a => Assert.Empty(a.Report.Disclosed));

        // A unit leader sees part of what everyone does, so every hidden count a leader sees is among everyone's (what
        // lets the demo's audit bound unit leaders by everyone's ranges).
        var everything = audits.Single(a => a.Viewer.Kind == ViewerKind.Everything).Report.Ranges.Select(r => (r.Target.Key, r.Target.Quantity)).ToHashSet();
        Assert.All(audits.Where(a => a.Viewer.Kind == ViewerKind.UnitLeader).SelectMany(a => a.Report.Ranges), r => Assert.Contains((r.Target.Key, r.Target.Quantity), everything));

        // The strongest reader can read every published figure linearly (weighted shares included).
        Assert.Empty(audits.Single(a => a.Viewer.Kind == ViewerKind.Everything).Report.Unusable);

        // And the reading is true to the data: every exactly solved hidden n holds its real value.
        var counts = await factory.WithScopeAsync(async s => (await s.GetRequiredService<SnapshotBuilder>().CountAsync(round)).ToDictionary(c => c.Counts.Group.ToString(), c => c.Counts));
        Assert.All(audits.SelectMany(a => a.Report.Ranges).Where(r => r.Exact && r.Target.Quantity == "n"), r =>
            Assert.InRange(counts[r.Target.Origin!.Group].SizeOf(r.Target.Origin), r.Lower, r.Upper));
        return audits;
    }

    private async Task<ItemResults> ItemAsync(int round)
    {
        var results = await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadWholeAsync(round));
        return results!.Groups.Single().Items.Single(i => i.ItemId == Item);
    }
}

/// <summary>The audit over the demo's published round, as the coordinator would run it before publishing.</summary>
public sealed class DemoDisclosureAuditTests(DemoFactory factory, ITestOutputHelper output) : IClassFixture<DemoFactory>
{
    [Fact]
    public async Task No_viewer_of_the_demo_round_can_narrow_a_small_hidden_count_below_five()
    {
        await using var db = factory.CreateDbContext();
        var round = await db.Rounds.Where(r => r.State == RoundState.Published).OrderByDescending(r => r.Year).FirstAsync();

        var audits = await factory.WithScopeAsync(s => s.GetRequiredService<DisclosureAuditor>().AuditAsync(round.Id));

        foreach (var audit in audits)
        {
            output.WriteLine($"demo {round.Year} | {audit.Viewer}: hidden {audit.Report.HiddenCells}, protected {audit.Report.ProtectedCells}, narrowest n {audit.Report.NarrowestSize?.Width}, narrowest count {audit.Report.NarrowestCount?.Width}, disclosed {audit.Report.Disclosed.Count}, {audit.Report.Elapsed.TotalSeconds:0.0} s");
        }

        Assert.Equal(1 + 1 + 10 + 10, audits.Count);
        Assert.All(audits, a => Assert.Empty(a.Report.Disclosed));
        Assert.True(audits.Single(a => a.Viewer.Kind == ViewerKind.Everything).Report.ProtectedCells > 0);

        // The snapshot stored the same audit's figures when it was made.
        var results = (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(round.Id)))!;
        Assert.NotNull(results.Audit);
        Assert.True(results.Audit.HiddenCells > 0);
        Assert.True(results.Audit.NarrowestSize is null || results.Audit.NarrowestSize >= 5);
    }
}
