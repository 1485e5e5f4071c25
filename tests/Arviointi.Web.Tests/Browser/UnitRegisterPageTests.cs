using System.Text;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>
/// The coordinator keeps the register of units in a real browser: the register page, an import's preview and its
/// confirmation, and an error state each pass axe at 360 and 1280 px without sideways scrolling.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class UnitRegisterPageTests(UnitRegisterPageTests.Fixture app) : IClassFixture<UnitRegisterPageTests.Fixture>
{
    private const string Admin = "selain.rekisteri.admin";

    /// <summary>An administrator and a few units, one of them closed, so every part of the page has content.</summary>
    public sealed class Fixture : BrowserFixture
    {
        protected override async Task SeedAsync()
        {
            await TestData.UserAsync(this, Admin, Roles.Administrator);
            await TestData.UnitAsync(this, "398", "Päiväkoti Kielo");
            await TestData.UnitAsync(this, "398", "Päiväkoti Vuokko");
            await TestData.UnitAsync(this, "081", "Kirkonkylän koulu", Arviointi.Surveys.Sector.Basic);
            await using var db = CreateDbContext();
            var closed = await TestData.UnitAsync(this, "098", "Päiväkoti Lakkautettu");
            db.Units.Attach(closed);
            closed.ClosedOn = new DateOnly(2026, 7, 31);
            await db.SaveChangesAsync();
        }
    }

    [Fact]
    public async Task The_register_its_import_preview_and_an_error_state_are_accessible()
    {
        var page = await app.NewPageAsync(1280);
        try
        {
            await page.GotoAsync("/hallinta/yksikot");
            await BrowserFixture.SignInAsync(page, Admin, TestData.Password);
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Hollola (098): yksiköt" })).ToContainTextAsync("suljettu 31.7.2026");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the register");

            // A file with a rename, a new unit and a closure: the preview lists each, and confirming applies them.
            await page.SetViewportSizeAsync(1280, 800);
            var csv = "kunta;yksikkö;sektori;aiempi nimi;suljettu\n"
                + "398;Päiväkoti Vanamo;;Päiväkoti Vuokko;\n"
                + "Lahti;Päiväkoti Orvokki;varhaiskasvatus;;\n"
                + "398;Päiväkoti Kielo;;;31.7.2027\n";
            await page.GetByLabel("CSV-tiedosto").SetInputFilesAsync(new FilePayload { Name = "yksikot.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Esikatsele tuontia" }));
            var preview = page.GetByRole(AriaRole.Table, new() { Name = "Muutokset, jotka tuonti tekee" });
            await Expect(preview.Locator("tbody tr")).ToHaveCountAsync(3);
            await Expect(preview).ToContainTextAsync("Nimi muuttuu");
            await Expect(preview).ToContainTextAsync("Uusi yksikkö");
            await Expect(preview).ToContainTextAsync("Suljetaan");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the import preview");

            await page.SetViewportSizeAsync(1280, 800);
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Vahvista tuonti" }));
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Tuonti tehtiin: kaikki esikatselun muutokset tallennettiin.");
            var lahti = page.GetByRole(AriaRole.Table, new() { Name = "Lahti (398): yksiköt" });
            await Expect(lahti).ToContainTextAsync("Päiväkoti Vanamo");
            await Expect(lahti).ToContainTextAsync("Päiväkoti Vuokko (–");
            await Expect(lahti).ToContainTextAsync("Päiväkoti Orvokki");

            // A file with bad lines: the error summary names each line, and nothing is imported.
            await page.GetByLabel("CSV-tiedosto").SetInputFilesAsync(new FilePayload
            {
                Name = "virheet.csv",
                MimeType = "text/csv",
                Buffer = Encoding.UTF8.GetBytes("kunta;yksikkö;sektori\n999;Päiväkoti Jossain;varhaiskasvatus\n398;Päiväkoti Uusi;\n"),
            });
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Esikatsele tuontia" }));
            var errors = page.GetByRole(AriaRole.Alert);
            await Expect(errors).ToContainTextAsync("Rivi 2: tuntematon kunta ”999”");
            await Expect(errors).ToContainTextAsync("Rivi 3: uudelle yksikölle ”Päiväkoti Uusi” pitää antaa sektori.");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the import's errors");

            // A form's error: merging a unit into itself.
            await page.SetViewportSizeAsync(1280, 800);
            await page.GetByLabel("Yhdistettävä yksikkö (suljetaan)").SelectOptionAsync(new SelectOptionValue { Label = "Päiväkoti Orvokki" });
            await page.GetByLabel("Yksikkö, johon se yhdistetään").SelectOptionAsync(new SelectOptionValue { Label = "Päiväkoti Orvokki" });
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Yhdistä", Exact = true }));
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Yksikköä ei voi yhdistää itseensä.");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "a merge refused");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
