using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>
/// An administrator in a real browser makes an API token, sees it once, revokes it, and finds both in the audit log,
/// filtered by action. The token page and the log pass axe at 360 and 1280 px in each state shown.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class TokenAndLogPagesTests(TokenAndLogPagesTests.Fixture app) : IClassFixture<TokenAndLogPagesTests.Fixture>
{
    private const string Admin = "selain.loki.admin";

    /// <summary>An administrator and enough older events for the log to have two pages.</summary>
    public sealed class Fixture : BrowserFixture
    {
        protected override async Task SeedAsync()
        {
            await TestData.UserAsync(this, Admin, Roles.Administrator);
            await using var db = CreateDbContext();
            var start = Clock.GetUtcNow().AddDays(-3);
            db.AuditEvents.AddRange(Enumerable.Range(0, 55).Select(i => new AuditEvent { At = start.AddMinutes(i), Actor = "vanha.koordinaattori", Action = "round.created", Details = $"Kierros {i} luotiin" }));
            await db.SaveChangesAsync();
        }
    }

    [Fact]
    public async Task An_administrator_makes_and_revokes_a_token_and_finds_both_in_the_filtered_log()
    {
        var page = await app.NewPageAsync(1280);
        try
        {
            await page.GotoAsync("/tili/tunnukset");
            await BrowserFixture.SignInAsync(page, Admin, TestData.Password);
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the token page without tokens");

            await page.SetViewportSizeAsync(1280, 800);
            await page.GetByLabel("Nimi (mihin tunnusta käytetään)").FillAsync("Python-raportti");
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Luo tunnus" }));
            var token = await page.GetByLabel("Uusi tunnus").InputValueAsync();
            Assert.Matches("^arv_[A-Za-z0-9_-]{43}$", token);
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Omat tunnukset" })).ToContainTextAsync(token[..12] + "…");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the token page showing a new token");

            await page.SetViewportSizeAsync(1280, 800);
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Table, new() { Name = "Omat tunnukset" }).GetByRole(AriaRole.Button, new() { Name = "Peru Python-raportti" }));
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Tunnus peruttiin. Sillä ei voi enää ladata aineistoja.");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Omat tunnukset" })).ToContainTextAsync("Peruttu");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the token page after a revocation");

            await page.GotoAsync("/hallinta/loki");
            await Expect(page.GetByText("Sivu 1 / 2")).ToBeVisibleAsync();
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the audit log");
            await page.SetViewportSizeAsync(1280, 800);
            await page.GetByLabel("Tekijä").SelectOptionAsync(Admin);
            await BrowserFixture.SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Näytä" }));
            // The administrator's own rows, newest first: the token's two among the sign-in's.
            var rows = page.GetByRole(AriaRole.Table, new() { Name = "Tapahtumat" }).Locator("tbody tr").Filter(new() { HasText = "token." });
            await Expect(rows).ToHaveCountAsync(2);
            await Expect(rows.Nth(0)).ToContainTextAsync("token.revoked");
            await Expect(rows.Nth(1)).ToContainTextAsync("token.created");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Tapahtumat" }).Locator("tbody tr").Filter(new() { HasText = "signin.succeeded" })).ToHaveCountAsync(1);
            Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the audit log filtered by actor");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
