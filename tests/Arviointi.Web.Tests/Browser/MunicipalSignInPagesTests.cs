using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arviointi.Web.Tests.BrowserTests;

/// <summary>The app in Chromium with municipal sign-in configured against the test's own provider on loopback.</summary>
public sealed class MunicipalSignInBrowserFixture : BrowserFixture
{
    private TestOidcProvider? provider;
    private bool registered;

    internal TestOidcProvider Provider
    {
        get
        {
            // The callback addresses are known once the app listens.
            if (!registered)
            {
                MunicipalSignInFixture.RegisterClients(provider!, BaseUrl);
                registered = true;
            }

            return provider!;
        }
    }

    protected override async Task BeforeServerStartsAsync() => provider = await TestOidcProvider.StartAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        MunicipalSignInFixture.Configure(builder, provider!.Authority);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }
}

/// <summary>The municipal sign-in buttons and the refusal page, as a director meets them in a real browser.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class MunicipalSignInPagesTests(MunicipalSignInBrowserFixture app) : IClassFixture<MunicipalSignInBrowserFixture>
{
    [Fact]
    public async Task The_buttons_and_the_refusal_page_are_accessible_and_an_invited_director_gets_in()
    {
        var name = $"selainjohtaja-{Guid.NewGuid().ToString("n")[..8]}";
        await TestData.UserAsync(app, name, Roles.Director, "398", email: $"{name}@lahti.fi");
        var page = await app.NewPageAsync();
        try
        {
            await page.GotoAsync("/kirjaudu");
            var lahti = page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu kunnan tunnuksella: Lahti" });
            await Expect(lahti).ToBeVisibleAsync();
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the sign-in page with municipal buttons");

            // Someone the coordinator has not invited: through the provider and back to a refusal in Finnish.
            app.Provider.Person = new ProviderPerson(Guid.NewGuid().ToString(), $"kutsumaton-{name}@lahti.fi");
            // The first trip warms up both servers (discovery, keys): slow on a loaded two-core machine.
            await lahti.ClickAsync(new() { Timeout = 60_000 });
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kirjautuminen kunnan tunnuksella ei onnistunut", new() { Timeout = 30_000 });
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Tunnuksen saa kutsusta alueen koordinaattorilta.");
            await BrowserFixture.AssertAccessibleAtBothWidthsAsync(page, "the municipal sign-in refusal page");

            // The invited director, from the refusal page's link back to the sign-in page.
            app.Provider.Person = new ProviderPerson(Guid.NewGuid().ToString(), $"{name}@lahti.fi");
            await page.GetByRole(AriaRole.Link, new() { Name = "Takaisin kirjautumiseen" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu kunnan tunnuksella: Lahti" }).ClickAsync(new() { Timeout = 30_000 });
            await Expect(page).ToHaveURLAsync(app.Url("/"), new() { Timeout = 30_000 });
            await page.GotoAsync("/tulokset");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Tulokset");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
