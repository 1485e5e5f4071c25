using System.Text.RegularExpressions;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>
/// Accounts by e-mail in a real browser: the coordinator invites a person from the users page, the person sets a
/// password through the link (after a refused attempt), and someone asks for and uses a password-reset link. Mail is
/// not configured here, so the links are read from the outbox. Every state shown passes axe at 360 and 1280 px.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed partial class AccountPagesTests(AccountPagesTests.Fixture app) : IClassFixture<AccountPagesTests.Fixture>
{
    private const string Admin = "selain.kutsuja";

    /// <summary>A coordinator, a unit for the invited leader, and an analyst with an address who forgets a password.</summary>
    public sealed class Fixture : BrowserFixture
    {
        protected override async Task SeedAsync()
        {
            await TestData.UnitAsync(this, "081", "Kutsukoulu Hartola", Arviointi.Surveys.Sector.Basic);
            await TestData.UserAsync(this, Admin, Roles.Administrator);
            await TestData.UserAsync(this, "selain.unohtaja", Roles.Analyst, email: "unohtaja@example.fi");
        }
    }

    [Fact]
    public async Task Invitation_set_password_and_forgotten_password_pages_pass_axe_in_every_state()
    {
        var page = await app.NewPageAsync(1280);
        try
        {
            await page.GotoAsync("/hallinta/kayttajat");
            await BrowserFixture.SignInAsync(page, Admin, TestData.Password);
            await page.Locator("#invite-email").FillAsync("rehtori@hartola.example.fi");
            await page.Locator("#invite-name").FillAsync("Rehtori Hartola");
            await page.Locator("#invite-role").SelectOptionAsync(Roles.UnitLeader);
            await page.Locator("#invite-unit").SelectOptionAsync(new SelectOptionValue { Label = "Hartola: Kutsukoulu Hartola" });
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Lähetä kutsu", Exact = true }));
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Kutsu on lähtevien viestien jonossa");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Lähetä kutsu uudelleen rehtori@hartola.example.fi" })).ToBeVisibleAsync();
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the users page after an invitation");
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        var person = await app.NewPageAsync(1280);
        try
        {
            var invitation = await LinkAsync("rehtori@hartola.example.fi", "/salasana/kutsu");
            await person.GotoAsync(invitation);
            await Expect(person.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Aseta salasana");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(person, "the invitation page");

            await person.SetViewportSizeAsync(1280, 800);
            await FillPasswordsAsync(person, "Hyvä-salasana-2027", "Eri-salasana-2027");
            await BrowserFixture.SubmitAsync(person, person.GetByRole(AriaRole.Button, new() { Name = "Aseta salasana" }));
            await Expect(person.GetByRole(AriaRole.Alert)).ToContainTextAsync("Uusi salasana ja sen vahvistus eivät ole samat.");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(person, "the invitation page with a validation error");

            await person.SetViewportSizeAsync(1280, 800);
            await FillPasswordsAsync(person, "Hyvä-salasana-2027", "Hyvä-salasana-2027");
            await BrowserFixture.SubmitAsync(person, person.GetByRole(AriaRole.Button, new() { Name = "Aseta salasana" }));
            await Expect(person.GetByRole(AriaRole.Status)).ToContainTextAsync("Salasana on asetettu.");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(person, "the invitation page after the password is set");

            await person.GotoAsync(invitation);
            await Expect(person.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Linkki ei ole voimassa");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(person, "a used invitation link");

            // Forgotten password: from the sign-in page's link, the same answer for anyone, then the mailed link.
            await person.SetViewportSizeAsync(1280, 800);
            await person.GotoAsync("/kirjaudu");
            await person.GetByRole(AriaRole.Link, new() { Name = "Unohditko salasanan?" }).ClickAsync();
            await Expect(person).ToHaveURLAsync(app.Url("/salasana/unohtunut"));
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(person, "the forgotten-password page");
            await person.SetViewportSizeAsync(1280, 800);
            await person.GetByLabel("Käyttäjätunnus tai sähköposti").FillAsync("selain.unohtaja");
            await BrowserFixture.SubmitAsync(person, person.GetByRole(AriaRole.Button, new() { Name = "Lähetä linkki" }));
            await Expect(person.GetByRole(AriaRole.Status)).ToContainTextAsync("Jos tunnus on olemassa");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(person, "the forgotten-password page after a request");

            await person.SetViewportSizeAsync(1280, 800);
            await person.GotoAsync(await LinkAsync("unohtaja@example.fi", "/salasana/uusi"));
            await FillPasswordsAsync(person, "lyhyt", "lyhyt");
            await BrowserFixture.SubmitAsync(person, person.GetByRole(AriaRole.Button, new() { Name = "Vaihda salasana" }));
            await Expect(person.GetByRole(AriaRole.Alert)).ToContainTextAsync("Salasanassa pitää olla vähintään 12 merkkiä.");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(person, "the set-password page with a validation error");
        }
        finally
        {
            await person.Context.CloseAsync();
        }
    }

    // The browser's own check (minlength) would stop a short password before the server sees it; the server's message is what is tested.
    private static async Task FillPasswordsAsync(IPage page, string password, string confirm)
    {
        await page.Locator("form:has(#new)").EvaluateAsync("f => f.noValidate = true");
        await page.Locator("#new").FillAsync(password);
        await page.Locator("#confirm").FillAsync(confirm);
    }

    /// <summary>The path and query of the link in the newest message to <paramref name="address"/> waiting in the outbox.</summary>
    private async Task<string> LinkAsync(string address, string path)
    {
        await using var db = app.CreateDbContext();
        var body = (await db.OutgoingMails.Where(m => m.ToAddress == address).OrderByDescending(m => m.Id).FirstAsync()).Body;
        var match = Regex.Match(body, Regex.Escape(path) + "\\?\\S+");
        Assert.True(match.Success, "No link in:\n" + body);
        return match.Value;
    }
}
