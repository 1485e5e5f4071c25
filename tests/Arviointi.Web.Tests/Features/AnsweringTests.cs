using System.Net;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Tests.Features;

/// <summary>Codes and submissions as a respondent meets them: clear Finnish messages, one response per code, nothing lost.</summary>
public sealed class AnsweringTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    [Fact]
    public async Task A_used_code_is_refused_with_a_clear_Finnish_message()
    {
        var (round, codes) = await RoundWithCodesAsync(1);
        await AnswerAsync(new Browser(factory), codes[0], "4");

        using var again = new Browser(factory);
        var response = await again.PostFormAsync("/vastaa", "/vastaa", new() { ["Code"] = codes[0] });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Tällä koodilla on jo vastattu.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await TestData.ResponseCountAsync(factory, round.Id));
    }

    [Fact]
    public async Task A_mistyped_code_is_told_apart_from_a_used_one()
    {
        using var browser = new Browser(factory);
        var response = await browser.PostFormAsync("/vastaa", "/vastaa", new() { ["Code"] = "AAAAA-BBBBB" });
        Assert.Contains("Koodia ei löytynyt. Tarkista, että kirjoitit sen oikein.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_submitted_twice_at_once_or_retried_counts_once()
    {
        var (round, codes) = await RoundWithCodesAsync(1);
        using var browser = new Browser(factory);
        await browser.PostFormAsync("/vastaa", "/vastaa", new() { ["Code"] = codes[0] });
        var (_, page) = await browser.GetAsync("/vastaa/kysely");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => browser.Client.PostAsync(
            new Uri("/vastaa/kysely", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["a_vk_h_001"] = "5", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }))));

        Assert.All(responses, r => Assert.Equal("/vastaa/kiitos", r.Headers.Location?.OriginalString));
        Assert.Equal(1, await TestData.ResponseCountAsync(factory, round.Id));
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, (await db.AccessCodes.SingleAsync(c => c.RoundId == round.Id)).Uses);
    }

    [Fact]
    public async Task A_forged_post_is_refused_in_Finnish_and_keeps_what_was_answered()
    {
        var (round, codes) = await RoundWithCodesAsync(1);
        using var browser = new Browser(factory);
        await browser.PostFormAsync("/vastaa", "/vastaa", new() { ["Code"] = codes[0] });

        var forged = await browser.PostFormAsync("/vastaa/kysely", "/vastaa/kysely", new()
        {
            ["a_vk_h_001"] = "4",
            ["a_vk_h_002"] = "7",
            ["a_not_an_item"] = "3",
            ["t_vk_h_open"] = new string('x', 1001),
        });
        var html = await forged.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        Assert.Contains("Vastauksen arvo ei ole sallittu.", html, StringComparison.Ordinal);
        Assert.Contains("Lomakkeessa oli kysymys, jota tässä kyselyssä ei ole.", html, StringComparison.Ordinal);
        Assert.Contains("Vastaus on liian pitkä: enintään 1000 merkkiä, nyt 1001.", html, StringComparison.Ordinal);
        Assert.Matches("name=\"a_vk_h_001\" value=\"4\" checked=\"checked\"", html);
        Assert.Equal(0, await TestData.ResponseCountAsync(factory, round.Id));

        // The respondent corrects the answers and the same session still submits.
        var fixedUp = await browser.PostFormAsync("/vastaa/kysely", "/vastaa/kysely", new() { ["a_vk_h_001"] = "4", ["a_vk_h_002"] = "5" });
        Assert.Equal("/vastaa/kiitos", fixedUp.Headers.Location?.OriginalString);
        Assert.Equal(1, await TestData.ResponseCountAsync(factory, round.Id));
    }

    [Fact]
    public async Task After_the_round_closes_a_code_and_a_late_submission_are_told_so_politely()
    {
        var (round, codes) = await RoundWithCodesAsync(2);
        using var late = new Browser(factory);
        await late.PostFormAsync("/vastaa", "/vastaa", new() { ["Code"] = codes[0] });
        var (_, form) = await late.GetAsync("/vastaa/kysely");

        await using (var db = factory.CreateDbContext())
        {
            await db.Rounds.Where(r => r.Id == round.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RoundState.Closed));
        }

        var submitted = await late.PostFormAsync("/vastaa/kysely", "/vastaa/kysely", new() { ["a_vk_h_001"] = "4" });
        Assert.Equal("/vastaa/kiitos?tila=paattynyt", submitted.Headers.Location?.OriginalString);
        var (_, thanks) = await late.GetAsync("/vastaa/kiitos?tila=paattynyt");
        Assert.Contains("Kysely on päättynyt", thanks, StringComparison.Ordinal);

        using var fresh = new Browser(factory);
        var entered = await fresh.PostFormAsync("/vastaa", "/vastaa", new() { ["Code"] = codes[1] });
        Assert.Contains("Kysely on jo päättynyt", await entered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await TestData.ResponseCountAsync(factory, round.Id));
        Assert.Contains("<div lang=\"fi\" dir=\"ltr\" class=\"survey-content\">", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Codes_and_answers_cannot_be_joined_in_the_database()
    {
        var (round, codes) = await RoundWithCodesAsync(3);
        foreach (var code in codes)
        {
            await TestData.AnswerAsync(factory, code, new Dictionary<string, string> { ["a_vk_h_001"] = "3" });
        }

        await using var db = factory.CreateDbContext();
        var responseColumns = db.Model.FindEntityType(typeof(Arviointi.Web.Features.Answering.Response))!.GetProperties().Select(p => p.Name).ToList();
        var codeColumns = db.Model.FindEntityType(typeof(Arviointi.Web.Features.Answering.AccessCode))!.GetProperties().Select(p => p.Name).ToList();
        Assert.DoesNotContain(responseColumns, c => c.Contains("Code", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(codeColumns, c => c.Contains("Response", StringComparison.OrdinalIgnoreCase) || c.EndsWith("At", StringComparison.Ordinal) || c.EndsWith("On", StringComparison.Ordinal));
        Assert.Equal(typeof(DateOnly), db.Model.FindEntityType(typeof(Arviointi.Web.Features.Answering.Response))!.FindProperty("SubmittedOn")!.ClrType);
        Assert.Equal(3, await db.Responses.CountAsync(r => r.RoundId == round.Id));
        Assert.All(await db.AccessCodes.Where(c => c.RoundId == round.Id).ToListAsync(), c => Assert.Equal(1, c.Uses));
    }

    private async Task<(EvaluationRound Round, IReadOnlyList<string> Codes)> RoundWithCodesAsync(int count)
    {
        var unit = await TestData.UnitAsync(factory, "398", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        return (round, await TestData.CodesAsync(factory, round.Id, unit.Id, count));
    }

    private static async Task AnswerAsync(Browser browser, string code, string value)
    {
        using (browser)
        {
            await browser.PostFormAsync("/vastaa", "/vastaa", new() { ["Code"] = code });
            var response = await browser.PostFormAsync("/vastaa/kysely", "/vastaa/kysely", new() { ["a_vk_h_001"] = value });
            Assert.Equal("/vastaa/kiitos", response.Headers.Location?.OriginalString);
        }
    }
}
