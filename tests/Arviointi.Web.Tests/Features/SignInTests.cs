using System.Net;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Signing in as an attacker tries it: empty fields, unknown names, wrong passwords, a locked account; sessions that end
/// when they should (idle, absolute, sign-out, password change) and the second factor the administrators' role requires.
/// </summary>
public sealed class SignInTests(SignInTests.CountingFactory factory) : IClassFixture<SignInTests.CountingFactory>
{
    public sealed class CountingFactory : ArviointiFactory
    {
        internal CountingHasher Hasher { get; } = new();

        protected override bool DefaultSessionLifetimes => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IPasswordHasher<AppUser>>(Hasher));
        }
    }

    /// <summary>Identity's hasher, counting the verifications: the work that would tell a wrong name from a wrong password.</summary>
    internal sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> inner = new();
        private int verified;

        public int Verified => Volatile.Read(ref verified);

        public string HashPassword(AppUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verified);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("kuka", "")]
    [InlineData("", "Testi-salasana-2027")]
    [InlineData(null, null)]
    public async Task An_empty_field_is_answered_in_Finnish_not_with_an_error(string? user, string? password)
    {
        using var browser = new Browser(factory);
        var fields = new Dictionary<string, string>();
        if (user is not null)
        {
            fields["UserName"] = user;
        }

        if (password is not null)
        {
            fields["Password"] = password;
        }

        using var response = await browser.PostFormAsync("/kirjaudu", "/kirjaudu", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Kirjoita käyttäjätunnus ja salasana.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_name_a_wrong_password_and_a_locked_account_get_one_message_after_one_hash_each()
    {
        await TestData.UserAsync(factory, "kirjautuja.lukko", Roles.Director, "398");
        var wrongName = await FailAsync("ei.ole.olemassa", "Jokin-salasana-123");
        var wrongPassword = await FailAsync("kirjautuja.lukko", "Väärä-salasana-123");
        Assert.Equal(wrongName.Message, wrongPassword.Message);
        Assert.Equal((1, 1), (wrongName.Hashes, wrongPassword.Hashes));

        for (var i = 0; i < 4; i++)
        {
            await FailAsync("kirjautuja.lukko", "Väärä-salasana-123");
        }

        // Locked after five failures: the right password is refused with the same words and the same work.
        var locked = await FailAsync("kirjautuja.lukko", TestData.Password);
        Assert.Equal(wrongName.Message, locked.Message);
        Assert.Equal(1, locked.Hashes);

        await using var db = factory.CreateDbContext();
        var failures = await db.AuditEvents.Where(e => e.Action == "signin.failed").Select(e => e.Actor + " " + e.Details).ToListAsync();
        Assert.Contains(failures, f => f.StartsWith("(tuntematon) ", StringComparison.Ordinal) && f.Contains("unknown", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("kirjautuja.lukko ", StringComparison.Ordinal) && f.Contains("(locked)", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("ei.ole.olemassa", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sign_in_is_audited_and_a_cookie_copied_before_sign_out_no_longer_works()
    {
        await TestData.UserAsync(factory, "kirjautuja.ulos", Roles.Director, "398");
        using var first = await Browser.SignedInAsync(factory, "kirjautuja.ulos", TestData.Password);
        using var second = await Browser.SignedInAsync(factory, "kirjautuja.ulos", TestData.Password);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/tulokset")).Status);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/tulokset")).Status);

        // A copy of the first browser's cookie, as an attacker might have taken it.
        using var copy = new Browser(factory);
        foreach (System.Net.Cookie cookie in first.Cookies.GetAllCookies())
        {
            copy.Cookies.Add(cookie);
        }

        using (var signedOut = await first.PostFormAsync("/tulokset", "/kirjaudu-ulos", []))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        }

        foreach (var browser in (Browser[])[first, second, copy])
        {
            var (status, _) = await browser.GetAsync("/tulokset");
            Assert.Equal(HttpStatusCode.Redirect, status);
        }

        await using var db = factory.CreateDbContext();
        var actions = await db.AuditEvents.Where(e => e.Actor == "kirjautuja.ulos").Select(e => e.Action).ToListAsync();
        Assert.Equal(2, actions.Count(a => a == "signin.succeeded"));
        Assert.Contains("signout", actions);
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_keeps_this_one()
    {
        await TestData.UserAsync(factory, "kirjautuja.vaihto", Roles.Director, "398");
        using var here = await Browser.SignedInAsync(factory, "kirjautuja.vaihto", TestData.Password);
        using var elsewhere = await Browser.SignedInAsync(factory, "kirjautuja.vaihto", TestData.Password);
        using var changed = await here.PostFormAsync("/tili", "/tili", new()
        {
            ["currentPassword"] = TestData.Password, ["newPassword"] = "Vaihdettu-salasana-2027", ["confirmPassword"] = "Vaihdettu-salasana-2027",
        });
        Assert.Contains("Salasana vaihdettiin.", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/tulokset")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/tulokset")).Status);
    }

    [Fact]
    public async Task A_session_ends_after_30_idle_minutes_and_8_hours_however_busy()
    {
        await TestData.UserAsync(factory, "kirjautuja.aika", Roles.Director, "398");
        using (var idle = await Browser.SignedInAsync(factory, "kirjautuja.aika", TestData.Password))
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(29));
            Assert.Equal(HttpStatusCode.OK, (await idle.GetAsync("/tulokset")).Status);
            factory.Clock.Advance(TimeSpan.FromMinutes(31));
            Assert.Equal(HttpStatusCode.Redirect, (await idle.GetAsync("/tulokset")).Status);
        }

        using var busy = await Browser.SignedInAsync(factory, "kirjautuja.aika", TestData.Password);
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(7.75); elapsed += TimeSpan.FromMinutes(20))
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/tulokset")).Status);
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.Redirect, (await busy.GetAsync("/tulokset")).Status);
    }

    [Fact]
    public async Task Changing_the_password_late_in_a_session_does_not_lengthen_it()
    {
        await TestData.UserAsync(factory, "kirjautuja.myohaan", Roles.Director, "398");
        using var browser = await Browser.SignedInAsync(factory, "kirjautuja.myohaan", TestData.Password);
        for (var i = 0; i < 23; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/tulokset")).Status);
        }

        using var changed = await browser.PostFormAsync("/tili", "/tili", new()
        {
            ["currentPassword"] = TestData.Password, ["newPassword"] = "Myohainen-salasana-2027", ["confirmPassword"] = "Myohainen-salasana-2027",
        });
        Assert.Contains("Salasana vaihdettiin.", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        factory.Clock.Advance(TimeSpan.FromMinutes(25));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/tulokset")).Status);
    }

    [Fact]
    public async Task An_administrator_without_an_app_sets_one_up_first_then_signs_in_with_its_code_or_a_recovery_code_once()
    {
        // Made as the coordinator's page makes it: a password, no app yet.
        await factory.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = "uusi.koordinaattori", DisplayName = "Uusi" };
            Assert.True((await users.CreateAsync(user, TestData.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Administrator)).Succeeded);
            return user;
        });

        using var browser = new Browser(factory);
        using (var password = await browser.PostFormAsync("/kirjaudu", "/kirjaudu", new() { ["UserName"] = "uusi.koordinaattori", ["Password"] = TestData.Password }))
        {
            Assert.Equal("/", password.Headers.Location!.OriginalString);
        }

        // Every page sends to the set-up first, and a form posted elsewhere is refused.
        using (var page = await browser.Client.GetAsync(new Uri("/hallinta/kierrokset", UriKind.Relative)))
        {
            Assert.Equal("/tili/kaksivaihe?ReturnUrl=%2Fhallinta%2Fkierrokset", page.Headers.Location!.OriginalString);
        }

        var (_, setup) = await browser.GetAsync("/tili/kaksivaihe");
        using (var forged = await browser.PostFormFromAsync(setup, "/hallinta/kayttajat?handler=Create", new() { ["Form.UserName"] = "salaa.luotu" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        var key = System.Text.RegularExpressions.Regex.Match(setup, "id=\"authenticator-key\">([a-z2-7 ]+)<").Groups[1].Value;
        using (var wrong = await browser.PostFormFromAsync(setup, "/tili/kaksivaihe?handler=Enable", new() { ["code"] = "000000" }))
        {
            Assert.Contains("Koodi ei täsmää.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        string recovery;
        using (var enabled = await browser.PostFormFromAsync(setup, "/tili/kaksivaihe?handler=Enable", new() { ["code"] = SecondFactor.Code(key) }))
        {
            var html = await enabled.Content.ReadAsStringAsync();
            var codes = System.Text.RegularExpressions.Regex.Matches(html, "<li><code>([^<]+)</code></li>").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(10, codes.Count);
            recovery = codes[0];
        }

        // The session that set the app up goes on.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hallinta/kierrokset")).Status);

        // The next sign-in asks for the code; a wrong one is refused, the app's is taken.
        using var again = new Browser(factory);
        using (var password = await again.PostFormAsync("/kirjaudu", "/kirjaudu", new() { ["UserName"] = "uusi.koordinaattori", ["Password"] = TestData.Password }))
        {
            Assert.StartsWith("/kirjaudu/kaksivaihe", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await again.GetAsync("/hallinta/kierrokset")).Status);
        using (var wrong = await again.PostFormAsync("/kirjaudu/kaksivaihe", "/kirjaudu/kaksivaihe", new() { ["code"] = "12345" }))
        {
            Assert.Contains("Kirjoita todennussovelluksen näyttämä kuusinumeroinen koodi.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var right = await again.PostFormAsync("/kirjaudu/kaksivaihe", "/kirjaudu/kaksivaihe", new() { ["code"] = SecondFactor.Code(key) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/hallinta/kierrokset")).Status);

        // A recovery code works once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var other = new Browser(factory);
            using var password = await other.PostFormAsync("/kirjaudu", "/kirjaudu", new() { ["UserName"] = "uusi.koordinaattori", ["Password"] = TestData.Password });
            using var second = await other.PostFormAsync("/kirjaudu/kaksivaihe", "/kirjaudu/kaksivaihe?handler=Recovery", new() { ["recoveryCode"] = recovery });
            Assert.Equal(attempt == 0 ? HttpStatusCode.Redirect : HttpStatusCode.OK, second.StatusCode);
        }

        await using var db = factory.CreateDbContext();
        var actions = await db.AuditEvents.Where(e => e.Actor == "uusi.koordinaattori").Select(e => e.Action).ToListAsync();
        Assert.Contains("twofactor.enabled", actions);
        Assert.Equal(3, actions.Count(a => a == "signin.succeeded"));
        Assert.Contains("signin.failed", actions);
    }

    [Fact]
    public async Task An_analyst_does_not_get_the_year_view()
    {
        await TestData.UserAsync(factory, "kirjautuja.analyytikko", Roles.Analyst);
        using var analyst = await Browser.SignedInAsync(factory, "kirjautuja.analyytikko", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/vuosikello")).Status);
        Assert.DoesNotContain("/vuosikello", (await analyst.GetAsync("/")).Html, StringComparison.Ordinal);
    }

    private async Task<(string Message, int Hashes)> FailAsync(string user, string password)
    {
        using var browser = new Browser(factory);
        var (_, form) = await browser.GetAsync("/kirjaudu");
        var before = factory.Hasher.Verified;
        using var response = await browser.PostFormFromAsync(form, "/kirjaudu", new() { ["UserName"] = user, ["Password"] = password });
        var hashes = factory.Hasher.Verified - before;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var message = System.Text.RegularExpressions.Regex.Match(html, "id=\"signin-error\">([^<]+)<").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(message));
        return (message, hashes);
    }
}
