using System.Globalization;
using System.Text.Json;
using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>The director's and coordinator's pages in a real browser: results with their charts, the year view and the front page.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class ResultsPagesTests(ResultsPagesTests.Fixture app, ITestOutputHelper output) : IClassFixture<ResultsPagesTests.Fixture>
{
    /// <summary>
    /// The chart at <c>src</c> laid into the page at the width the image has there, as the image scales it, and each of its
    /// texts' font size in CSS pixels as drawn (font size times the text's scale on screen) and box height.
    /// </summary>
    private const string MeasureChartText = """
        async (img, src) => {
            const width = img.getBoundingClientRect().width;
            const markup = await (await fetch(src, { credentials: 'same-origin' })).text();
            const box = document.createElement('div');
            box.style.cssText = `position: absolute; left: 0; top: 0; width: ${width}px`;
            box.innerHTML = markup;
            document.body.appendChild(box);
            const svg = box.querySelector('svg');
            if (!svg) throw new Error(src + ' gave ' + markup.slice(0, 300));
            svg.style.width = '100%';
            svg.style.height = 'auto';
            const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim().length > 0).map(t => {
                const m = t.getScreenCTM();
                return { text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b), height: t.getBoundingClientRect().height };
            });
            box.remove();
            return { width, texts };
        }
        """;

    public sealed class Fixture : BrowserFixture
    {
        public int RoundId { get; private set; }

        protected override async Task SeedAsync()
        {
            var lahti = await TestData.UnitAsync(this, "398", "Selainpäiväkoti Lahti");
            var heinola = await TestData.UnitAsync(this, "111", "Selainpäiväkoti Heinola");
            var hollola = await TestData.UnitAsync(this, "098", "Selainpäiväkoti Hollola");
            await TestData.UserAsync(this, "selain.johtaja", Roles.Director, "398", email: "johtaja@example.fi");
            await TestData.UserAsync(this, "selain.admin", Roles.Administrator);
            await RoundAsync(2025, [(lahti, 20, 10), (heinola, 20, 8)]);
            RoundId = await RoundAsync(2027, [(lahti, 30, 24), (heinola, 40, 12), (hollola, 3, 3)], new() { [lahti.Id] = 60, [heinola.Id] = 90, [hollola.Id] = 12 });
        }

        private Task<int> RoundAsync(int year, (Arviointi.Web.Features.Organisation.Unit Unit, int Answers, int Agreeing)[] answers, Dictionary<int, int>? enrolment = null) =>
            TestData.PublishedRoundAsync(this, year, answers.Select(a => (a.Unit, (IReadOnlyList<Dictionary<string, string>>)[.. Enumerable.Range(0, a.Answers)
                .Select(i => new Dictionary<string, string> { ["a_vk_h_001"] = i < a.Agreeing ? "5" : "2", ["a_vk_h_016"] = i % 2 == 0 ? "4" : "3", ["t_vk_h_open"] = $"Kiitos opettaja Mikolle, vastaus {i}." })])), enrolment);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(360)]
    [InlineData(320)]
    public async Task The_directors_results_pages_and_their_charts_are_accessible(int width)
    {
        var page = await SignedInAsync("selain.johtaja", width);
        try
        {
            foreach (var (path, heading) in new[]
            {
                ($"/tulokset/{app.RoundId}", "Lahti: Varhaiskasvatus 2027"),
                ($"/tulokset/{app.RoundId}?ryhma=Guardian&alue=interaction", "Vuorovaikutus: Huoltajat 2027"),
                ($"/tulokset/{app.RoundId}/kysymys/Guardian/vk_h_001?rajaus=vk_h_age_band:3-5", "Lapseni tulee kuulluksi ja ymmärretyksi."),
                ($"/tulokset/{app.RoundId}/kunta/398", "Lahti: yksiköt – Varhaiskasvatus 2027"),
                ($"/tulokset/{app.RoundId}/kunta/398?ryhma=Guardian&alue=interaction", "Lahti: Vuorovaikutus – Huoltajat 2027"),
                ($"/tulokset/{app.RoundId}/avoimet", "Avoimet vastaukset: Lahti – Varhaiskasvatus 2027"),
                ("/tulokset/menetelmat", "Miten luvut lasketaan"),
                ("/vuosikello", "Vuosikello 2027"),
                ("/vastausaste", "Vastausaste"),
            })
            {
                await page.GotoAsync(path);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
                await BrowserFixture.AssertNoAxeViolationsAsync(page, $"{path} at {width} px");

                // On a phone the wide tables scroll in their own regions; the page itself never scrolls sideways.
                await BrowserFixture.AssertNoSidewaysScrollingAsync(page, path);

                // Every chart a page shows draws, even where the director's own figures are hidden (no broken image).
                await AssertChartsDrawAsync(page, path);
            }

            // The summary's story (its sentences are ComparisonPageTests'): here Lahti, 30 answers, is hidden as the partner of
            // Hollola's three, and the first screen says so instead of "nothing differs".
            await page.GotoAsync($"/tulokset/{app.RoundId}");
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Vahvuudet ja huolenaiheet" })).ToContainTextAsync("Kunnan lukuja ei näytetä tällä kierroksella");
            await Expect(page.Locator("table.results")).ToHaveCountAsync(0);

            // Lahti's open answers are hidden with its figures: saying why would tell a small group from a partner.
            await page.GotoAsync($"/tulokset/{app.RoundId}/avoimet");
            await Expect(page.Locator("main")).ToContainTextAsync("Vastauksia ei näytetä: kysymykseen on vastannut alle kymmenen, tai ne paljastaisivat pienen ryhmän.");

            // The item page's charts load as images the browser can draw, each with its text alternative.
            await page.GotoAsync($"/tulokset/{app.RoundId}/kysymys/Guardian/vk_h_001");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Samaa mieltä olevien osuus painotettuna yksiköiden kokoon" })).ToBeVisibleAsync();
            await Expect(page.Locator("figure.chart img")).ToHaveCountAsync(4);
            await AssertChartsDrawAsync(page, "the item page");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Each chart of the page, scrolled to (they load lazily), has its text alternative and draws: no broken image.</summary>
    private static async Task AssertChartsDrawAsync(IPage page, string path)
    {
        foreach (var chart in await page.Locator("figure.chart img").AllAsync())
        {
            await chart.ScrollIntoViewIfNeededAsync();
            await Expect(chart).ToHaveAttributeAsync("alt", new System.Text.RegularExpressions.Regex(".{20,}"));
            var width = await chart.EvaluateAsync<int>(
                "img => img.complete ? img.naturalWidth : new Promise(done => { img.addEventListener('load', () => done(img.naturalWidth)); img.addEventListener('error', () => done(0)); })");
            Assert.True(width > 0, $"{await chart.GetAttributeAsync("src")} on {path} did not draw");
        }
    }

    [Fact]
    public async Task On_a_360_px_phone_chart_text_is_12_px_or_more_and_each_chart_says_whose_answers_it_shows()
    {
        // The coordinator: the region's charts on the comparison page, Heinola's on its page (Lahti's are hidden in this data).
        var page = await SignedInAsync("selain.admin", 360);
        try
        {
            var (phone, shrunk) = (double.MaxValue, double.MaxValue);
            var measured = 0;
            foreach (var path in new[] { $"/tulokset/{app.RoundId}?ryhma=Guardian&alue=interaction", $"/tulokset/{app.RoundId}/kunta/111?ryhma=Guardian&alue=interaction", $"/tulokset/{app.RoundId}/kysymys/Guardian/vk_h_001" })
            {
                await page.GotoAsync(path);
                var charts = page.Locator("figure.chart img");
                Assert.True(await charts.CountAsync() > 0, $"no charts on {path}");
                foreach (var chart in await charts.AllAsync())
                {
                    await chart.ScrollIntoViewIfNeededAsync();
                    await Expect(chart).ToHaveJSPropertyAsync("complete", true);
                    await Expect(chart).ToHaveAttributeAsync("alt", new System.Text.RegularExpressions.Regex("^Huoltajien vastaukset[ ,.]"));
                    var shown = await chart.EvaluateAsync<string>("img => img.currentSrc");
                    if (await chart.EvaluateAsync<int>("img => img.naturalWidth") == 0)
                    {
                        // No chart where nothing is shown: an area whose questions nobody answered here (the data answer two).
                        output.WriteLine($"No chart at {shown}");
                        continue;
                    }

                    measured++;
                    Assert.Contains("leveys=320", shown, StringComparison.Ordinal);

                    var texts = await TextsAsync(chart, shown);
                    Assert.Contains(texts, t => t.Text.StartsWith("Huoltajien vastaukset", StringComparison.Ordinal));
                    var smallest = texts.MinBy(t => t.Px);
                    Assert.True(smallest.Px >= 12, $"{shown} on {path}: \"{smallest.Text}\" is {smallest.Px:0.0} px on a 360 px phone");
                    phone = Math.Min(phone, smallest.Px);

                    // The 720 px drawing the wide screens get, shrunk to the same place, for comparison.
                    shrunk = Math.Min(shrunk, (await TextsAsync(chart, await chart.GetAttributeAsync("src") ?? "")).Min(t => t.Px));
                }
            }

            Assert.True(measured >= 6, $"{measured} charts measured");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Smallest chart text on a 360 px phone: {phone:0.0} px in {measured} charts (the 720 px drawing shrunk there: {shrunk:0.0} px)"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_coordinators_front_page_rounds_users_and_response_rates_are_accessible()
    {
        var page = await SignedInAsync("selain.admin", 1280);
        try
        {
            await page.GotoAsync("/");
            await BrowserFixture.AssertNoAxeViolationsAsync(page, "the front page of an administrator");
            foreach (var path in new[] { "/hallinta/kierrokset", "/hallinta/kayttajat", "/vastausaste", $"/tulokset/{app.RoundId}/avoimet", $"/tulokset/{app.RoundId}/avoimet?kunta=111" })
            {
                await page.GotoAsync(path);
                await BrowserFixture.AssertNoAxeViolationsAsync(page, path);
            }

            // Heinola's forty open answers, masked, each with the coordinator's button to withhold it.
            await Expect(page.Locator("ul.open-answers li")).ToHaveCountAsync(40);
            await Expect(page.Locator("ul.open-answers li").First).ToContainTextAsync("Kiitos opettaja [nimi], vastaus");
            await page.Locator("ul.open-answers li").First.GetByRole(AriaRole.Button, new() { Name = "Piilota tämä vastaus" }).ClickAsync();
            await Expect(page.Locator("ul.open-answers li")).ToHaveCountAsync(39);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task<List<(string Text, double Px, double Height)>> TextsAsync(ILocator image, string src)
    {
        var measured = await image.EvaluateAsync<JsonElement>(MeasureChartText, src);
        return [.. measured.GetProperty("texts").EnumerateArray()
            .Select(t => (t.GetProperty("text").GetString() ?? "", t.GetProperty("px").GetDouble(), t.GetProperty("height").GetDouble()))];
    }

    private async Task<IPage> SignedInAsync(string user, int width)
    {
        var page = await app.NewPageAsync(width, 900);
        await page.GotoAsync("/kirjaudu");
        await BrowserFixture.SignInAsync(page, user, TestData.Password);
        await Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("kirjaudu"));
        return page;
    }
}
