using System.Net;
using System.Text.Json;
using Arviointi.Statistics;
using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Two ECEC rounds two years apart through the real host: the snapshot carries the library's comparison of municipalities
/// and the change since the previous round; the pages and charts show them and never a hidden municipality.
/// </summary>
public sealed class ComparisonPageTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    private const string Item = "vk_h_001";

    [Fact]
    public async Task Municipalities_are_compared_with_the_rest_and_the_previous_round_and_hidden_ones_never_appear()
    {
        var lahti = await TestData.UnitAsync(factory, "398", "Vertailupäiväkoti Lahti");
        var heinola = await TestData.UnitAsync(factory, "111", "Vertailupäiväkoti Heinola");
        var hollola = await TestData.UnitAsync(factory, "098", "Vertailupäiväkoti Hollola");
        var hartola = await TestData.UnitAsync(factory, "081", "Vertailupäiväkoti Hartola");
        await TestData.UserAsync(factory, "vertailu.lahti", Roles.Director, "398");
        await TestData.UserAsync(factory, "vertailu.johtaja", Roles.UnitLeader, "398", lahti.Id);

        // 2025: Lahti half agreeing. 2027: Lahti 24 of 30, Heinola 12 of 40, Hollola 15 of 30, Hartola 3 answers.
        var previous = await RoundAsync(2025, [(lahti, [.. TestData.Times("4", 10), .. TestData.Times("2", 10)]), (heinola, TestData.Times("3", 20))]);
        var current = await RoundAsync(2027, [
            (lahti, [.. TestData.Times("5", 24), .. TestData.Times("2", 6)]),
            (heinola, [.. TestData.Times("4", 12), .. TestData.Times("1", 28)]),
            (hollola, [.. TestData.Times("4", 15), .. TestData.Times("2", 15)]),
            (hartola, TestData.Times("5", 3))]);

        var results = (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(current)))!;
        Assert.Equal(previous, results.Previous!.RoundId);
        var item = results.Groups.Single().Items.Single(i => i.ItemId == Item);

        // The same comparison the library makes of these counts (its methods are checked against scipy in Statistics.Tests).
        var expected = Comparison.Compare<string>([
            new("111", "Heinola", [0, 28, 0, 0, 12, 0, 0]), new("081", "Hartola", [0, 0, 0, 0, 0, 3, 0]),
            new("098", "Hollola", [0, 0, 15, 0, 15, 0, 0]), new("398", "Lahti", [0, 0, 6, 0, 0, 24, 0])]);
        Assert.Equal(103, item.Region.Figures!.N);
        var lahtiCell = item.Municipalities.Single(m => m.Key == "398");
        var lahtiExpected = expected.Cells.Single(c => c.Key == "398");
        // Shares and their differences are published to whole per cent, coefficients to two decimals.
        Assert.Equal(Math.Round(lahtiExpected.VsRest!.AgreeDifference, 2), lahtiCell.VsRest!.AgreeDiff);
        Assert.Equal(lahtiExpected.VsRest.MannWhitneyP, lahtiCell.VsRest.MannWhitneyP);
        Assert.Equal(lahtiExpected.HolmP, lahtiCell.VsRest.HolmP);
        Assert.Equal(Math.Round(lahtiExpected.VsRest.CliffsDelta, 2), lahtiCell.VsRest.CliffsDelta);
        Assert.True(lahtiCell.VsRest.Differs);
        Assert.Equal(expected.KruskalWallis!.H, item.KruskalWallis!.H);
        Assert.Equal(["Hartola", "Hollola"], item.Municipalities.Where(m => m.Suppressed).Select(m => m.Name).Order());

        // Change since 2025 with Newcombe's interval: Lahti 24/30 now, 10/20 then; the region 54/103 now, 10/40 then.
        var change = lahtiCell.Change!;
        Assert.Equal(2025, change.PreviousYear);
        Assert.Equal(0.3, change.Diff, 12);
        var newcombe = Newcombe.Interval(24, 30, 10, 20);
        Assert.Equal((Math.Round(newcombe.Lower, 2), Math.Round(newcombe.Upper, 2)), (change.Lower, change.Upper));
        var regionChange = Newcombe.Interval(54, 103, 10, 40);
        Assert.Equal((Math.Round(regionChange.Lower, 2), Math.Round(regionChange.Upper, 2)), (item.Region.Change!.Lower, item.Region.Change.Upper));
        Assert.Equal(2025, Assert.Single(item.History!).Year);

        // Hidden cells keep no figures in the stored JSON.
        var json = JsonSerializer.Serialize(item.Municipalities.Where(m => m.Suppressed), SnapshotBuilder.Json);
        Assert.DoesNotContain("\"n\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("counts", json, StringComparison.Ordinal);

        // Units are stored apart, one part per municipality: the overview most pages parse carries none.
        await using (var stored = factory.CreateDbContext())
        {
            // Stored JSON escapes ä, so the names are matched by their ASCII parts. Response rates keep their unit rows in the overview.
            var overview = SnapshotFormat.ReadOverview(await stored.ResultSnapshots.Where(x => x.RoundId == current).Select(x => x.Json).SingleAsync());
            Assert.All(overview.Groups.SelectMany(g => g.Items), i => Assert.Empty(i.Units));
            var lahtiPart = await stored.ResultSnapshotParts.Where(x => x.RoundId == current && x.Key == "units:398").Select(x => x.Json).SingleAsync();
            Assert.Contains("koti Lahti", lahtiPart, StringComparison.Ordinal);
            Assert.DoesNotContain("koti Heinola", lahtiPart, StringComparison.Ordinal);
        }

        using var director = await Browser.SignedInAsync(factory, "vertailu.lahti", TestData.Password);
        Assert.Contains("Vertailupäiväkoti Lahti", (await director.GetAsync($"/tulokset/{current}/kunta/398")).Html, StringComparison.Ordinal);
        var (status, summary) = await director.GetAsync($"/tulokset/{current}");
        Assert.Equal(HttpStatusCode.OK, status);
        // The first screen tells the own municipality's story in sentences with their figures; the tables are a click away.
        Assert.Contains("Vahvuudet muuhun alueeseen verrattuna", summary, StringComparison.Ordinal);
        Assert.Matches(@"Huoltajat: \d+\u00A0% samaa mieltä väitteestä ”<a href=""/tulokset/\d+/kysymys/Guardian/vk_h_001\?kunta=398"" lang=""fi"">[^<]+</a>”\. Se on \d+ prosenttiyksikköä enemmän kuin muissa kunnissa \(todennäköisesti \d+–\d+\)\.", summary);
        Assert.Contains("Muutokset vuodesta 2025", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("<table class=\"results\"", summary, StringComparison.Ordinal);
        var page = await TestData.DetailsAsync(director, $"/tulokset/{current}");
        Assert.Contains("Muutos vuodesta 2025", page, StringComparison.Ordinal);
        // Hidden cells say only that they are hidden: whether small or a partner would narrow them.
        Assert.DoesNotContain("alle 5 vastausta", page, StringComparison.Ordinal);
        Assert.Contains("piilotettu, jotta pieni ryhmä ei paljastu", page, StringComparison.Ordinal);

        // The statistics vocabulary is a click away from a plain sentence.
        var (_, itemPage) = await director.GetAsync($"/tulokset/{current}/kysymys/Guardian/{Item}");
        Assert.Contains("Kruskal–Wallis", itemPage, StringComparison.Ordinal);
        Assert.Matches("Kunnat eroavat tässä kysymyksessä|Kuntien erot tässä kysymyksessä", itemPage);
        Assert.DoesNotContain("p = <", System.Net.WebUtility.HtmlDecode(itemPage), StringComparison.Ordinal);
        foreach (var kind in new[] { "jakauma", "osuudet", "suppilo" })
        {
            var (chartStatus, svg) = await director.GetAsync($"/tulokset/{current}/kaavio/kysymys/Guardian/{Item}/{kind}.svg");
            Assert.Equal(HttpStatusCode.OK, chartStatus);
            Assert.Contains("Heinola", svg, StringComparison.Ordinal);
            Assert.DoesNotContain("Hartola", svg, StringComparison.Ordinal);
            Assert.DoesNotContain("Hollola", svg, StringComparison.Ordinal);
        }

        var (_, trend) = await director.GetAsync($"/tulokset/{current}/kaavio/kysymys/Guardian/{Item}/trendi.svg");
        Assert.Contains("2025", trend, StringComparison.Ordinal);
        Assert.Contains("2027", trend, StringComparison.Ordinal);

        // A unit leader sees the own municipality and the region only, whatever the address asks for.
        using var leader = await Browser.SignedInAsync(factory, "vertailu.johtaja", TestData.Password);
        var (_, leaderSvg) = await leader.GetAsync($"/tulokset/{current}/kaavio/kysymys/Guardian/{Item}/osuudet.svg?kunta=111");
        Assert.Contains("Lahti", leaderSvg, StringComparison.Ordinal);
        Assert.DoesNotContain("Heinola", leaderSvg, StringComparison.Ordinal);
        var (_, leaderArea) = await leader.GetAsync($"/tulokset/{current}/kaavio/alue/Guardian/{item.Area}.svg?kunta=111");
        Assert.DoesNotContain("Heinola", leaderArea, StringComparison.Ordinal);

        // The municipality report: a PDF for the own director only.
        using var pdf = await director.Client.GetAsync(new Uri($"/tulokset/{current}/kunta/398/raportti.pdf", UriKind.Relative));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        using (var document = PdfReader.Open(new MemoryStream(await pdf.Content.ReadAsByteArrayAsync()), PdfDocumentOpenMode.Import))
        {
            Assert.True(document.PageCount >= 3, $"{document.PageCount} pages");
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync($"/tulokset/{current}/kunta/111/raportti.pdf")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"/tulokset/{current}/kunta/398/raportti.pdf")).Status);

        // What it says: Lahti's finding, change and chart; for hidden Hartola no figure at all.
        await using var db = factory.CreateDbContext();
        var round = await db.Rounds.FindAsync(current);
        var lahtiReport = TestData.ReportContent(factory, round!, results, (await db.Municipalities.FindAsync("398"))!, "fi");
        Assert.Contains(lahtiReport.OfType<BulletBlock>(), b => b.Text.StartsWith("Parempi kuin muu alue – Huoltajat: Lapseni tulee kuulluksi", StringComparison.Ordinal) && b.Text.Contains("Samaa mieltä 80\u00A0%", StringComparison.Ordinal));
        Assert.Contains(lahtiReport.OfType<BulletBlock>(), b => b.Text.StartsWith("Nousi", StringComparison.Ordinal) && b.Text.Contains("50\u00A0% → 80\u00A0%", StringComparison.Ordinal));
        Assert.Equal([0, 6, 0, 0, 24], Assert.Single(lahtiReport.OfType<ChartBlock>()).Bars.Single().Counts);
        Assert.Contains(lahtiReport.OfType<HeadingBlock>(), h => h.Text == "Näin tulokset on laskettu");
        var hartolaReport = TestData.ReportContent(factory, round!, results, (await db.Municipalities.FindAsync("081"))!, "fi");
        Assert.Empty(hartolaReport.OfType<ChartBlock>());
        Assert.Empty(hartolaReport.OfType<BulletBlock>());
        Assert.Contains(hartolaReport.OfType<ParagraphBlock>(), p => p.Text.StartsWith("Tuloksia ei näytetä", StringComparison.Ordinal));
        Assert.DoesNotContain(hartolaReport.OfType<ParagraphBlock>(), p => p.Text.Contains('%', StringComparison.Ordinal) && p.Text.Contains("Laatualueen indeksi", StringComparison.Ordinal));
    }

    /// <summary>A published round whose respondents answered only the compared item, with the given values per unit.</summary>
    private Task<int> RoundAsync(int year, (Arviointi.Web.Features.Organisation.Unit Unit, string[] Answers)[] answers) =>
        TestData.PublishedRoundAsync(factory, year, answers.Select(a => (a.Unit, TestData.Forms(Item, a.Answers))));
}
