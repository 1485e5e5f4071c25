using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Surveys;
using Microsoft.Extensions.DependencyInjection;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The whole thin loop through the real host: survey file → round → codes → anonymous answers →
/// scheduled close → a director's comparison with small cells hidden → an analyst's CSV.
/// </summary>
public sealed partial class YearlyLoopTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    private const string SecretText = "Salainen avoin vastaus 4711";
    /// <summary>Lahti's published answers 2–5 and "can't say" (-1 in the dataset) to vk_h_001.</summary>
    private static readonly (string Value, int Published)[] LahtiFirstItem = [("2", 1), ("3", 1), ("4", 2), ("5", 2), ("-1", 1)];

    [Fact]
    public async Task A_round_runs_from_survey_file_to_director_comparison_and_analyst_export()
    {
        var lahti = await TestData.UnitAsync(factory, "398", "Päiväkoti Testikielo");
        var hollola = await TestData.UnitAsync(factory, "098", "Päiväkoti Testiapila");
        var heinola = await TestData.UnitAsync(factory, "111", "Päiväkoti Testikanerva");
        await TestData.UserAsync(factory, "loop.admin", Roles.Administrator);
        await TestData.UserAsync(factory, "loop.director", Roles.Director, "398");
        await TestData.UserAsync(factory, "loop.analyst", Roles.Analyst);
        var version = await TestData.SurveyAsync(factory, "ecec-guardian");

        // The coordinator creates the round from the imported survey file, in Finnish local time.
        using var admin = await Browser.SignedInAsync(factory, "loop.admin", TestData.Password);
        var created = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Create", new()
        {
            ["Year"] = "2027",
            ["Sector"] = "Ecec",
            ["FocusTheme"] = "Lasten osallisuus",
            ["OpensLocal"] = "2027-01-10T08:00",
            ["ClosesLocal"] = "2027-02-12T16:00",
            ["SurveyVersionIds"] = version.Id.ToString(CultureInfo.InvariantCulture),

            // 08:00 on 10 January has just passed at the test clock's 09:00: the coordinator confirms opening at once.
            ["ConfirmPastOpening"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("Kierros luotiin ja ajastettiin.", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        EvaluationRound round;
        await using (var db = factory.CreateDbContext())
        {
            round = await db.Rounds.SingleAsync(r => r.FocusTheme == "Lasten osallisuus");
        }

        Assert.Equal(RoundState.Scheduled, round.State);
        Assert.Equal(new DateTimeOffset(2027, 1, 10, 6, 0, 0, TimeSpan.Zero), round.OpensAt);
        Assert.Equal(new DateTimeOffset(2027, 2, 12, 14, 0, 0, TimeSpan.Zero), round.ClosesAt);

        await TestData.ReconcileAsync(factory);
        Assert.Equal(RoundState.Open, await StateAsync(round.Id));

        var lahtiCodes = await IssueCodesAsync(admin, round.Id, lahti.Id, 7);
        var hollolaCodes = await IssueCodesAsync(admin, round.Id, hollola.Id, 6);
        var heinolaCodes = await IssueCodesAsync(admin, round.Id, heinola.Id, 3);

        // Respondents answer through the pages, each in a browser of their own.
        string[] lahtiAnswers = ["5", "5", "4", "4", "3", "2", "eos"];
        for (var i = 0; i < lahtiCodes.Count; i++)
        {
            await AnswerThroughPagesAsync(lahtiCodes[i], lahtiAnswers[i], i == 0 ? SecretText : null);
        }

        foreach (var code in hollolaCodes.Concat(heinolaCodes))
        {
            await AnswerThroughPagesAsync(code, "3", null);
        }

        Assert.Equal(16, await TestData.ResponseCountAsync(factory, round.Id));

        // Nothing closes early; once the close time passes the scheduled reconciler closes and computes.
        factory.Clock.SetUtcNow(new DateTimeOffset(2027, 2, 12, 13, 59, 0, TimeSpan.Zero));
        await TestData.ReconcileAsync(factory);
        Assert.Equal(RoundState.Open, await StateAsync(round.Id));
        factory.Clock.SetUtcNow(new DateTimeOffset(2027, 2, 12, 14, 1, 0, TimeSpan.Zero));
        await TestData.ReconcileAsync(factory);
        Assert.Equal(RoundState.Closed, await StateAsync(round.Id));

        // Results are for the coordinator to review until their publication date; then directors see them.
        using (var early = await Browser.SignedInAsync(factory, "loop.director", TestData.Password))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await early.GetAsync($"/tulokset/{round.Id}")).Status);
        }

        using var reviewer = await Browser.SignedInAsync(factory, "loop.admin", TestData.Password);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync($"/tulokset/{round.Id}")).Status);
        factory.Clock.SetUtcNow(round.ClosesAt.AddDays(56));
        await TestData.ReconcileAsync(factory);
        Assert.Equal(RoundState.Published, await StateAsync(round.Id));

        // The director sees every municipality beside the region; Heinola (3) is hidden and so is Hollola (6),
        // the smallest of the rest, so Heinola cannot be recovered from the region total.
        using var director = await Browser.SignedInAsync(factory, "loop.director", TestData.Password);
        var html = await TestData.DetailsAsync(director, $"/tulokset/{round.Id}");
        var item = ItemTable(html, "vk_h_001");
        Assert.Equal(["15", "3,33"], RowFigures(item, "Päijät-Häme").Take(2));
        Assert.Equal(["6", "3,83", "67\u00A0%"], RowFigures(item, "Lahti").Take(3));
        Assert.Contains("piilotettu, jotta pieni ryhmä ei paljastu", Row(item, "Hollola"), StringComparison.Ordinal);
        Assert.Contains("piilotettu, jotta pieni ryhmä ei paljastu", Row(item, "Heinola"), StringComparison.Ordinal);
        Assert.DoesNotContain("alle 5", Row(item, "Heinola"), StringComparison.Ordinal);
        Assert.DoesNotContain("<td class=\"num\">", Row(item, "Heinola"), StringComparison.Ordinal);

        // The analyst's research dataset follows the publication: no codes, no free text, no Heinola (its respondents are
        // hidden) and no Hollola (hidden with it, so the published region total minus the dataset cannot reveal Heinola),
        // no more of an answer than the published cell holds, fresh respondent order each time.
        using var analyst = await Browser.SignedInAsync(factory, "loop.analyst", TestData.Password);
        var (header, rows, csv) = await DatasetAsync(analyst, round.Id);
        Assert.Equal(["respondent", "municipality", "unit_size"], header[..3]);
        Assert.Equal(7, rows.Count);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"{i}"), rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("398", r[1]));
        var first = Array.IndexOf(header, "vk_h_001");
        Assert.All(LahtiFirstItem, p => Assert.InRange(rows.Count(r => r[first] == p.Value), 0, p.Published));
        Assert.DoesNotContain(SecretText, csv, StringComparison.Ordinal);
        foreach (var code in lahtiCodes.Concat(hollolaCodes))
        {
            Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), csv.Replace("-", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        var (_, again, _) = await DatasetAsync(analyst, round.Id);
        Assert.Equal(rows.Select(r => string.Join(",", r[1..])).Order(StringComparer.Ordinal), again.Select(r => string.Join(",", r[1..])).Order(StringComparer.Ordinal));

        // A director may not download respondent-level data.
        var (directorExport, _) = await director.GetAsync($"/api/rounds/{round.Id}/aineisto/guardian.zip");
        Assert.Equal(HttpStatusCode.Forbidden, directorExport);
    }

    private async Task AnswerThroughPagesAsync(string code, string value, string? text)
    {
        using var respondent = new Respondent(factory);
        var entered = await respondent.EnterAsync(code.ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Redirect, entered.StatusCode);
        var answers = new Dictionary<string, string>
        {
            ["a_vk_h_age_band"] = "3-5",
            ["a_vk_h_001"] = value,
            ["a_vk_h_002"] = value,
            ["a_vk_h_003"] = value,
            ["a_vk_h_004"] = value,
            ["a_vk_h_005"] = value,
        };
        if (text is not null)
        {
            answers["t_vk_h_open"] = text;
        }

        Assert.Equal("/vastaa/kiitos", await respondent.AnswerAllAsync(answers));
    }

    /// <summary>The coordinator orders a batch, and downloads it once: a ZIP of printable slips and a CSV of the codes.</summary>
    private async Task<List<string>> IssueCodesAsync(Browser admin, int roundId, int unitId, int count)
    {
        var ordered = await admin.PostFormAsync("/koodit", "/koodit?handler=Order", new()
        {
            ["RoundId"] = roundId.ToString(CultureInfo.InvariantCulture),
            ["UnitId"] = unitId.ToString(CultureInfo.InvariantCulture),
            ["Group"] = "Guardian",
            ["Kind"] = "Personal",
            ["Count"] = count.ToString(CultureInfo.InvariantCulture),
            ["UsesPerCode"] = "1",
        });
        Assert.Contains("Koodierä tilattiin.", await ordered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        int batchId;
        await using (var db = factory.CreateDbContext())
        {
            batchId = (await db.CodeBatches.Where(b => b.UnitId == unitId).SingleAsync()).Id;
        }

        var download = await admin.PostFormAsync("/koodit", "/koodit?handler=Download", new() { ["batchId"] = batchId.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        using var zip = new System.IO.Compression.ZipArchive(await download.Content.ReadAsStreamAsync());
        Assert.Contains(zip.Entries, e => e.Name.EndsWith(".pdf", StringComparison.Ordinal));
        using var reader = new StreamReader(zip.Entries.Single(e => e.Name.EndsWith(".csv", StringComparison.Ordinal)).Open());
        var codes = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0].Trim()).ToList();
        Assert.Equal(count, codes.Count);
        Assert.All(codes, c => Assert.Matches("^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$", c));
        return codes;
    }

    private async Task<RoundState> StateAsync(int roundId)
    {
        await using var db = factory.CreateDbContext();
        return (await db.Rounds.SingleAsync(r => r.Id == roundId)).State;
    }

    private static string ItemTable(string html, string itemId)
    {
        var start = html.IndexOf($"({itemId})", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No table for {itemId}");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static string Row(string table, string name)
    {
        var start = table.IndexOf($">{name}<", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No row for {name}");
        return table[start..table.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static List<string> RowFigures(string table, string name) =>
        CellPattern().Matches(Row(table, name)).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToList();

    /// <summary>The guardians' research dataset of a round: its CSV's header, rows and text.</summary>
    private static async Task<(string[] Header, List<string[]> Rows, string Csv)> DatasetAsync(Browser analyst, int roundId)
    {
        using var response = await analyst.Client.GetAsync(new Uri($"/api/rounds/{roundId}/aineisto/guardian.zip", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        using var reader = new StreamReader(zip.Entries.Single(e => e.Name.EndsWith("-guardian.csv", StringComparison.Ordinal)).Open());
        var csv = await reader.ReadToEndAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        return (lines[0].Split(','), [.. lines.Skip(1).Select(l => l.Split(','))], csv);
    }

    [GeneratedRegex("<td class=\"num[^\"]*\">([^<]*)</td>")]
    private static partial Regex CellPattern();
}
