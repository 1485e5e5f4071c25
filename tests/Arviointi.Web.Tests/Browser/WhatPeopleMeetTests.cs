using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Codes;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Features;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>
/// What respondents, unit leaders and newcomers meet first, in a real browser: the survey's language choice (one language
/// per screen, answers kept), an open answer counted as the browser counts it, a second QR link in the same tab, the
/// opening time of a survey not yet open, the code slips, the tab's icon, the job dashboard signed out and the API's
/// refusals. Every page shown passes axe at 360 and 1280 px.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class WhatPeopleMeetTests(WhatPeopleMeetTests.Fixture app) : IClassFixture<WhatPeopleMeetTests.Fixture>
{
    private const string Leader = "kohtaaminen.johtaja";
    private const string Admin = "kohtaaminen.koordinaattori";

    /// <summary>
    /// An ECEC guardians' round open around the clock (10.1.2027 08:00 – 9.2.2027 09:00 Finnish time) with codes and a
    /// batch of slips for a unit in Lahti, and one opening on 12.1.2027 at 8.30; its unit's leader and a coordinator.
    /// </summary>
    public sealed class Fixture : BrowserFixture
    {
        private readonly ConcurrentQueue<string> open = new();

        public string NotYetOpenCode { get; private set; } = "";

        public string OpenCode() => open.TryDequeue(out var code) ? code : throw new InvalidOperationException("No codes left.");

        protected override async Task SeedAsync()
        {
            var unit = await TestData.UnitAsync(this, "398", "Päiväkoti Ensikosketus");
            var round = await TestData.OpenRoundAsync(this);
            foreach (var code in await TestData.CodesAsync(this, round.Id, unit.Id, 8))
            {
                open.Enqueue(code);
            }

            var (batch, error) = await WithScopeAsync(s => s.GetRequiredService<CodeBatches>()
                .OrderAsync(new BatchOrder(round.Id, unit.Id, RespondentGroup.Guardian, AccessCodeKind.Personal, 3, 1), "testi"));
            Assert.Null(error);
            Assert.NotNull(batch);

            var version = await TestData.SurveyAsync(this, "ecec-guardian");
            var opens = new DateTimeOffset(2027, 1, 12, 6, 30, 0, TimeSpan.Zero);
            var later = await WithScopeAsync(async s =>
            {
                var (created, errors) = await s.GetRequiredService<RoundAdmin>().CreateAsync(new NewRound(2027, Sector.Ecec, "Osallisuus", opens, opens.AddDays(30), [version.Id]), "testi");
                Assert.Empty(errors);
                return created!;
            });
            await TestData.ReconcileAsync(this);
            NotYetOpenCode = (await TestData.CodesAsync(this, later.Id, unit.Id, 1))[0];

            await TestData.UserAsync(this, Leader, Roles.UnitLeader, "398", unit.Id);
            await TestData.UserAsync(this, Admin, Roles.Administrator);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Choosing_Swedish_on_a_survey_page_keeps_its_answers_and_turns_every_text_Swedish(bool javaScript)
    {
        await InPageAsync(async page =>
        {
            await EnterAsync(page, app.OpenCode());
            await page.GetByText("3–5-vuotias").ClickAsync();
            await Expect(page.Locator("#progress-label")).ToHaveTextAsync("Sivu 1 / 7");

            // The header's language links would drop the page's answers: the survey's own choice stands in for them.
            await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Kieli", Exact = true })).ToHaveCountAsync(0);
            var before = page.Url;
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Kyselyn kieli" }).GetByRole(AriaRole.Button, new() { Name = "Svenska" }).ClickAsync();
            await BrowserFixture.LeftAsync(page, before);

            await Expect(page).ToHaveURLAsync(new Regex(@"/vastaa/kysely\?sivu=1&kieli=sv$"));
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "sv");
            await Expect(page.Locator("input[name=a_vk_h_age_band][value='3-5']")).ToBeCheckedAsync();
            await Expect(page.Locator("#progress-label")).ToHaveTextAsync("Sida 1 / 7");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Gå till innehållet" })).ToHaveCountAsync(1);
            await NextAsync(page, "Nästa");

            // The scale, the page counter and the buttons of the next page are Swedish too.
            await Expect(page.Locator("#progress-label")).ToHaveTextAsync("Sida 2 / 7");
            await Expect(page.Locator("form.survey fieldset.scale").First).ToContainTextAsync("Helt av samma åsikt");
            await Expect(page.Locator("form.survey fieldset.scale").First).ToContainTextAsync("Kan inte säga");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Föregående" })).ToBeVisibleAsync();
            await Expect(page.GetByText("Seuraava", new() { Exact = true })).ToHaveCountAsync(0);
            if (javaScript)
            {
                await AssertAccessibleAsync(page, "a survey page in Swedish");
            }

            before = page.Url;
            await page.GetByRole(AriaRole.Button, new() { Name = "Föregående" }).ClickAsync();
            await BrowserFixture.LeftAsync(page, before);
            await Expect(page.Locator("input[name=a_vk_h_age_band][value='3-5']")).ToBeCheckedAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "sv");
        }, 360, javaScript);
    }

    [Fact]
    public async Task Enter_on_a_choice_goes_on_to_the_next_page_not_to_another_language()
    {
        await InPageAsync(async page =>
        {
            await EnterAsync(page, app.OpenCode());
            var choice = page.Locator("input[name=a_vk_h_age_band][value='6']");
            await choice.CheckAsync();
            var before = page.Url;
            await choice.PressAsync("Enter");
            await BrowserFixture.LeftAsync(page, before);
            await Expect(page.Locator("#progress-label")).ToHaveTextAsync("Sivu 2 / 7");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fi");
        }, 1280);
    }

    [Fact]
    public async Task An_open_answer_of_the_full_length_with_line_breaks_is_taken_as_the_browser_counted_it()
    {
        await InPageAsync(async page =>
        {
            await EnterAsync(page, app.OpenCode());
            await page.GotoAsync("/vastaa/kysely?sivu=7");
            var field = page.Locator("textarea[name=t_vk_h_open]");
            await Expect(field).ToHaveAttributeAsync("maxlength", "1000");

            // 1000 characters as the textarea counts them, ten of them line breaks; the form sends those as CRLF, 1010 in all.
            var text = string.Join("\n", Enumerable.Range(0, 11).Select(i => new string((char)('a' + i), i < 10 ? 89 : 100)));
            await field.FillAsync(text);
            Assert.Equal(1000, await field.EvaluateAsync<int>("f => f.value.length"));
            await NextAsync(page, "Yhteenvetoon");

            await Expect(page).ToHaveURLAsync(new Regex("/vastaa/yhteenveto"));
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
            await Expect(page.Locator(".review dd").Filter(new() { HasText = new string('k', 100) })).ToHaveCountAsync(1);
            await AssertAccessibleAsync(page, "the review with a long open answer");
        }, 360);
    }

    [Fact]
    public async Task A_second_QR_link_opened_in_the_same_tab_fills_in_its_own_code()
    {
        await InPageAsync(async page =>
        {
            var (first, second) = (app.OpenCode(), app.OpenCode());
            await page.GotoAsync($"/vastaa#{first}");
            var field = page.GetByLabel("Vastauskoodi", new() { Exact = true });
            await Expect(field).ToHaveValueAsync(first);

            await page.GotoAsync($"/vastaa#{second}");
            await Expect(field).ToHaveValueAsync(second);
            await Expect(page).ToHaveURLAsync(app.Url("/vastaa"));
            await AssertAccessibleAsync(page, "the code page filled from a link");

            await page.GetByRole(AriaRole.Button, new() { Name = "Aloita", Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/vastaa/kysely$"));
        }, 360);
    }

    [Fact]
    public async Task A_code_of_a_survey_not_yet_open_tells_when_it_opens()
    {
        await InPageAsync(async page =>
        {
            await page.GotoAsync("/vastaa");
            await page.GetByLabel("Vastauskoodi", new() { Exact = true }).FillAsync(app.NotYetOpenCode);
            await page.GetByRole(AriaRole.Button, new() { Name = "Aloita", Exact = true }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Kysely ei ole vielä avautunut. Se avautuu 12.1.2027 kello 8.30 Suomen aikaa. Tervetuloa vastaamaan silloin!");
            await AssertAccessibleAsync(page, "the code page of a survey not yet open");
        }, 360);
    }

    [Fact]
    public async Task The_units_leader_prints_slips_that_name_the_municipality_and_the_answering_period()
    {
        await InPageAsync(async page =>
        {
            await page.GotoAsync("/koodit");
            await SignInAsync(page, Leader);
            await Expect(page).ToHaveURLAsync(app.Url("/koodit"));
            await AssertAccessibleAsync(page, "the code batches");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Lataa tulostettavat koodit (PDF ja CSV)" }).ClickAsync());
            using var zip = ZipFile.OpenRead(await download.PathAsync());
            using var pdf = new MemoryStream();
            await using (var entry = zip.Entries.Single(e => e.Name.EndsWith(".pdf", StringComparison.Ordinal)).Open())
            {
                await entry.CopyToAsync(pdf);
            }

            using var document = CodeSlipsTests.Open(pdf.ToArray());
            var slips = CodeSlipsTests.Text(document.Pages[0]);
            Assert.Contains("Päiväkoti Ensikosketus, Lahti · Huoltajat", slips, StringComparison.Ordinal);
            Assert.Contains("Vastausaika 10.1.2027–9.2.2027", slips, StringComparison.Ordinal);
        }, 1280);
    }

    [Fact]
    public async Task The_tab_has_an_icon()
    {
        await InPageAsync(async page =>
        {
            var icon = await page.GotoAsync("/favicon.ico");
            Assert.Equal(200, icon!.Status);
            Assert.Equal("image/x-icon", await icon.HeaderValueAsync("content-type"));
        }, 360);
    }

    [Fact]
    public async Task A_signed_out_visitor_to_the_job_dashboard_is_asked_to_sign_in_and_then_sees_it()
    {
        await InPageAsync(async page =>
        {
            await page.GotoAsync("/hangfire");
            await Expect(page).ToHaveURLAsync(app.Url("/kirjaudu?ReturnUrl=%2Fhangfire"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kirjaudu");
            await AssertAccessibleAsync(page, "the sign-in page on the way to the job dashboard");

            await SignInAsync(page, Admin);
            await Expect(page).ToHaveURLAsync(app.Url("/hangfire"));
            await Expect(page.Locator("body")).ToContainTextAsync("Hangfire");
        }, 360);
    }

    [Theory]
    [InlineData(null, "/api/rounds/1/results", 401, "Kirjautuminen vaaditaan")]
    [InlineData(Leader, "/api/rounds/1/aineisto/guardian.zip", 403, "Ei käyttöoikeutta")]
    [InlineData(Leader, "/api/rounds/99999/results", 404, "Ei löytynyt")]
    public async Task The_api_refuses_in_json_problem_details_with_a_Finnish_title(string? user, string path, int status, string title)
    {
        await InPageAsync(async page =>
        {
            if (user is not null)
            {
                await page.GotoAsync("/kirjaudu");
                await SignInAsync(page, user);
            }

            var response = await page.GotoAsync(path);
            Assert.Equal(status, response!.Status);
            Assert.StartsWith("application/problem+json", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
            var problem = (await response.JsonAsync())!.Value;
            Assert.Equal(title, problem.GetProperty("title").GetString());
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
        }, 1280);
    }

    /// <summary>Runs <paramref name="test"/> in a page of its own browser context (its own cookies), closed afterwards.</summary>
    private async Task InPageAsync(Func<IPage, Task> test, int width, bool javaScript = true)
    {
        var page = await app.NewPageAsync(width, 800, javaScript);
        try
        {
            await test(page);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task EnterAsync(IPage page, string code)
    {
        await page.GotoAsync("/vastaa");
        await page.GetByLabel("Vastauskoodi", new() { Exact = true }).FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aloita", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/vastaa/kysely$"));
    }

    private static async Task NextAsync(IPage page, string name)
    {
        var next = page.Locator($"form.survey button[name=suunta][value={SurveyModel.Next}]");
        await Expect(next).ToHaveTextAsync(name);
        var before = page.Url;
        await next.ClickAsync();
        await BrowserFixture.LeftAsync(page, before);
    }

    private static Task SignInAsync(IPage page, string user) => BrowserFixture.SignInAsync(page, user, TestData.Password);

    /// <summary>Axe (WCAG 2.1 A and AA) and no sideways scrolling, on a phone and on a desktop, the same page resized.</summary>
    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        foreach (var width in new[] { 360, 1280 })
        {
            await page.SetViewportSizeAsync(width, 800);
            await BrowserFixture.AssertNoAxeViolationsAsync(page, $"{what} at {width} px");
            await BrowserFixture.AssertNoSidewaysScrollingAsync(page, $"{what} at {width} px");
        }
    }
}
