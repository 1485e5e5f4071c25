using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Staff accounts by e-mail, through the real host and a real SMTP listener: the coordinator invites a person, who
/// chooses a password through a link that works once and expires on the app's clock; a forgotten password is reset
/// the same way without the form telling whether an account exists; a reset or a change of role ends other sessions.
/// </summary>
public sealed partial class InvitationTests(MailFactory factory) : IClassFixture<MailFactory>
{
    private const string UsersPage = "/hallinta/kayttajat";

    [Fact]
    public async Task An_invited_person_sets_a_password_through_the_mailed_link_once_and_then_signs_in()
    {
        var unit = await TestData.UnitAsync(factory, "142", "Kutsupäiväkoti Iitti");
        using var admin = await AdminAsync("kutsu.admin1");

        var expires = Arviointi.Web.Features.Organisation.Region.LocalText(factory.Clock.GetUtcNow().AddDays(7));
        var invited = await InviteAsync(admin, "rehtori@iitti.example.fi", "Rehtori Iitti", Roles.UnitLeader, unit: unit.Id, municipality: "398", language: "sv");
        Assert.Contains("Kutsu lähetettiin.", invited, StringComparison.Ordinal);
        Assert.Contains("Kutsuttu, salasana asettamatta", invited, StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == "rehtori@iitti.example.fi");
            Assert.Equal(("rehtori@iitti.example.fi", "142", unit.Id, null, false), (user.UserName, user.MunicipalityCode, user.UnitId, user.PasswordHash, user.EmailConfirmed));
        }

        var mail = await MailToAsync("rehtori@iitti.example.fi");
        Assert.Equal("Inbjudan till Arviointi", mail.Subject);
        Assert.Contains("Ditt användarnamn är: rehtori@iitti.example.fi", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("som enhetschef", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Länken gäller till {expires} (finsk tid)", mail.TextBody, StringComparison.Ordinal);
        var link = Link(mail, "/salasana/kutsu");

        using var person = new Browser(factory);
        var (shown, form) = await person.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.Contains("<h1>Aseta salasana</h1>", form, StringComparison.Ordinal);
        Assert.Contains("value=\"rehtori@iitti.example.fi\"", form, StringComparison.Ordinal);

        var mismatch = await SetPasswordAsync(person, link, "Oma-salasana-2027", "Oma-salasana-2028");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.Status);
        Assert.Contains("Uusi salasana ja sen vahvistus eivät ole samat.", mismatch.Html, StringComparison.Ordinal);
        var tooShort = await SetPasswordAsync(person, link, "Lyhyt-1", "Lyhyt-1");
        Assert.Contains("Salasanassa pitää olla vähintään 12 merkkiä.", tooShort.Html, StringComparison.Ordinal);

        var done = await SetPasswordAsync(person, link, "Oma-salasana-2027", "Oma-salasana-2027");
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("Salasana on asetettu. Kirjaudu sisään käyttäjätunnuksella rehtori@iitti.example.fi.", done.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/kirjaudu\"", done.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await person.GetAsync("/tili")).Status);

        using (var leader = await Browser.SignedInAsync(factory, "rehtori@iitti.example.fi", "Oma-salasana-2027"))
        {
            Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/vastausaste")).Status);
        }

        // The link a second time: refused, in Finnish, and nothing it posts changes the password.
        var (again, refusal) = await person.GetAsync(link);
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Contains(Invitations.LinkInvalid, refusal, StringComparison.Ordinal);
        var reused = await SetPasswordAsync(person, link, "Toinen-salasana-2027", "Toinen-salasana-2027", refusal);
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        await AssertSignInRefusedAsync("rehtori@iitti.example.fi", "Toinen-salasana-2027");

        await using var audit = factory.CreateDbContext();
        Assert.True((await audit.Users.SingleAsync(u => u.Email == "rehtori@iitti.example.fi")).EmailConfirmed);
        var events = await audit.AuditEvents.Where(e => e.Details.Contains("rehtori@iitti.example.fi")).OrderBy(e => e.Id).Select(e => new { e.Actor, e.Action }).ToListAsync();
        Assert.Equal([("kutsu.admin1", "invitation.sent"), ("rehtori@iitti.example.fi", "invitation.accepted")], events.Select(e => (e.Actor, e.Action)));
    }

    [Fact]
    public async Task An_invitation_expires_after_seven_days_on_the_apps_clock_and_a_resent_one_replaces_the_earlier_link()
    {
        using var admin = await AdminAsync("kutsu.admin2");
        Assert.Contains("Kutsu lähetettiin.", await InviteAsync(admin, "analyytikko@example.fi", "Analyytikko", Roles.Analyst), StringComparison.Ordinal);
        var first = Link(await MailToAsync("analyytikko@example.fi"), "/salasana/kutsu");
        using var person = new Browser(factory);

        var id = await UserIdAsync("analyytikko@example.fi");
        Assert.Contains("Uusi kutsu lähetettiin.", await PostAsync(admin, "Resend", new() { ["id"] = id }), StringComparison.Ordinal);
        var second = Link(await MailToAsync("analyytikko@example.fi", count: 2), "/salasana/kutsu");
        Assert.Equal(HttpStatusCode.BadRequest, (await person.GetAsync(first)).Status);

        // The system clock has not moved: only a provider that reads the app's clock sees the week go by.
        factory.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync(second)).Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var (expired, html) = await person.GetAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, expired);
        Assert.Contains("Kutsulinkki ei ole voimassa.", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SetPasswordAsync(person, second, "Oma-salasana-2027", "Oma-salasana-2027", html)).Status);

        Assert.Contains("Uusi kutsu lähetettiin.", await PostAsync(admin, "Resend", new() { ["id"] = id }), StringComparison.Ordinal);
        var third = Link(await MailToAsync("analyytikko@example.fi", count: 3), "/salasana/kutsu");
        Assert.Contains("Salasana on asetettu.", (await SetPasswordAsync(person, third, "Oma-salasana-2027", "Oma-salasana-2027")).Html, StringComparison.Ordinal);
        using var _ = await Browser.SignedInAsync(factory, "analyytikko@example.fi", "Oma-salasana-2027");

        // Someone with a password is not invited again.
        Assert.Contains("Kutsun voi lähettää uudelleen vain käyttäjälle", await PostAsync(admin, "Resend", new() { ["id"] = id }), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "invitation.resent" && e.Details.Contains("analyytikko@example.fi")));
    }

    [Fact]
    public async Task Forged_foreign_or_missing_links_get_a_Finnish_page_never_an_error()
    {
        await TestData.UserAsync(factory, "kutsu.vanha", Roles.Analyst, email: "vanha@example.fi");
        var id = await UserIdAsync("kutsu.vanha");
        var resetToken = await factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<AppUser>>();
            return await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(id))!);
        });
        using var visitor = new Browser(factory);
        foreach (var query in (string[])["", $"?kayttaja={id}", $"?kayttaja={id}&koodi=väärennetty", $"?kayttaja={id}&koodi=%25%25%25", "?kayttaja=ei-ole&koodi=abc", $"?kayttaja={id}&koodi={resetToken}"])
        {
            var (status, html) = await visitor.GetAsync("/salasana/kutsu" + query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(Invitations.LinkInvalid, html, StringComparison.Ordinal);
        }

        // A reset token is for the reset page and an existing password: as an invitation it is refused above, and the
        // reset page refuses a forged one the same way.
        foreach (var query in (string[])["", $"?kayttaja={id}&koodi=väärennetty", $"?kayttaja={id}&koodi={resetToken}x"])
        {
            var (status, html) = await visitor.GetAsync("/salasana/uusi" + query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(PasswordResets.LinkInvalid, html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/salasana/uusi?kayttaja={id}&koodi={resetToken}")).Status);
    }

    [Fact]
    public async Task An_invitation_with_missing_or_wrong_details_is_refused_in_Finnish_and_creates_nothing()
    {
        using var admin = await AdminAsync("kutsu.admin3");
        await TestData.UserAsync(factory, "kutsu.olemassa", Roles.Analyst, email: "olemassa@example.fi");
        Assert.Contains("Anna sähköpostiosoite.", await InviteAsync(admin, "", "Nimi", Roles.Analyst), StringComparison.Ordinal);
        var bad = await InviteAsync(admin, "ei osoite", "Kirjoitettu nimi", Roles.Analyst);
        Assert.Contains("Sähköpostiosoite ei ole kelvollinen.", bad, StringComparison.Ordinal);
        Assert.Contains("value=\"Kirjoitettu nimi\"", bad, StringComparison.Ordinal);
        Assert.Contains("Anna nimi.", await InviteAsync(admin, "nimeton@example.fi", "", Roles.Analyst), StringComparison.Ordinal);
        Assert.Contains("Valitse sivistysjohtajalle kunta.", await InviteAsync(admin, "johtaja@example.fi", "Johtaja", Roles.Director), StringComparison.Ordinal);
        Assert.Contains("Valitse yksikön johtajalle yksikkö.", await InviteAsync(admin, "johtaja@example.fi", "Johtaja", Roles.UnitLeader), StringComparison.Ordinal);
        Assert.Contains("Tuntematon rooli.", await InviteAsync(admin, "johtaja@example.fi", "Johtaja", "Superuser"), StringComparison.Ordinal);
        Assert.Contains("Tuntematon kieli.", await InviteAsync(admin, "johtaja@example.fi", "Johtaja", Roles.Analyst, language: "de"), StringComparison.Ordinal);
        Assert.Contains("Tällä sähköpostiosoitteella on jo käyttäjätunnus.", await InviteAsync(admin, "OLEMASSA@example.fi", "Toinen", Roles.Analyst), StringComparison.Ordinal);

        Assert.Contains("Kutsu lähetettiin.", await InviteAsync(admin, "johtaja@example.fi", "Johtaja", Roles.Director, municipality: "111"), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "ei osoite" || u.Email == "nimeton@example.fi" || u.Email == "OLEMASSA@example.fi"));
        Assert.Equal("111", (await db.Users.SingleAsync(u => u.Email == "johtaja@example.fi")).MunicipalityCode);
        Assert.Equal(1, await db.OutgoingMails.CountAsync(m => m.ToAddress == "johtaja@example.fi"));
    }

    [Fact]
    public async Task A_password_reset_by_email_works_once_and_ends_the_persons_other_sessions()
    {
        await TestData.UserAsync(factory, "unohtaja", Roles.Analyst, email: "unohtaja@example.fi");
        await TestData.UserAsync(factory, "muistaja", Roles.Analyst, email: "muistaja@example.fi");
        using var oldSession = await Browser.SignedInAsync(factory, "unohtaja", TestData.Password);
        using var otherPerson = await Browser.SignedInAsync(factory, "muistaja", TestData.Password);
        var stampBefore = await StampAsync("unohtaja");

        var expires = Arviointi.Web.Features.Organisation.Region.LocalText(factory.Clock.GetUtcNow().AddHours(2));
        using var visitor = new Browser(factory);
        Assert.Contains("Unohditko salasanan?", (await visitor.GetAsync("/kirjaudu")).Html, StringComparison.Ordinal);
        var answer = await RequestResetAsync(visitor, "UNOHTAJA@example.fi");
        Assert.Contains("Jos tunnus on olemassa ja sillä on sähköpostiosoite", answer, StringComparison.Ordinal);
        var mail = await MailToAsync("unohtaja@example.fi");
        Assert.Equal("Salasanan vaihtaminen – Arviointi", mail.Subject);
        Assert.Contains("käyttäjätunnuksen unohtaja salasanan", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Linkki on voimassa {expires} asti (Suomen aikaa)", mail.TextBody, StringComparison.Ordinal);
        var link = Link(mail, "/salasana/uusi");

        Assert.Contains("<h1>Valitse uusi salasana</h1>", (await visitor.GetAsync(link)).Html, StringComparison.Ordinal);
        var weak = await SetPasswordAsync(visitor, link, "lyhyt", "lyhyt");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.Status);
        Assert.Contains("Salasanassa pitää olla vähintään 12 merkkiä.", weak.Html, StringComparison.Ordinal);
        var done = await SetPasswordAsync(visitor, link, "Uusi-muistettava-1", "Uusi-muistettava-1");
        Assert.Contains("Salasana on vaihdettu, ja muut istuntosi on kirjattu ulos.", done.Html, StringComparison.Ordinal);
        Assert.NotEqual(stampBefore, await StampAsync("unohtaja"));

        // Once the cookies are next validated against the stamp, the old session is over and the other person's is not.
        var interval = factory.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval;
        factory.Clock.Advance(interval + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await oldSession.GetAsync("/tili")).Status);
        Assert.Equal(HttpStatusCode.OK, (await otherPerson.GetAsync("/tili")).Status);

        await AssertSignInRefusedAsync("unohtaja", TestData.Password);
        using (var _ = await Browser.SignedInAsync(factory, "unohtaja", "Uusi-muistettava-1"))
        {
        }

        var (reused, html) = await visitor.GetAsync(link);
        Assert.Equal(HttpStatusCode.BadRequest, reused);
        Assert.Contains(PasswordResets.LinkInvalid, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SetPasswordAsync(visitor, link, "Kolmas-salasana-2027", "Kolmas-salasana-2027", html)).Status);
        await AssertSignInRefusedAsync("unohtaja", "Kolmas-salasana-2027");

        await using var db = factory.CreateDbContext();
        var events = await db.AuditEvents.Where(e => e.Actor == "unohtaja" && e.Action.StartsWith("password.")).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal(["password.reset.requested", "password.reset"], events);
    }

    [Fact]
    public async Task A_reset_link_expires_after_two_hours_and_at_most_three_are_sent_an_hour()
    {
        await TestData.UserAsync(factory, "hidas.vaihtaja", Roles.Analyst, email: "hidas@example.fi");
        using var visitor = new Browser(factory);
        await RequestResetAsync(visitor, "hidas.vaihtaja");
        var link = Link(await MailToAsync("hidas@example.fi"), "/salasana/uusi");
        factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.GetAsync(link)).Status);

        for (var i = 0; i < 4; i++)
        {
            await RequestResetAsync(visitor, "hidas.vaihtaja");
        }

        await MailToAsync("hidas@example.fi", count: 4);
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "password.reset.requested" && e.Details.Contains("hidas.vaihtaja") && e.Details.Contains("ei lähetetty")));
    }

    [Fact]
    public async Task A_reset_for_an_unknown_address_answers_the_same_sends_nothing_and_logs_nothing_of_it()
    {
        await TestData.UserAsync(factory, "tunnettu", Roles.Analyst, email: "tunnettu@example.fi");
        using var visitor = new Browser(factory);
        var timer = Stopwatch.StartNew();
        var unknown = await RequestResetAsync(visitor, "tuntematon@example.fi");
        Assert.True(timer.Elapsed >= PasswordResets.MinimumDuration - TimeSpan.FromMilliseconds(20), $"The unknown address answered in {timer.Elapsed}.");
        var known = await RequestResetAsync(visitor, "tunnettu@example.fi");
        Assert.Equal(MainContent(known), MainContent(unknown));

        await TestData.RunJobAsync<MailSender>(factory);
        Assert.Empty(factory.Smtp.To("tuntematon@example.fi"));
        Assert.Single(factory.Smtp.To("tunnettu@example.fi"));
        await using var db = factory.CreateDbContext();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Details.Contains("tuntematon") || e.Actor.Contains("tuntematon")));
        Assert.False(await db.OutgoingMails.AnyAsync(m => m.ToAddress == "tuntematon@example.fi"));
    }

    [Fact]
    public async Task A_change_of_role_or_scope_ends_the_users_sessions_and_is_audited()
    {
        var unit = await TestData.UnitAsync(factory, "576", "Roolikoulu Padasjoki");
        using var admin = await AdminAsync("kutsu.admin4");
        await TestData.UserAsync(factory, "roolin.vaihtaja", Roles.Director, "576");
        await TestData.UserAsync(factory, "roolin.pitaja", Roles.Director, "576");
        using var changed = await Browser.SignedInAsync(factory, "roolin.vaihtaja", TestData.Password);
        using var kept = await Browser.SignedInAsync(factory, "roolin.pitaja", TestData.Password);
        var id = await UserIdAsync("roolin.vaihtaja");

        Assert.Contains("Valitse yksikön johtajalle yksikkö.", await PostAsync(admin, "Role", new() { ["id"] = id, ["role"] = Roles.UnitLeader }), StringComparison.Ordinal);
        Assert.Contains("Omaa rooliasi et voi vaihtaa.", await PostAsync(admin, "Role", new() { ["id"] = await UserIdAsync("kutsu.admin4"), ["role"] = Roles.Analyst }), StringComparison.Ordinal);
        Assert.Contains("Käyttäjällä oli jo tämä rooli ja vastuualue.", await PostAsync(admin, "Role", new() { ["id"] = id, ["role"] = Roles.Director, ["municipalityCode"] = "576" }), StringComparison.Ordinal);
        Assert.Contains("Rooli tai vastuualue vaihdettiin.", await PostAsync(admin, "Role", new() { ["id"] = id, ["role"] = Roles.UnitLeader, ["unitId"] = unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }), StringComparison.Ordinal);

        var interval = factory.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval;
        factory.Clock.Advance(interval + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await changed.GetAsync("/tili")).Status);
        Assert.Equal(HttpStatusCode.OK, (await kept.GetAsync("/tili")).Status);

        // Signed in again, the user has the new role: a unit leader's pages, not a director's users of the municipality.
        using var again = await Browser.SignedInAsync(factory, "roolin.vaihtaja", TestData.Password);
        await using var db = factory.CreateDbContext();
        var user = await db.Users.SingleAsync(u => u.UserName == "roolin.vaihtaja");
        Assert.Equal(("576", unit.Id), (user.MunicipalityCode, user.UnitId));
        var roles = await db.UserRoles.Where(r => r.UserId == id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
        Assert.Equal([Roles.UnitLeader], roles);

        Assert.Contains("Rooli tai vastuualue vaihdettiin.", await PostAsync(admin, "Role", new() { ["id"] = id, ["role"] = Roles.Director, ["municipalityCode"] = "576" }), StringComparison.Ordinal);
        var events = await db.AuditEvents.Where(e => e.Details.Contains("roolin.vaihtaja")).OrderBy(e => e.Id).Select(e => new { e.Actor, e.Action, e.Details }).ToListAsync();
        Assert.Equal(["user.role.changed", "user.scope.changed", "user.role.changed", "user.scope.changed"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("kutsu.admin4", e.Actor));
        Assert.Contains("MunicipalDirector → UnitLeader", events[0].Details, StringComparison.Ordinal);
        Assert.Contains($"kunta 576 → yksikkö {unit.Id}, kunta 576", events[1].Details, StringComparison.Ordinal);
    }

    private async Task<Browser> AdminAsync(string name)
    {
        await TestData.UserAsync(factory, name, Roles.Administrator);
        return await Browser.SignedInAsync(factory, name, TestData.Password);
    }

    private static Task<string> InviteAsync(Browser admin, string email, string name, string role, int? unit = null, string? municipality = null, string language = "fi") =>
        PostAsync(admin, "Invite", new()
        {
            ["Invite.Email"] = email,
            ["Invite.DisplayName"] = name,
            ["Invite.Role"] = role,
            ["Invite.MunicipalityCode"] = municipality ?? "",
            ["Invite.UnitId"] = unit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["Invite.Language"] = language,
        });

    private static async Task<string> PostAsync(Browser admin, string handler, Dictionary<string, string> fields)
    {
        var response = await admin.PostFormAsync(UsersPage, $"{UsersPage}?handler={handler}", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> RequestResetAsync(Browser visitor, string typed)
    {
        var response = await visitor.PostFormAsync("/salasana/unohtunut", "/salasana/unohtunut", new() { ["nameOrEmail"] = typed });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts the password form of the page <paramref name="link"/> shows (or of <paramref name="page"/>, when given).</summary>
    private static async Task<(HttpStatusCode Status, string Html)> SetPasswordAsync(Browser person, string link, string password, string confirm, string? page = null)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("https://x" + link).Query);
        var html = page ?? (await person.GetAsync(link)).Html;
        using var response = await person.PostFormFromAsync(html, link[..link.IndexOf('?', StringComparison.Ordinal)], new()
        {
            ["kayttaja"] = query["kayttaja"].ToString(),
            ["koodi"] = query["koodi"].ToString(),
            ["password"] = password,
            ["confirmPassword"] = confirm,
        });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends the outbox and returns the newest of the <paramref name="count"/> messages the address has by now.</summary>
    private async Task<MimeKit.MimeMessage> MailToAsync(string address, int count = 1)
    {
        await TestData.RunJobAsync<MailSender>(factory);
        var messages = factory.Smtp.To(address);
        Assert.Equal(count, messages.Count);
        return messages[^1];
    }

    private static string Link(MimeKit.MimeMessage mail, string path)
    {
        var match = Regex.Match(mail.TextBody ?? "", "https://arviointi\\.example(" + Regex.Escape(path) + "\\?\\S+)");
        Assert.True(match.Success, "No link in:\n" + mail.TextBody);
        return match.Groups[1].Value;
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var db = factory.CreateDbContext();
        return (await db.Users.SingleAsync(u => u.UserName == userName)).Id;
    }

    private async Task<string?> StampAsync(string userName)
    {
        await using var db = factory.CreateDbContext();
        return (await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName)).SecurityStamp;
    }

    private async Task AssertSignInRefusedAsync(string user, string password)
    {
        using var browser = new Browser(factory);
        var response = await browser.PostFormAsync("/kirjaudu", "/kirjaudu", new() { ["UserName"] = user, ["Password"] = password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The page's main content without its antiforgery token, which differs on every response.</summary>
    private static string MainContent(string html) => Token().Replace(html[html.IndexOf("<main", StringComparison.Ordinal)..], "");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex Token();
}
