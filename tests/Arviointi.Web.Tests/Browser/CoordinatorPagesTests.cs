using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>
/// The coordinator in a real browser: the round form refuses a second round of a year and sector and asks to confirm an
/// opening time already past, keeping what was typed; the code order lists the round's units by municipality in Finnish
/// order. Every state shown passes axe at 360 and 1280 px.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class CoordinatorPagesTests(CoordinatorPagesTests.Fixture app) : IClassFixture<CoordinatorPagesTests.Fixture>
{
    private const string Admin = "selain.koordinaattori";

    /// <summary>The open 2027 ECEC round; day-care centres in Hollola and Heinola (codes 098 and 111) and a school; a coordinator.</summary>
    public sealed class Fixture : BrowserFixture
    {
        protected override async Task SeedAsync()
        {
            foreach (var (municipality, name) in new[] { ("098", "Päiväkoti Bertta"), ("098", "Åkerin päiväkoti"), ("098", "aallon päiväkoti"), ("111", "Päiväkoti Heinäkukka") })
            {
                await TestData.UnitAsync(this, municipality, name);
            }

            await TestData.UnitAsync(this, "016", "Asikkalan selainkoulu", Sector.Basic);
            await TestData.OpenRoundAsync(this);
            await TestData.UserAsync(this, Admin, Roles.Administrator);
        }
    }

    [Fact]
    public async Task The_round_form_refuses_a_duplicate_and_asks_to_confirm_a_past_opening_and_the_code_order_lists_units_in_Finnish_order()
    {
        var page = await app.NewPageAsync(1280);
        try
        {
            await page.GotoAsync("/hallinta/kierrokset");
            await BrowserFixture.SignInAsync(page, Admin, TestData.Password);
            await Expect(page).ToHaveURLAsync(app.Url("/hallinta/kierrokset"));
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the round form");

            // 2027 is an ECEC year and its round exists: refused, in the form, with the dates typed still there.
            var cycle = page.Locator("form").Filter(new() { Has = page.Locator("#cycle-year") });
            await FillCycleAsync(page, "2027", "2027-01-17T08:00");
            await Expect(cycle.GetByRole(AriaRole.Alert)).ToContainTextAsync("Vuodelle 2027 on jo tämän sektorin kierros");
            await Expect(page.Locator("#cycle-opens")).ToHaveValueAsync("2027-01-17T08:00");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the round form refusing a duplicate");

            // An opening already past (the clock is 10.1.2027 09.00) needs the confirmation box ticked.
            await page.SetViewportSizeAsync(1280, 800);
            await FillCycleAsync(page, "2029", "2027-01-05T08:00");
            await Expect(cycle.GetByRole(AriaRole.Alert)).ToContainTextAsync("Avautumisaika 5.1.2027 08.00 on jo mennyt");
            await Expect(page.Locator("#cycle-year")).ToHaveValueAsync("2029");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the round form warning of a past opening");
            await cycle.GetByLabel("Vahvistan: kierros avautuu heti").CheckAsync();
            await BrowserFixture.SubmitAsync(page, cycle.GetByRole(AriaRole.Button, new() { Name = "Luo kierros vuosikellon mukaan" }));
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Kierros luotiin vuosikellon mukaan ja ajastettiin.");

            // The code order for the 2027 round: Heinola before Hollola, and in Hollola a, B, Å as a Finnish reader sorts them.
            await page.GotoAsync("/koodit");
            await page.GetByLabel("Kierros", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "2027 Varhaiskasvatus" });
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Näytä kierroksen yksiköt" }));
            var groups = await page.Locator("#order-unit optgroup").EvaluateAllAsync<string[]>("gs => gs.map(g => g.label)");
            Assert.True(Array.IndexOf(groups, "Heinola") < Array.IndexOf(groups, "Hollola"), string.Join(", ", groups));
            Assert.DoesNotContain("Asikkala", groups);
            var hollola = await page.Locator("#order-unit optgroup[label=Hollola] option").AllTextContentsAsync();
            Assert.Equal(["aallon päiväkoti", "Päiväkoti Bertta", "Åkerin päiväkoti"], hollola);
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the code order form");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task FillCycleAsync(IPage page, string year, string opens)
    {
        await page.Locator("#cycle-year").FillAsync(year);
        await page.Locator("#cycle-opens").FillAsync(opens);
        await page.Locator("#cycle-closes").FillAsync(Regex.Replace(opens, "-01-", "-02-"));
        await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Luo kierros vuosikellon mukaan" }));
    }
}
