using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

// Not ".Browser": that name would hide the HTTP-level Infrastructure.Browser in the other test namespaces.
namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>The respondent's first page, <c>/vastaa</c>, in a real browser: on a phone and a desktop, in every language.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class LandingPageTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const string WrongCodeMessage = "Koodia ei löytynyt. Tarkista, että kirjoitit sen oikein.";

    [Theory]
    [InlineData("fi", "Suomeksi", "Vastaa kyselyyn", 360)]
    [InlineData("fi", "Suomeksi", "Vastaa kyselyyn", 1280)]
    [InlineData("sv", "På svenska", "Svara på enkäten", 360)]
    [InlineData("sv", "På svenska", "Svara på enkäten", 1280)]
    [InlineData("en", "In English", "Answer the survey", 360)]
    [InlineData("en", "In English", "Answer the survey", 1280)]
    public async Task Landing_page_is_accessible_and_fits_the_screen_in_every_language(string language, string switchLink, string heading, int width)
    {
        var page = await app.NewPageAsync(width, 800);
        try
        {
            await page.GotoAsync("/vastaa");

            // The language switch in the header, as a respondent uses it: back on the same page in the chosen language.
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Kieli" }).GetByRole(AriaRole.Link, new() { Name = switchLink }).ClickAsync();
            await Expect(page).ToHaveURLAsync(app.Url("/vastaa"));
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);

            await BrowserFixture.AssertNoAxeViolationsAsync(page, $"/vastaa in {language} at {width} px");
            if (width <= 360)
            {
                await BrowserFixture.AssertNoSidewaysScrollingAsync(page, $"{width} px");
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Theory]
    [InlineData(360, true)]
    [InlineData(1280, true)]
    [InlineData(360, false)]
    public async Task Wrong_code_shows_the_error_in_an_alert_and_leaves_focus_on_the_field(int width, bool javaScript)
    {
        var page = await app.NewPageAsync(width, 800, javaScript);
        try
        {
            await page.GotoAsync("/vastaa");
            var field = page.GetByLabel("Vastauskoodi", new() { Exact = true });
            await field.PressSequentiallyAsync("AAAAA-BBBBB");
            await field.PressAsync("Enter");

            // The alert exists only on the page the server sends back, so from here on the checks are about that page.
            var alert = page.GetByRole(AriaRole.Alert);
            await Expect(alert).ToHaveTextAsync(WrongCodeMessage);

            // After the round trip the respondent lands on the field to correct, which is marked invalid and
            // described by the error, so a screen reader reads the message with the field; what was typed is kept.
            field = page.GetByLabel("Vastauskoodi", new() { Exact = true });
            await Expect(field).ToBeFocusedAsync();
            await Expect(field).ToHaveValueAsync("AAAAA-BBBBB");
            await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(field).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(WrongCodeMessage)));

            // Axe and the width check are scripts in the page: they run where it has JavaScript, on the same markup.
            if (javaScript)
            {
                await BrowserFixture.AssertNoAxeViolationsAsync(page, $"/vastaa with a wrong code at {width} px");
                if (width <= 360)
                {
                    await BrowserFixture.AssertNoSidewaysScrollingAsync(page, $"{width} px");
                }
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
