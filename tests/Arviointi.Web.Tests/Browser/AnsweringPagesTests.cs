using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>
/// The whole respondent flow in a real browser: every page of every survey on a phone in every language (axe and
/// no sideways scrolling), a whole survey with the keyboard alone, and a whole survey without JavaScript.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class AnsweringPagesTests(AnsweringPagesTests.Fixture app) : IClassFixture<AnsweringPagesTests.Fixture>
{
    private const int PhoneWidth = 360;
    private const int PhoneHeight = 740;

    /// <summary>Two open rounds (ECEC 2027 and basic education 2028, as the cycle plans them), a unit of each sector, codes for every survey.</summary>
    public sealed class Fixture : BrowserFixture
    {
        private readonly Dictionary<string, int> rounds = [];
        private readonly Dictionary<string, ConcurrentQueue<string>> codes = [];

        /// <summary>The round a survey is answered in.</summary>
        public int RoundOf(string surveyId) => rounds[surveyId];

        /// <summary>An unused code for the survey: personal codes, and for children a group code as a child group gets.</summary>
        public string CodeFor(string surveyId) =>
            codes[surveyId].TryDequeue(out var code) ? code : throw new InvalidOperationException($"No codes left for {surveyId}.");

        protected override async Task SeedAsync()
        {
            var now = Clock.GetUtcNow();
            var ececUnit = await TestData.UnitAsync(this, "398", "Päiväkoti Selain", Sector.Ecec);
            var basicUnit = await TestData.UnitAsync(this, "398", "Selaimen koulu", Sector.Basic);
            foreach (var (year, unit) in new[] { (2027, ececUnit), (2028, basicUnit) })
            {
                var round = await WithScopeAsync(async services =>
                {
                    var (created, errors) = await services.GetRequiredService<RoundAdmin>().CreateFromCycleAsync(year, now.AddMinutes(-1), now.AddDays(20), "testi");
                    Assert.Empty(errors);
                    return created!;
                });

                await using var db = CreateDbContext();
                var surveys = await db.RoundSurveys.Where(s => s.RoundId == round.Id).Select(s => new { s.Group, s.SurveyVersion!.SurveyId }).ToListAsync();
                Assert.Equal(3, surveys.Count);
                foreach (var survey in surveys)
                {
                    var order = survey.Group == RespondentGroup.Child
                        ? new CodeOrder(round.Id, unit.Id, survey.Group, 1, AccessCodeKind.Group, UsesPerCode: 20)
                        : new CodeOrder(round.Id, unit.Id, survey.Group, 6);
                    var issued = await WithScopeAsync(services => services.GetRequiredService<RoundAdmin>().IssueCodesAsync(order, "testi"));
                    var queue = new ConcurrentQueue<string>();
                    foreach (var code in survey.Group == RespondentGroup.Child ? Enumerable.Repeat(issued[0], 20) : issued)
                    {
                        queue.Enqueue(code);
                    }

                    rounds[survey.SurveyId] = round.Id;
                    codes[survey.SurveyId] = queue;
                }
            }

            await TestData.ReconcileAsync(this);
        }
    }

    /// <summary>What the respondent pages say in each UI language.</summary>
    private sealed record Texts(string SwitchLink, string CodeLabel, string Start, string Next, string ToSummary, string Send, string Thanks);

    private static readonly Dictionary<string, Texts> UiTexts = new()
    {
        ["fi"] = new("Suomeksi", "Vastauskoodi", "Aloita", "Seuraava", "Yhteenvetoon", "Lähetä vastaukset", "Kiitos vastauksestasi!"),
        ["sv"] = new("På svenska", "Svarskod", "Börja", "Nästa", "Till sammanfattningen", "Skicka svaren", "Tack för ditt svar!"),
        ["en"] = new("In English", "Response code", "Start", "Next", "To the summary", "Send answers", "Thank you for your answer!"),
    };

    public static TheoryData<string, string> SurveysAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var survey in new[] { "ecec-staff", "ecec-guardian", "ecec-child", "basic-staff", "basic-guardian", "basic-pupil" })
        {
            foreach (var language in new[] { "fi", "sv", "en" })
            {
                data.Add(survey, language);
            }
        }

        return data;
    }

    /// <summary>The ids of the questions (radio or checkbox) on the page that are visible and have nothing chosen.</summary>
    private const string UnansweredQuestions = """
        () => Array.from(document.querySelectorAll('form.survey fieldset.item'))
          .filter((f) => f.getClientRects().length > 0 && !f.querySelector('input:checked'))
          .map((f) => f.id)
        """;

    [Theory]
    [MemberData(nameof(SurveysAndLanguages))]
    public async Task Every_page_of_every_survey_is_accessible_and_fits_a_phone_in_every_language(string surveyId, string language)
    {
        var texts = UiTexts[language];
        var page = await app.NewPageAsync(PhoneWidth, PhoneHeight);
        try
        {
            await page.GotoAsync("/vastaa");
            if (language != "fi")
            {
                await page.GetByRole(AriaRole.Navigation, new() { Name = "Kieli" }).GetByRole(AriaRole.Link, new() { Name = texts.SwitchLink }).ClickAsync();
                await Expect(page).ToHaveURLAsync(app.Url("/vastaa"));
            }

            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            await page.GetByLabel(texts.CodeLabel, new() { Exact = true }).FillAsync(app.CodeFor(surveyId));
            await page.GetByRole(AriaRole.Button, new() { Name = texts.Start, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(SurveyPageUrl());

            var pages = 0;
            while (page.Url.Contains("/vastaa/kysely", StringComparison.Ordinal))
            {
                pages++;
                Assert.True(pages < 60, $"{surveyId} in {language}: still on a survey page after 60 pages ({page.Url}).");
                var what = $"{surveyId} in {language}, survey page {pages}";
                await Expect(page.Locator("div.survey-content")).ToHaveAttributeAsync("lang", language);
                await AssertAccessibleOnPhoneAsync(page, what);

                // The first choice of every question the page shows, clicked as a respondent clicks it (on the label: child
                // mode hides the radio inside it); asked again after each round, so a question a condition reveals gets answered too.
                string[] unanswered = [];
                for (var round = 0; round < 5; round++)
                {
                    unanswered = await page.EvaluateAsync<string[]>(UnansweredQuestions);
                    if (unanswered.Length == 0)
                    {
                        break;
                    }

                    foreach (var id in unanswered)
                    {
                        await page.Locator($"[id='{id}'] label").First.ClickAsync();
                    }
                }

                Assert.True(unanswered.Length == 0, $"{what}: clicking the first choice left {string.Join(", ", unanswered)} unanswered.");

                var next = page.Locator("form.survey button[name=suunta][value=seuraava]");
                await Expect(next).ToHaveTextAsync(new Regex($"^({Regex.Escape(texts.Next)}|{Regex.Escape(texts.ToSummary)})$"));
                var before = page.Url;
                await next.ClickAsync();
                await BrowserFixture.LeftAsync(page, before);
            }

            Assert.True(pages >= 2, $"{surveyId} in {language} had only {pages} page(s), then {page.Url}: {await page.Locator("main").InnerTextAsync()}");
            await Expect(page).ToHaveURLAsync(new Regex("/vastaa/yhteenveto"));
            await Expect(page.Locator("div.survey-content")).ToHaveAttributeAsync("lang", language);
            await AssertAccessibleOnPhoneAsync(page, $"{surveyId} in {language}, review");

            var responses = await ResponseCountAsync(surveyId);
            await page.GetByRole(AriaRole.Button, new() { Name = texts.Send, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(app.Url("/vastaa/kiitos"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(texts.Thanks);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            await AssertAccessibleOnPhoneAsync(page, $"{surveyId} in {language}, thank-you page");
            Assert.Equal(responses + 1, await ResponseCountAsync(surveyId));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// What has keyboard focus, as the keyboard user's loop decides on it: the element, its radio group's state,
    /// and whether the focus is visible (an outline on the element or, for a picture choice whose radio is hidden, on its label).
    /// </summary>
    private sealed class Focused
    {
        public string Path { get; set; } = "";
        public string Tag { get; set; } = "";
        public string Type { get; set; } = "";
        public string Name { get; set; } = "";
        public string Value { get; set; } = "";
        public string Id { get; set; } = "";
        public string ClassName { get; set; } = "";
        public bool GroupChecked { get; set; }
        public string Text { get; set; } = "";
        public bool InSurvey { get; set; }
        public bool Picture { get; set; }
        public bool Visible { get; set; }
    }

    private const string FocusProbe = """
        () => {
          const e = document.activeElement || document.body;
          const form = e.closest ? e.closest('form') : null;
          const group = e.name && form && e.type === 'radio' ? Array.from(form.querySelectorAll('input[name="' + CSS.escape(e.name) + '"]')) : [];
          const outlined = (n) => { if (!n) return false; const s = getComputedStyle(n); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.opacity !== '0'; };
          return {
            path: location.pathname,
            tag: e.tagName.toLowerCase(),
            type: e.type || '',
            name: e.name || '',
            value: typeof e.value === 'string' ? e.value : '',
            id: e.id || '',
            className: typeof e.className === 'string' ? e.className : '',
            groupChecked: group.some((i) => i.checked),
            text: (e.innerText || '').trim(),
            inSurvey: !!(e.closest && e.closest('form.survey')),
            picture: !!(e.closest && e.closest('fieldset.smiley')),
            visible: e === document.body || outlined(e) || outlined(e.closest('label')),
          };
        }
        """;

    [Theory]
    [InlineData("basic-pupil")]
    [InlineData("ecec-child")]
    public async Task A_whole_survey_can_be_answered_with_the_keyboard_alone(string surveyId)
    {
        var texts = UiTexts["fi"];
        var code = app.CodeFor(surveyId);
        var responses = await ResponseCountAsync(surveyId);
        var page = await app.NewPageAsync(PhoneWidth, PhoneHeight);
        try
        {
            await page.GotoAsync("/vastaa");
            var log = new List<string>();
            var pickedFaces = 0;
            var gradeBand = (string?)null;
            var done = false;
            for (var step = 0; step < 1500 && !done; step++)
            {
                var focus = await page.EvaluateAsync<Focused>(FocusProbe);
                Assert.True(focus.Visible, $"Keyboard focus is not visible on <{focus.Tag} {focus.Type} {focus.Name} {focus.Id} {focus.ClassName}> at {page.Url}.");
                string key;
                var navigates = false;
                switch (focus.Path)
                {
                    case "/vastaa/kiitos":
                        done = true;
                        continue;
                    case "/vastaa" when focus.Id == "code" && focus.Value.Length == 0:
                        await page.Keyboard.TypeAsync(code);
                        log.Add("type code");
                        continue;
                    case "/vastaa" when focus.Id == "code":
                        (key, navigates) = ("Enter", true);
                        break;
                    case "/vastaa/kysely" or "/vastaa/yhteenveto" when focus.Tag == "a" && focus.ClassName.Contains("skip", StringComparison.Ordinal):
                        // The skip link first on every page, as keyboard users use it: straight past the header to the content.
                        key = "Enter";
                        break;
                    case "/vastaa/kysely" when focus.InSurvey && focus.Type == "radio" && !focus.GroupChecked:
                        key = "Space";
                        break;
                    case "/vastaa/kysely" when focus.InSurvey && focus.Type == "radio" && focus.Picture && focus.Value == "1":
                        // A picture choice: arrows move the choice within the question, from the sad face to the middle one.
                        key = "ArrowDown";
                        pickedFaces++;
                        break;
                    case "/vastaa/kysely" when focus.Tag == "button" && focus.Name == "suunta" && focus.Value == "seuraava":
                        Assert.Contains(focus.Text, new[] { texts.Next, texts.ToSummary });
                        (key, navigates) = ("Enter", true);
                        break;
                    case "/vastaa/yhteenveto" when focus.Tag == "button" && focus.Text == texts.Send:
                        (key, navigates) = ("Enter", true);
                        break;
                    default:
                        key = "Tab";
                        break;
                }

                if (focus.Type == "radio" && focus.Name == "a_pk_o_grade_band" && key == "Space")
                {
                    gradeBand = focus.Value;
                }

                log.Add($"{focus.Path} <{focus.Tag} {focus.Type} {focus.Name}={focus.Value}> {key}");
                var before = page.Url;
                await page.Keyboard.PressAsync(key);
                if (navigates)
                {
                    try
                    {
                        await BrowserFixture.LeftAsync(page, before, (url, at) => WithoutFragment(url) == WithoutFragment(at));
                    }
                    catch (TimeoutException)
                    {
                        var shown = await page.Locator("main").InnerTextAsync();
                        Assert.Fail($"Pressing {key} at {before} did not move on; the page says:\n{shown[..Math.Min(600, shown.Length)]}\nlast keys:\n{string.Join('\n', log.TakeLast(15))}");
                    }
                }
            }

            Assert.True(done, $"The keyboard user never reached the thank-you page; last keys:\n{string.Join('\n', log.TakeLast(40))}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(texts.Thanks);
            Assert.Equal(responses + 1, await ResponseCountAsync(surveyId));
            Assert.True(pickedFaces > 0, "No picture choice was made with the arrow keys.");
            if (surveyId == "basic-pupil")
            {
                // Grades 1–2 (the first choice) lead to the picture questions: the faces above were theirs.
                Assert.Equal("1-2", gradeBand);
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_whole_survey_can_be_answered_without_javascript()
    {
        const string surveyId = "ecec-guardian";
        var texts = UiTexts["fi"];
        var responses = await ResponseCountAsync(surveyId);
        var page = await app.NewPageAsync(PhoneWidth, PhoneHeight, javaScriptEnabled: false);
        try
        {
            await page.GotoAsync("/vastaa");
            await page.GetByLabel(texts.CodeLabel, new() { Exact = true }).FillAsync(app.CodeFor(surveyId));
            await page.GetByRole(AriaRole.Button, new() { Name = texts.Start, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(SurveyPageUrl());

            var pages = 0;
            while (page.Url.Contains("/vastaa/kysely", StringComparison.Ordinal))
            {
                pages++;
                Assert.True(pages < 60, $"Still on a survey page after 60 pages ({page.Url}).");
                var items = page.Locator("form.survey fieldset.item");
                var count = await items.CountAsync();
                for (var i = 0; i < count; i++)
                {
                    await items.Nth(i).Locator("label").First.ClickAsync();
                }

                var before = page.Url;
                await page.Locator("form.survey button[name=suunta][value=seuraava]").ClickAsync();
                await BrowserFixture.LeftAsync(page, before);
            }

            Assert.True(pages >= 2);
            await Expect(page).ToHaveURLAsync(new Regex("/vastaa/yhteenveto"));
            await page.GetByRole(AriaRole.Button, new() { Name = texts.Send, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(app.Url("/vastaa/kiitos"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(texts.Thanks);
            Assert.Equal(responses + 1, await ResponseCountAsync(surveyId));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<int> ResponseCountAsync(string surveyId)
    {
        var round = app.RoundOf(surveyId);
        await using var db = app.CreateDbContext();
        var group = await db.RoundSurveys.Where(s => s.RoundId == round && s.SurveyVersion!.SurveyId == surveyId).Select(s => s.Group).SingleAsync();
        return (await PendingResponses.CountsAsync(db, round, CancellationToken.None)).Where(c => c.Group == group).Sum(c => c.Count);
    }

    private static string WithoutFragment(string url) => url.Split('#')[0];

    private static async Task AssertAccessibleOnPhoneAsync(IPage page, string what)
    {
        await BrowserFixture.AssertNoAxeViolationsAsync(page, what);
        await BrowserFixture.AssertNoSidewaysScrollingAsync(page, what);
    }

    [GeneratedRegex(@"/vastaa/kysely(\?|$)")]
    private static partial Regex SurveyPageUrl();
}
