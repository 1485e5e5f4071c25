using System.Net;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>Codes, pages and submissions as a respondent meets them: clear Finnish messages, one response per code, nothing lost.</summary>
public sealed class AnsweringTests(ArviointiFactory factory, ITestOutputHelper output) : IClassFixture<ArviointiFactory>
{
    private static readonly Dictionary<string, string> SomeAnswers = new() { ["a_vk_h_age_band"] = "3-5", ["a_vk_h_001"] = "4", ["a_vk_h_002"] = "5" };

    [Fact]
    public async Task A_used_code_is_refused_with_a_clear_Finnish_message()
    {
        var (round, codes) = await RoundWithCodesAsync(1);
        using (var first = new Respondent(factory))
        {
            await first.EnterAsync(codes[0]);
            Assert.Equal("/vastaa/kiitos", await first.AnswerAllAsync(SomeAnswers));
        }

        using var again = new Respondent(factory);
        var response = await again.EnterAsync(codes[0]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Tällä koodilla on jo vastattu.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await TestData.ResponseCountAsync(factory, round.Id));
    }

    [Fact]
    public async Task A_mistyped_code_is_told_apart_from_a_used_one()
    {
        using var respondent = new Respondent(factory);
        var response = await respondent.EnterAsync("AAAAA-BBBBB");
        Assert.Contains("Koodia ei löytynyt. Tarkista, että kirjoitit sen oikein.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fi", "Kysely ei ole vielä avautunut. Se avautuu 12.1.2027 kello 8.30 Suomen aikaa. Tervetuloa vastaamaan silloin!")]
    [InlineData("sv", "Enkäten har inte öppnats ännu. Den öppnar 12.1.2027 klockan 8.30 finsk tid. Välkommen att svara då!")]
    [InlineData("en", "The survey has not opened yet. It opens on 12 January 2027 at 08:30 Finnish time. You are welcome to answer then!")]
    public async Task A_code_of_a_round_not_yet_open_is_told_when_it_opens_in_Finnish_time(string language, string message)
    {
        var unit = await TestData.UnitAsync(factory, "398", $"Päiväkoti {Guid.NewGuid():n}");
        var version = await TestData.SurveyAsync(factory, "ecec-guardian");
        var opens = new DateTimeOffset(2027, 1, 12, 6, 30, 0, TimeSpan.Zero); // 8.30 in Helsinki (UTC+2 in winter)
        var round = await factory.WithScopeAsync(async services =>
        {
            var (created, errors) = await services.GetRequiredService<RoundAdmin>().CreateAsync(new NewRound(2027, Arviointi.Surveys.Sector.Ecec, "Osallisuus", opens, opens.AddDays(30), [version.Id]), "testi");
            Assert.Empty(errors);
            return created!;
        });
        await TestData.ReconcileAsync(factory);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 1);

        using var respondent = new Respondent(factory) { Language = language };
        var response = await respondent.EnterAsync(codes[0]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_survey_goes_page_by_page_with_progress_and_a_review_before_sending()
    {
        var (round, codes) = await RoundWithCodesAsync(1);
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(codes[0]);

        var first = await respondent.PageAsync(1);
        Assert.Contains("Sivu 1 / 7", first.Html, StringComparison.Ordinal);
        Assert.Equal(["a_vk_h_age_band", "a_vk_h_care_type"], first.Fields);
        var next = await respondent.PostPageAsync(1, SomeAnswers.Where(a => first.Fields.Contains(a.Key)));
        Assert.Equal("/vastaa/kysely?sivu=2", next.Headers.Location?.OriginalString);
        var back = await respondent.PostPageAsync(2, [new("a_vk_h_002", "5")], "edellinen");
        Assert.Equal("/vastaa/kysely?sivu=1", back.Headers.Location?.OriginalString);
        Assert.Matches("name=\"a_vk_h_age_band\" value=\"3-5\" checked=\"checked\"", (await respondent.PageAsync(1)).Html);

        for (var page = 2; page <= 7; page++)
        {
            await respondent.PostPageAsync(page, page switch
            {
                2 => [new("a_vk_h_002", "5")],
                4 => [new("a_vk_h_001", "4")],
                _ => [],
            });
        }

        var (status, review) = await respondent.Browser.GetAsync("/vastaa/yhteenveto");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("3–5-vuotias", review, StringComparison.Ordinal);
        Assert.Contains("4 – Jokseenkin samaa mieltä", review, StringComparison.Ordinal);
        Assert.Contains("5 – Täysin samaa mieltä", review, StringComparison.Ordinal);
        Assert.Equal(0, await TestData.ResponseCountAsync(factory, round.Id));
        Assert.Equal("/vastaa/kiitos", (await respondent.SendAsync()).Headers.Location?.OriginalString);
        Assert.Equal(1, await TestData.ResponseCountAsync(factory, round.Id));
    }

    [Fact]
    public async Task Closing_the_browser_and_returning_to_it_with_the_same_personal_code_resumes()
    {
        var (round, codes) = await RoundWithCodesAsync(1);
        using var before = new Respondent(factory);
        await before.EnterAsync(codes[0]);
        await before.PostPageAsync(1, [new("a_vk_h_age_band", "6")]);
        await before.PostPageAsync(2, [new("a_vk_h_002", "2")]);

        using var after = before.Reopen();
        Assert.Equal(HttpStatusCode.Redirect, (await after.PageAsync(1)).Status);
        await after.EnterAsync(codes[0].ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));
        var page = await after.PageAsync(1);
        Assert.Contains("Jatkat aiemmin aloittamaasi vastausta.", page.Html, StringComparison.Ordinal);
        Assert.Matches("name=\"a_vk_h_age_band\" value=\"6\" checked=\"checked\"", page.Html);
        Assert.Matches("name=\"a_vk_h_002\" value=\"2\" checked=\"checked\"", (await after.PageAsync(2)).Html);

        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Drafts.CountAsync(d => d.RoundId == round.Id));
        Assert.Equal("/vastaa/kiitos", await after.AnswerAllAsync(new Dictionary<string, string> { ["a_vk_h_age_band"] = "6", ["a_vk_h_002"] = "2" }));
        Assert.Equal(0, await db.Drafts.CountAsync(d => d.RoundId == round.Id));
    }

    [Fact]
    public async Task The_answering_page_says_that_an_unfinished_answer_opens_only_in_the_same_browser()
    {
        using var respondent = new Respondent(factory);
        var (_, html) = await respondent.Browser.GetAsync("/vastaa");
        Assert.Contains("Keskeneräinen vastaus jää vain tähän selaimeen.", html, StringComparison.Ordinal);
        var (_, swedish) = await respondent.Browser.GetAsync("/vastaa?culture=sv&ui-culture=sv");
        Assert.Contains("Ett påbörjat svar stannar i den här webbläsaren.", swedish, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_group_code_the_draft_belongs_to_the_browser_not_to_the_shared_code()
    {
        var unit = await TestData.UnitAsync(factory, "081", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var code = AccessCodes.Generate();
        await using (var db = factory.CreateDbContext())
        {
            db.AccessCodes.Add(new AccessCode { RoundId = round.Id, UnitId = unit.Id, Group = Arviointi.Surveys.RespondentGroup.Guardian, Kind = AccessCodeKind.Group, Hash = factory.Services.GetRequiredService<AnsweringKeys>().HashCode(code), MaxUses = 30 });
            await db.SaveChangesAsync();
        }

        using var pupilA = new Respondent(factory);
        using var pupilB = new Respondent(factory);
        await pupilA.EnterAsync(code);
        await pupilA.PostPageAsync(1, [new("a_vk_h_age_band", "6")]);
        await pupilB.EnterAsync(code);
        var fresh = await pupilB.PageAsync(1);
        Assert.DoesNotContain("checked=\"checked\"", fresh.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Jatkat aiemmin", fresh.Html, StringComparison.Ordinal);

        Assert.Equal("/vastaa/kiitos", await pupilA.AnswerAllAsync(new Dictionary<string, string> { ["a_vk_h_age_band"] = "6" }));
        Assert.Equal("/vastaa/kiitos", await pupilB.AnswerAllAsync(new Dictionary<string, string> { ["a_vk_h_age_band"] = "3-5" }));
        Assert.Equal(2, await TestData.ResponseCountAsync(factory, round.Id));
    }

    [Fact]
    public async Task The_next_respondent_of_a_group_starts_without_the_code_in_a_session_of_its_own()
    {
        var (round, codes) = await RoundWithCodesAsync(2);
        var code = AccessCodes.Generate();
        await using (var db = factory.CreateDbContext())
        {
            var unit = await db.AccessCodes.Where(c => c.RoundId == round.Id).Select(c => c.UnitId).FirstAsync();
            db.AccessCodes.Add(new AccessCode { RoundId = round.Id, UnitId = unit, Group = Arviointi.Surveys.RespondentGroup.Guardian, Kind = AccessCodeKind.Group, Hash = factory.Services.GetRequiredService<AnsweringKeys>().HashCode(code), MaxUses = 2 });
            await db.SaveChangesAsync();
        }

        // A personal code has no next respondent: whoever holds its browser gets the code page.
        using (var guardian = new Respondent(factory))
        {
            await guardian.EnterAsync(codes[0]);
            Assert.Equal("/vastaa", (await guardian.Browser.PostFormAsync("/vastaa/kysely", "/vastaa/seuraava-vastaaja", [])).Headers.Location?.OriginalString);
        }

        using var tablet = new Respondent(factory);
        await tablet.EnterAsync(code);
        await tablet.PostPageAsync(1, [new("a_vk_h_age_band", "6")]);
        Assert.Equal("/vastaa/kiitos", await tablet.AnswerAllAsync(new Dictionary<string, string> { ["a_vk_h_age_band"] = "6" }));
        var (_, thanks) = await tablet.Browser.GetAsync("/vastaa/kiitos");
        Assert.Contains(">Seuraava vastaaja</button>", thanks, StringComparison.Ordinal);

        // The next one: a new session (a new submission key: its send is a second answer, not a repeat), starting empty.
        var next = await tablet.Browser.PostFormFromAsync(thanks, "/vastaa/seuraava-vastaaja", []);
        Assert.Equal("/vastaa/kysely", next.Headers.Location?.OriginalString);
        var fresh = await tablet.PageAsync(1);
        Assert.DoesNotContain("checked=\"checked\"", fresh.Html, StringComparison.Ordinal);
        Assert.Equal("/vastaa/kiitos", await tablet.AnswerAllAsync(new Dictionary<string, string> { ["a_vk_h_age_band"] = "3-5" }));
        Assert.Equal(2, await TestData.ResponseCountAsync(factory, round.Id));

        // The group's two answers are given: no next respondent, and the thank-you page says why.
        (_, thanks) = await tablet.Browser.GetAsync("/vastaa/kiitos");
        Assert.DoesNotContain("<button", thanks, StringComparison.Ordinal);
        Assert.Contains(NextRespondentModel.GroupUsedUp, thanks, StringComparison.Ordinal);

        // A personal code entered in the same browser afterwards forgets the group.
        await tablet.EnterAsync(codes[1]);
        Assert.Equal("/vastaa", (await tablet.Browser.PostFormAsync("/vastaa/kysely", "/vastaa/seuraava-vastaaja", [])).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_answer_sent_twice_at_once_or_retried_counts_once()
    {
        var (round, codes) = await RoundWithCodesAsync(1);
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(codes[0]);
        await respondent.PostPageAsync(1, [new("a_vk_h_age_band", "3-5")]);
        var (_, review) = await respondent.Browser.GetAsync("/vastaa/yhteenveto");
        var token = System.Text.RegularExpressions.Regex.Match(review, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => respondent.Browser.Client.PostAsync(
            new Uri("/vastaa/yhteenveto", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }))));

        Assert.All(responses, r => Assert.Equal("/vastaa/kiitos", r.Headers.Location?.OriginalString));
        Assert.Equal(1, await TestData.ResponseCountAsync(factory, round.Id));
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, (await db.AccessCodes.SingleAsync(c => c.RoundId == round.Id)).Uses);
    }

    [Fact]
    public async Task Forged_posts_are_refused_in_Finnish_and_keep_what_was_answered()
    {
        var (round, codes) = await RoundWithCodesAsync(1);
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(codes[0]);
        await respondent.PostPageAsync(1, [new("a_vk_h_age_band", "3-5")]);

        var forged = await respondent.PostPageAsync(4, [new("a_vk_h_001", "4"), new("a_vk_h_016", "7"), new("a_not_an_item", "3"), new("a_vk_h_002", "5")]);
        var html = await forged.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        Assert.Contains("Vastauksen arvo ei ole sallittu.", html, StringComparison.Ordinal);
        Assert.Contains("Lomakkeessa oli kysymys, jota tässä kyselyssä ei ole.", html, StringComparison.Ordinal);
        Assert.Contains("Lomakkeessa oli kysymys, joka ei kuulu tälle sivulle.", html, StringComparison.Ordinal);
        Assert.Matches("name=\"a_vk_h_001\" value=\"4\" checked=\"checked\"", html);

        var hidden = await respondent.PostPageAsync(5, [new("a_vk_h_023", "5")]);
        Assert.Contains("Tähän kysymykseen ei vastata aiempien vastaustesi perusteella.", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tooLong = await respondent.PostPageAsync(7, [new("t_vk_h_open", new string('x', 1001))]);
        var longHtml = await tooLong.Content.ReadAsStringAsync();
        Assert.Contains("Vastaus on liian pitkä: enintään 1000 merkkiä, nyt 1001.", longHtml, StringComparison.Ordinal);
        Assert.Contains(new string('x', 1001), longHtml, StringComparison.Ordinal);

        var otherSurvey = await respondent.PostPageAsync(2, [new("a_vk_h_002", "5")], version: "999999");
        Assert.Contains("Lomake kuuluu toiseen kyselyyn.", await otherSurvey.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The respondent's earlier answers are intact, and the corrected page still goes through.
        Assert.Matches("name=\"a_vk_h_age_band\" value=\"3-5\" checked=\"checked\"", (await respondent.PageAsync(1)).Html);
        Assert.Equal("/vastaa/kysely?sivu=5", (await respondent.PostPageAsync(4, [new("a_vk_h_001", "4")])).Headers.Location?.OriginalString);
        Assert.Equal(0, await TestData.ResponseCountAsync(factory, round.Id));
    }

    [Fact]
    public async Task An_open_answer_is_counted_as_the_browser_counts_it_a_line_break_as_one_character()
    {
        var (_, codes) = await RoundWithCodesAsync(1);
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(codes[0]);
        // 1000 characters in the textarea (maxlength="1000"), sent as a form sends them: ten line breaks as CRLF, 1010 in all.
        var lines = string.Join("\r\n", Enumerable.Range(0, 11).Select(i => new string((char)('a' + i), i < 10 ? 89 : 100)));
        Assert.Equal(1010, lines.Length);

        Assert.Equal(HttpStatusCode.Redirect, (await respondent.PostPageAsync(7, [new("t_vk_h_open", lines)])).StatusCode);
        Assert.Equal("/vastaa/kiitos", (await respondent.SendAsync()).Headers.Location?.OriginalString);

        await TestData.FlushAsync(factory);
        await using var db = factory.CreateDbContext();
        Assert.Contains(await db.OpenTextAnswers.Select(t => t.Text).ToListAsync(), t => t == lines.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_text_is_stored_as_text_and_shown_escaped()
    {
        var (_, codes) = await RoundWithCodesAsync(1);
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(codes[0]);
        const string script = "<script>alert('x')</script> & \"lainaus\"";
        await respondent.PostPageAsync(7, [new("t_vk_h_open", script)]);
        var (_, review) = await respondent.Browser.GetAsync("/vastaa/yhteenveto");
        Assert.DoesNotContain("<script>alert", review, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;lainaus&quot;", review, StringComparison.Ordinal);
        await respondent.SendAsync();

        await TestData.FlushAsync(factory);
        await using var db = factory.CreateDbContext();
        Assert.Contains(await db.OpenTextAnswers.Select(t => t.Text).ToListAsync(), t => t == script);
    }

    [Fact]
    public async Task After_the_round_closes_a_code_and_a_late_submission_are_told_so_politely()
    {
        var (round, codes) = await RoundWithCodesAsync(2);
        using var late = new Respondent(factory);
        await late.EnterAsync(codes[0]);
        await late.PostPageAsync(1, [new("a_vk_h_age_band", "3-5")]);
        var (_, review) = await late.Browser.GetAsync("/vastaa/yhteenveto");
        Assert.Contains("<div lang=\"fi\" dir=\"ltr\" class=\"survey-content\">", review, StringComparison.Ordinal);

        await using (var db = factory.CreateDbContext())
        {
            await db.Rounds.Where(r => r.Id == round.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RoundState.Closed));
        }

        // The review page was already open in the browser when the round closed.
        var submitted = await late.Browser.PostFormFromAsync(review, "/vastaa/yhteenveto", []);
        Assert.Equal("/vastaa/kiitos?tila=paattynyt", submitted.Headers.Location?.OriginalString);
        var (_, thanks) = await late.Browser.GetAsync("/vastaa/kiitos?tila=paattynyt");
        Assert.Contains("Kysely on päättynyt", thanks, StringComparison.Ordinal);

        using var fresh = new Respondent(factory);
        var entered = await fresh.EnterAsync(codes[1]);
        Assert.Contains("Kysely on jo päättynyt", await entered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await TestData.ResponseCountAsync(factory, round.Id));
    }

    [Fact]
    public async Task A_sent_answer_waits_sealed_at_one_length_per_survey_whatever_was_written()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var catalog = scope.ServiceProvider.GetRequiredService<Arviointi.Web.Features.Surveys.SurveyCatalog>();
        var pending = scope.ServiceProvider.GetRequiredService<PendingResponses>();
        var day = new DateOnly(2027, 1, 10);
        foreach (var version in await db.SurveyVersions.AsNoTracking().OrderBy(v => v.Id).ToListAsync())
        {
            var (survey, layout) = (catalog.Definition(version), catalog.Layout(version));
            var size = PendingResponses.PaddedSize(survey, layout);

            // Nothing answered, against every slot answered and every open text at its longest in three-byte characters.
            var empty = new PendingContent(version.Id, day, new byte[layout.Length], new Dictionary<string, string>());
            var texts = survey.Items.Where(i => i.Type == Arviointi.Surveys.ItemType.Text).ToDictionary(i => i.Id, i => new string('€', i.MaxLength), StringComparer.Ordinal);
            var fullest = new PendingContent(version.Id, day, [.. Enumerable.Repeat((byte)5, layout.Length)], texts);
            var sealedEmpty = pending.Seal(1, 2, version.Group, empty, size);
            var sealedFullest = pending.Seal(1, 2, version.Group, fullest, size);
            output.WriteLine($"{version.SurveyId}{(version.FocusModule is { } module ? "+" + module : "")}: {layout.Length} answer bytes, {texts.Count} open texts, sealed at {sealedEmpty.Payload.Length:N0} B");
            Assert.Equal(size + 28, sealedEmpty.Payload.Length);
            Assert.Equal(sealedEmpty.Payload.Length, sealedFullest.Payload.Length);
            Assert.Equal(0, size % 4096);

            var opened = pending.Open(sealedFullest);
            Assert.Equal(fullest.Answers, opened.Answers);
            Assert.Equal(texts, opened.Texts);
        }
    }

    /// <summary>Requests that RespondentFuzzTests found answered with a 500, each inside a respondent's session.</summary>
    [Theory]
    [InlineData("POST", "/vastaa", "Code=ABCDE-FGHJK&x[=1", false, HttpStatusCode.BadRequest, "Pyyntöä ei voitu käsitellä")]
    [InlineData("POST", "/vastaa", "Code=404", false, HttpStatusCode.BadRequest, "Lomake tai osoite oli vanhentunut tai rikki.")]
    [InlineData("POST", "/vastaa/kysely?sivu=1", "versio={version}&a_vk_h_age_band[=6", true, HttpStatusCode.UnprocessableEntity, "Lomakkeessa oli kysymys, jota tässä kyselyssä ei ole.")]
    [InlineData("PUT", "/vastaa/kysely?sivu=1", "versio={version}", true, HttpStatusCode.MethodNotAllowed, "Pyyntöä ei voitu käsitellä")]
    [InlineData("TRACE", "/vastaa/yhteenveto", null, false, HttpStatusCode.MethodNotAllowed, "Pyyntöä ei voitu käsitellä")]
    public async Task A_malformed_request_inside_a_session_gets_a_Finnish_4xx_not_a_500(string method, string target, string? form, bool withToken, HttpStatusCode expected, string text)
    {
        var (_, codes) = await RoundWithCodesAsync(1);
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(codes[0]);
        var page = await respondent.PageAsync(1);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(target, UriKind.Relative));
        if (form is not null)
        {
            var body = form.Replace("{version}", page.Version, StringComparison.Ordinal) + (withToken ? "&__RequestVerificationToken=" + Uri.EscapeDataString(Browser.TokenIn(page.Html)) : "");
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await respondent.Browser.Client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(EvaluationRound Round, IReadOnlyList<string> Codes)> RoundWithCodesAsync(int count)
    {
        var unit = await TestData.UnitAsync(factory, "398", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        return (round, await TestData.CodesAsync(factory, round.Id, unit.Id, count));
    }
}
