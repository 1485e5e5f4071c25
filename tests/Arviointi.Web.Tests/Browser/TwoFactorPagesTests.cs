using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>
/// A new coordinator in a real browser: a wrong password, the set-up of an authenticator app (QR code and key), a wrong
/// code, the recovery codes, then the second step of the next sign-in. Each state passes axe at 360 and 1280 px, and
/// the page's Content-Security-Policy lets none of it depend on inline script.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class TwoFactorPagesTests(TwoFactorPagesTests.Fixture app) : IClassFixture<TwoFactorPagesTests.Fixture>
{
    private const string Admin = "selain.kaksivaihe";

    public sealed class Fixture : BrowserFixture
    {
        /// <summary>An administrator as the users page makes one: a password, no app yet.</summary>
        protected override Task SeedAsync() => WithScopeAsync(async services =>
        {
            var users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>(services);
            var user = new AppUser { UserName = Admin, DisplayName = "Uusi koordinaattori" };
            Assert.True((await users.CreateAsync(user, TestData.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Administrator)).Succeeded);
            return user;
        });
    }

    [Fact]
    public async Task A_new_coordinator_sets_up_an_app_and_signs_in_with_its_code_on_pages_that_pass_axe()
    {
        var page = await app.NewPageAsync(1280);
        try
        {
            var response = await page.GotoAsync("/kirjaudu");
            var csp = await response!.HeaderValueAsync("content-security-policy");
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);

            await page.GetByLabel("Käyttäjätunnus").FillAsync(Admin);
            await page.GetByLabel("Salasana").FillAsync("Väärä-salasana-2027");
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu", Exact = true }));
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Käyttäjätunnus tai salasana on väärin");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the sign-in page after a wrong password");

            await page.GetByLabel("Käyttäjätunnus").FillAsync(Admin);
            await page.GetByLabel("Salasana").FillAsync(TestData.Password);
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu", Exact = true }));

            // The role requires an app: any page leads to its set-up first.
            await page.GotoAsync("/hallinta/kierrokset");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tili/kaksivaihe\\?ReturnUrl=%2Fhallinta%2Fkierrokset$"));
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR-koodi todennussovellukselle. Sama avain on kirjoitettuna alla." })).ToBeVisibleAsync();
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the authenticator set-up");
            var key = (await page.Locator("#authenticator-key").TextContentAsync())!.Trim();

            await page.GetByLabel("Sovelluksen näyttämä koodi").FillAsync("000000");
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ota käyttöön" }));
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Koodi ei täsmää.");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the set-up after a wrong code");

            await page.GetByLabel("Sovelluksen näyttämä koodi").FillAsync(SecondFactor.Code(key));
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ota käyttöön" }));
            await Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(AuthenticatorModel.RecoveryCodeCount);
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the recovery codes");
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Jatka" }));
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/hallinta/kierrokset$"));

            // Signed out, the next sign-in asks for the code; the keyboard alone gets through it.
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu ulos" }));
            await page.GotoAsync("/kirjaudu");
            await page.GetByLabel("Käyttäjätunnus").FillAsync(Admin);
            await page.GetByLabel("Salasana").FillAsync(TestData.Password);
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu", Exact = true }));
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/kirjaudu/kaksivaihe"));
            await page.GetByLabel("Todennussovelluksen koodi").FillAsync("000000");
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu", Exact = true }));
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Koodi on väärin tai vanhentunut.");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the second step after a wrong code");

            await page.GetByLabel("Todennussovelluksen koodi").FillAsync(SecondFactor.Code(key));
            var before = page.Url;
            await page.GetByLabel("Todennussovelluksen koodi").PressAsync("Enter");
            await BrowserFixture.LeftAsync(page, before);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu ulos" })).ToBeVisibleAsync();

            await page.GotoAsync("/tili/kaksivaihe");
            await Expect(page.GetByText("Varakoodeja jäljellä: 10.")).ToBeVisibleAsync();
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the two-factor page when on");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
