using System.Net;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Sign-in with the municipality's own provider, end to end over real HTTP: the app's OpenID Connect handler reads the
/// provider's discovery document, sends the person there with a PKCE challenge, takes the code back through form_post,
/// redeems it with the client secret and validates the signed ID token, and only then matches an invited account.
/// </summary>
public sealed class MunicipalSignInTests(MunicipalSignInFixture fixture) : IClassFixture<MunicipalSignInFixture>
{
    [Fact]
    public async Task The_sign_in_page_has_a_button_for_each_configured_municipality()
    {
        using var visitor = new CrossSiteVisitor();
        var (status, html, _) = await visitor.GetAsync(new Uri(fixture.BaseUrl, "/kirjaudu"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Kirjaudu kunnan tunnuksella: Lahti", html, StringComparison.Ordinal);
        Assert.Contains("Kirjaudu kunnan tunnuksella: Hollola", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Kirjaudu kunnan tunnuksella: Iitti", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invited_director_signs_in_with_the_municipality_account_and_reaches_the_results()
    {
        var name = Unique("johtaja");
        await TestData.UserAsync(fixture, name, Roles.Director, "398", email: $"{name}@lahti.fi");
        var subject = Guid.NewGuid().ToString();
        using var visitor = new CrossSiteVisitor();

        var (status, html, url) = await SignInAsync(visitor, "398", new ProviderPerson(subject, $"{name.ToUpperInvariant()}@Lahti.fi"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("/tulokset", url.AbsolutePath);
        Assert.Contains("<h1>Tulokset</h1>", html, StringComparison.Ordinal);
        Assert.Contains(visitor.Visited, u => u.Authority == fixture.Provider.Authority.Authority && u.AbsolutePath == "/connect/authorize");
        Assert.Equal("S256", fixture.Provider.ChallengeMethods.Last());
        Assert.Contains(visitor.Visited, u => u.Authority == fixture.BaseUrl.Authority && u.AbsolutePath == "/signin-oidc-398");

        var login = Assert.Single(await LoginsAsync(name));
        Assert.Equal(("oidc-398", subject), (login.LoginProvider, login.ProviderKey));
        var audited = await AuditedAsync(MunicipalSignIn.SucceededAction, $"{name.ToUpperInvariant()}@Lahti.fi");
        Assert.Equal(name, audited.Actor);
        Assert.Contains("oidc-398", audited.Details, StringComparison.Ordinal);
        Assert.Contains("ensimmäistä kertaa", audited.Details, StringComparison.Ordinal);
        await AssertNoTokensInAuditAsync();

        // Signed in with the application cookie: a second visit needs no provider.
        var (again, _, againUrl) = await visitor.GetAsync(new Uri(fixture.BaseUrl, "/tulokset"));
        Assert.Equal((HttpStatusCode.OK, "/tulokset"), (again, againUrl.AbsolutePath));

        // The next time the link already exists and the same person at the provider is let in again.
        using var later = new CrossSiteVisitor();
        var (laterStatus, _, laterUrl) = await SignInAsync(later, "398", new ProviderPerson(subject, $"{name}@lahti.fi"));
        Assert.Equal((HttpStatusCode.OK, "/tulokset"), (laterStatus, laterUrl.AbsolutePath));
        Assert.Single(await LoginsAsync(name));
    }

    [Fact]
    public async Task An_Entra_style_sign_in_without_email_verified_is_matched_by_the_sign_in_name_in_an_allowed_domain()
    {
        var name = Unique("rehtori");
        var unit = await TestData.UnitAsync(fixture, "398", $"Koulu {name}", Arviointi.Surveys.Sector.Basic);
        await TestData.UserAsync(fixture, name, Roles.UnitLeader, "398", unit.Id, email: $"{name}@edu.lahti.fi");
        using var visitor = new CrossSiteVisitor();

        var (status, _, url) = await SignInAsync(visitor, "398", new ProviderPerson(Guid.NewGuid().ToString(), $"{name}@edu.lahti.fi", EmailVerified: null, AsPreferredUsername: true));

        Assert.Equal((HttpStatusCode.OK, "/tulokset"), (status, url.AbsolutePath));
        Assert.Equal(name, (await AuditedAsync(MunicipalSignIn.SucceededAction, $"{name}@edu.lahti.fi")).Actor);
    }

    [Fact]
    public async Task An_address_without_an_invited_account_is_refused()
    {
        var email = $"{Unique("tuntematon")}@lahti.fi";
        using var visitor = new CrossSiteVisitor();

        var (status, html, _) = await SignInAsync(visitor, "398", new ProviderPerson(Guid.NewGuid().ToString(), email));

        await AssertRefusedAsync(visitor, status, html, "Sähköpostiosoitteellasi ei ole tämän kunnan sivistysjohtajan tai yksikön johtajan tunnusta.");
        Assert.Contains("syy no-account", (await AuditedAsync(MunicipalSignIn.FailedAction, email)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_outside_the_municipality_domains_is_refused_even_with_an_account()
    {
        var name = Unique("yksityinen");
        await TestData.UserAsync(fixture, name, Roles.Director, "398", email: $"{name}@example.com");
        using var visitor = new CrossSiteVisitor();

        var (status, html, _) = await SignInAsync(visitor, "398", new ProviderPerson(Guid.NewGuid().ToString(), $"{name}@example.com"));

        await AssertRefusedAsync(visitor, status, html, "Kunnan tunnistuspalvelu ei antanut kunnan sähköpostiosoitetta");
        Assert.Contains("syy domain", (await AuditedAsync(MunicipalSignIn.FailedAction, $"{name}@example.com")).Details, StringComparison.Ordinal);
        Assert.Empty(await LoginsAsync(name));
    }

    [Fact]
    public async Task A_director_of_another_municipality_is_refused()
    {
        // Hollola's director whose address is in Lahti's domain, signing in through Lahti's provider.
        var name = Unique("hollolan-johtaja");
        await TestData.UserAsync(fixture, name, Roles.Director, "098", email: $"{name}@lahti.fi");
        using var visitor = new CrossSiteVisitor();

        var (status, html, _) = await SignInAsync(visitor, "398", new ProviderPerson(Guid.NewGuid().ToString(), $"{name}@lahti.fi"));

        await AssertRefusedAsync(visitor, status, html, "Sähköpostiosoitteellasi ei ole tämän kunnan sivistysjohtajan tai yksikön johtajan tunnusta.");
        Assert.Contains("syy other-municipality", (await AuditedAsync(MunicipalSignIn.FailedAction, $"{name}@lahti.fi")).Details, StringComparison.Ordinal);
        Assert.Empty(await LoginsAsync(name));
    }

    [Fact]
    public async Task An_administrator_must_use_the_password_and_second_factor_instead()
    {
        var name = Unique("koordinaattori");
        await TestData.UserAsync(fixture, name, Roles.Administrator, email: $"{name}@lahti.fi");
        using var visitor = new CrossSiteVisitor();

        var (status, html, _) = await SignInAsync(visitor, "398", new ProviderPerson(Guid.NewGuid().ToString(), $"{name}@lahti.fi"));

        await AssertRefusedAsync(visitor, status, html, "Koordinaattorit ja analyytikot kirjautuvat käyttäjätunnuksella, salasanalla ja kaksivaiheisella tunnistuksella");
        Assert.Contains("syy password-role", (await AuditedAsync(MunicipalSignIn.FailedAction, $"{name}@lahti.fi")).Details, StringComparison.Ordinal);
        Assert.Empty(await LoginsAsync(name));
    }

    [Fact]
    public async Task An_address_the_provider_says_is_unverified_is_refused()
    {
        var name = Unique("vahvistamaton");
        await TestData.UserAsync(fixture, name, Roles.Director, "398", email: $"{name}@lahti.fi");
        using var visitor = new CrossSiteVisitor();

        var (status, html, _) = await SignInAsync(visitor, "398", new ProviderPerson(Guid.NewGuid().ToString(), $"{name}@lahti.fi", EmailVerified: false));

        await AssertRefusedAsync(visitor, status, html, "Kunnan tunnistuspalvelu ei ole vahvistanut sähköpostiosoitettasi");
        Assert.Contains("syy unverified", (await AuditedAsync(MunicipalSignIn.FailedAction, $"{name}@lahti.fi")).Details, StringComparison.Ordinal);
        Assert.Empty(await LoginsAsync(name));
    }

    [Fact]
    public async Task A_sign_in_cancelled_at_the_provider_ends_on_a_Finnish_page_and_is_audited()
    {
        using var visitor = new CrossSiteVisitor();
        var before = await CountAsync(MunicipalSignIn.FailedAction, "syy cancelled");

        var (status, html, _) = await SignInAsync(visitor, "098", new ProviderPerson(Guid.NewGuid().ToString(), "peruja@hollola.fi", Cancels: true));

        await AssertRefusedAsync(visitor, status, html, "Kirjautuminen peruttiin kunnan tunnistuspalvelussa.");
        Assert.Contains("Kunta: Hollola", html, StringComparison.Ordinal);
        Assert.Equal(before + 1, await CountAsync(MunicipalSignIn.FailedAction, "syy cancelled"));
    }

    [Fact]
    public async Task A_director_is_refused_at_another_municipality_provider_with_the_same_address_domain_rules()
    {
        // Lahti's director trying Hollola's provider: Hollola allows only hollola.fi addresses.
        var name = Unique("lahden-johtaja");
        await TestData.UserAsync(fixture, name, Roles.Director, "398", email: $"{name}@lahti.fi");
        using var visitor = new CrossSiteVisitor();

        var (status, html, _) = await SignInAsync(visitor, "098", new ProviderPerson(Guid.NewGuid().ToString(), $"{name}@lahti.fi"));

        await AssertRefusedAsync(visitor, status, html, "Kunnan tunnistuspalvelu ei antanut kunnan sähköpostiosoitetta");
        Assert.Contains("oidc-098", (await AuditedAsync(MunicipalSignIn.FailedAction, $"{name}@lahti.fi")).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_municipality_without_a_provider_is_refused_on_a_page_not_an_error()
    {
        using var visitor = new CrossSiteVisitor();
        var (_, login, _) = await visitor.GetAsync(new Uri(fixture.BaseUrl, "/kirjaudu"));

        var (status, html, _) = await visitor.PostAsync(new Uri(fixture.BaseUrl, "/kirjaudu/ulkoinen"), [new("kunta", "142"), new("__RequestVerificationToken", Browser.TokenIn(login))]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Tämän kunnan tunnuksella ei voi kirjautua.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_the_provider_will_not_exchange_for_the_configured_secret_ends_on_the_provider_error_page()
    {
        var name = Unique("heinolan-johtaja");
        await TestData.UserAsync(fixture, name, Roles.Director, "111", email: $"{name}@heinola.fi");
        using var visitor = new CrossSiteVisitor();
        var before = await CountAsync(MunicipalSignIn.FailedAction, "oidc-111): syy provider-error");

        var (status, html, _) = await SignInAsync(visitor, "111", new ProviderPerson(Guid.NewGuid().ToString(), $"{name}@heinola.fi"));

        await AssertRefusedAsync(visitor, status, html, "Kunnan tunnistuspalvelu ei vahvistanut kirjautumista.");
        Assert.Equal(before + 1, await CountAsync(MunicipalSignIn.FailedAction, "oidc-111): syy provider-error"));
        Assert.Empty(await LoginsAsync(name));
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/common/v2.0", "lahti.fi", "not 'common'")]
    [InlineData("http://login.example.fi/", "lahti.fi", "must use https")]
    [InlineData("https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0", "*.fi", "AllowedEmailDomains")]
    public void A_municipality_configured_unsafely_stops_the_start_naming_the_key(string authority, string domain, string message)
    {
        using var factory = new UnsafeMunicipalityFactory(authority, domain);
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("Authentication:Municipalities:398", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private sealed class UnsafeMunicipalityFactory(string authority, string domain) : ArviointiFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Authentication:Municipalities:398:Authority", authority);
            builder.UseSetting("Authentication:Municipalities:398:ClientId", "arviointi");
            builder.UseSetting("Authentication:Municipalities:398:ClientSecret", "salaisuus");
            builder.UseSetting("Authentication:Municipalities:398:AllowedEmailDomains:0", domain);
        }
    }

    /// <summary>Opens the sign-in page, presses the municipality's button and follows everything that happens after.</summary>
    private async Task<(HttpStatusCode Status, string Html, Uri Url)> SignInAsync(CrossSiteVisitor visitor, string municipality, ProviderPerson person)
    {
        fixture.Provider.Person = person;
        var (status, login, _) = await visitor.GetAsync(new Uri(fixture.BaseUrl, "/kirjaudu?ReturnUrl=%2Ftulokset"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"name=\"kunta\" value=\"{municipality}\"", login, StringComparison.Ordinal);
        return await visitor.PostAsync(
            new Uri(fixture.BaseUrl, "/kirjaudu/ulkoinen"),
            [new("kunta", municipality), new("returnUrl", "/tulokset"), new("__RequestVerificationToken", Browser.TokenIn(login))]);
    }

    private async Task AssertRefusedAsync(CrossSiteVisitor visitor, HttpStatusCode status, string html, string message)
    {
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<h1>Kirjautuminen kunnan tunnuksella ei onnistunut</h1>", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        await AssertNoTokensInAuditAsync();

        // Not signed in: the results send the visitor to the sign-in page.
        var (_, _, url) = await visitor.GetAsync(new Uri(fixture.BaseUrl, "/tulokset"));
        Assert.Equal("/kirjaudu", url.AbsolutePath);
    }

    private async Task AssertNoTokensInAuditAsync()
    {
        await using var db = fixture.CreateDbContext();
        var details = await db.AuditEvents.Where(e => e.Action.StartsWith("signin.external")).Select(e => e.Details).ToListAsync();
        Assert.All(details, d => Assert.DoesNotContain("eyJ", d, StringComparison.Ordinal));
    }

    private async Task<AuditEvent> AuditedAsync(string action, string text)
    {
        await using var db = fixture.CreateDbContext();
        var events = await db.AuditEvents.Where(e => e.Action == action).ToListAsync();
        return Assert.Single(events, e => e.Details.Contains(text, StringComparison.Ordinal));
    }

    private async Task<int> CountAsync(string action, string text)
    {
        await using var db = fixture.CreateDbContext();
        return (await db.AuditEvents.Where(e => e.Action == action).ToListAsync()).Count(e => e.Details.Contains(text, StringComparison.Ordinal));
    }

    private Task<IList<UserLoginInfo>> LoginsAsync(string userName) =>
        fixture.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<AppUser>>();
            return await users.GetLoginsAsync((await users.FindByNameAsync(userName))!);
        });

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("n")[..8]}";
}
