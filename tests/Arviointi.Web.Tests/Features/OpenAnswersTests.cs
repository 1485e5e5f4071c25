using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.OpenAnswers;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Open answers reach the unit leader and the director responsible for them, masked, only where ten answered, and a
/// coordinator who reads both a municipality's and its units' lists cannot take one from the other.
/// </summary>
public sealed partial class OpenAnswersTests : IDisposable
{
    private const string Item = "vk_h_open";
    private readonly ArviointiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Leaders_and_directors_read_their_own_masked_answers_only_where_ten_answered_and_a_withheld_one_is_gone()
    {
        var large = await TestData.UnitAsync(factory, "398", "Avointen päiväkoti");
        var second = await TestData.UnitAsync(factory, "398", "Toinen päiväkoti");
        var small = await TestData.UnitAsync(factory, "398", "Pieni päiväkoti");
        var forms = (int count, string text) => (IReadOnlyList<Dictionary<string, string>>)[.. Enumerable.Range(0, count).Select(i => new Dictionary<string, string> { ["a_vk_h_001"] = "4", ["t_" + Item] = $"{text} {i}" })];
        var id = await TestData.PublishedRoundAsync(factory, 2027, [
            (large, forms(12, "Opettaja Mikko Virtanen, puhelin 040 123 4567, vastaus")),
            (second, forms(11, "Toisen yksikön vastaus")),
            (small, forms(6, "Pienen yksikön vastaus")),
        ]);
        await TestData.UserAsync(factory, "avoin.johtaja", Roles.UnitLeader, "398", large.Id);
        await TestData.UserAsync(factory, "avoin.pieni", Roles.UnitLeader, "398", small.Id);
        await TestData.UserAsync(factory, "avoin.lahti", Roles.Director, "398");
        await TestData.UserAsync(factory, "avoin.hollola", Roles.Director, "098");
        await TestData.UserAsync(factory, "avoin.koordinaattori", Roles.Administrator);
        await TestData.UserAsync(factory, "avoin.analyytikko", Roles.Analyst);

        using var leader = await Browser.SignedInAsync(factory, "avoin.johtaja", TestData.Password);
        var own = Answers((await leader.GetAsync($"/tulokset/{id}/avoimet")).Html);
        Assert.Equal(12, own.Count);
        Assert.All(own, a => Assert.StartsWith("Opettaja [nimi] [nimi], puhelin [puhelinnumero], vastaus", a, StringComparison.Ordinal));
        // Another unit asked for by a unit leader is not another unit: the scope is the leader's own.
        Assert.Equal(own.Order(), Answers((await leader.GetAsync($"/tulokset/{id}/avoimet?yksikko={second.Id}")).Html).Order());

        using var smallLeader = await Browser.SignedInAsync(factory, "avoin.pieni", TestData.Password);
        var (_, smallPage) = await smallLeader.GetAsync($"/tulokset/{id}/avoimet");
        Assert.Empty(Answers(smallPage));
        Assert.Contains("kysymykseen on vastannut alle kymmenen", smallPage, StringComparison.Ordinal);

        // The director's list leaves out the small unit's six: with them, it minus the two units' own lists would be those six.
        using var director = await Browser.SignedInAsync(factory, "avoin.lahti", TestData.Password);
        var (_, municipalityPage) = await director.GetAsync($"/tulokset/{id}/avoimet");
        var municipality = Answers(municipalityPage);
        Assert.Equal(23, municipality.Count);
        Assert.DoesNotContain(municipality, a => a.StartsWith("Pienen", StringComparison.Ordinal));
        Assert.Contains("Pienten yksiköiden vastauksia ei näytetä", municipalityPage, StringComparison.Ordinal);
        Assert.DoesNotMatch(DatePattern(), municipalityPage[municipalityPage.IndexOf("<main", StringComparison.Ordinal)..]);
        using var otherDirector = await Browser.SignedInAsync(factory, "avoin.hollola", TestData.Password);
        Assert.Empty(Answers((await otherDirector.GetAsync($"/tulokset/{id}/avoimet?kunta=398")).Html));
        using var analyst = await Browser.SignedInAsync(factory, "avoin.analyytikko", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/tulokset/{id}/avoimet")).Status);

        // Everything the coordinator can fetch, combined: the municipality's list minus the units' lists is empty.
        using var coordinator = await Browser.SignedInAsync(factory, "avoin.koordinaattori", TestData.Password);
        var units = new List<string>();
        foreach (var unit in new[] { large, second, small })
        {
            units.AddRange(Answers((await coordinator.GetAsync($"/tulokset/{id}/avoimet?yksikko={unit.Id}")).Html));
        }

        var (_, adminMunicipality) = await coordinator.GetAsync($"/tulokset/{id}/avoimet?kunta=398");
        Assert.Empty(Answers(adminMunicipality).Except(units));

        // Withheld: gone from every list, audited without its text.
        var withheld = WithholdPattern().Match(adminMunicipality).Groups[1].Value;
        var text = (await factory.CreateDbContext().OpenTextAnswers.SingleAsync(t => t.Id == Guid.Parse(withheld))).Text;
        var posted = await coordinator.PostFormAsync($"/tulokset/{id}/avoimet?kunta=398", $"/tulokset/{id}/avoimet?handler=Withhold", new() { ["id"] = withheld, ["kunta"] = "398" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(22, Answers((await director.GetAsync($"/tulokset/{id}/avoimet")).Html).Count);
        await using var db = factory.CreateDbContext();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "opentext.withheld");
        Assert.Equal(("avoin.koordinaattori", $"Kierroksen {id} avoin vastaus kysymykseen {Item} piilotettiin"), (audit.Actor, audit.Details));
        Assert.DoesNotContain(text, audit.Details, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.PostFormAsync($"/tulokset/{id}/avoimet", $"/tulokset/{id}/avoimet?handler=Withhold", new() { ["id"] = withheld })).StatusCode);
    }

    [Theory]
    // unit answers (municipality 1), whether each unit's respondents are shown → units listed; the municipality's list
    [InlineData("12,11,6", "1,1,1", "0,1", "0,1")]   // the small unit's six would be the difference: left out
    [InlineData("12,11,10", "1,1,1", "0,1,2", "0,1,2")] // every unit has its own list
    [InlineData("12,5,5", "1,1,1", "0", "0,1,2")]      // the two small units' ten answers together are safe to pool
    [InlineData("9,9", "1,1", "", "0,1")]              // no unit list; the municipality's eighteen pooled
    [InlineData("12,11,3", "1,0,0", "0", "0,1,2")]     // hidden units have no list of their own; their fourteen pooled add no count the rates do not show
    [InlineData("4,5", "1,1", "", "")]                 // nine in all: nothing
    public void A_municipality_list_never_differs_from_its_units_lists_by_fewer_than_ten(string answers, string shown, string units, string municipality)
    {
        var counts = answers.Split(',').Select((n, i) => new OpenCount($"{i}", "398", int.Parse(n, System.Globalization.CultureInfo.InvariantCulture), shown.Split(',')[i] == "1")).ToList();
        var decision = OpenAnswerRules.Decide(counts, new HashSet<string> { "398" });
        Assert.Equal(units, string.Join(',', decision.Units.Order()));
        Assert.Equal(municipality, decision.Municipalities.TryGetValue("398", out var held) ? string.Join(',', held.Order()) : "");
        var difference = counts.Where(c => held?.Contains(c.Unit) == true && !decision.Units.Contains(c.Unit)).Sum(c => c.Answers);
        Assert.True(difference is 0 or >= OpenAnswerRules.MinimumAnswers, $"difference {difference}");
    }

    private static List<string> Answers(string html) =>
        [.. AnswerPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex(@"<li>\s*<p>([^<]*)</p>")]
    private static partial Regex AnswerPattern();

    [GeneratedRegex(@"name=""id"" value=""([0-9a-f-]{36})""")]
    private static partial Regex WithholdPattern();

    [GeneratedRegex(@"\b\d{1,2}\.\d{1,2}\.20\d\d\b")]
    private static partial Regex DatePattern();
}
