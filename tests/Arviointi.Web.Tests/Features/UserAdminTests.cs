using System.IO.Compression;
using System.Net;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Tests.Features;

/// <summary>The coordinator creates staff accounts with their role and scope and keeps their addresses, which reminders go to.</summary>
public sealed class UserAdminTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    private const string Page = "/hallinta/kayttajat";

    [Fact]
    public async Task A_unit_leader_created_on_the_page_gets_the_units_municipality_and_can_sign_in()
    {
        var unit = await TestData.UnitAsync(factory, "316", "Käyttäjäpäiväkoti Kärkölä");
        await TestData.UserAsync(factory, "kayttajat.admin", Roles.Administrator);
        using var admin = await Browser.SignedInAsync(factory, "kayttajat.admin", TestData.Password);

        var created = await CreateAsync(admin, "johtaja.karkola", Roles.UnitLeader, unit: unit.Id, municipality: "398", email: "johtaja@karkola.example.fi");
        Assert.Contains("Käyttäjä luotiin.", created, StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.UserName == "johtaja.karkola");
            Assert.Equal(("316", unit.Id, "johtaja@karkola.example.fi"), (user.MunicipalityCode, user.UnitId, user.Email));
            Assert.Contains(await db.AuditEvents.Select(a => a.Details).ToListAsync(), d => d.Contains("johtaja.karkola luotiin roolissa UnitLeader", StringComparison.Ordinal));
        }

        using var leader = await Browser.SignedInAsync(factory, "johtaja.karkola", "Uusi-salasana-2027");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/vastausaste")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync(Page)).Status);
    }

    [Fact]
    public async Task Wrong_or_forged_input_is_refused_in_Finnish_and_the_form_keeps_what_was_typed()
    {
        await TestData.UserAsync(factory, "kayttajat.admin2", Roles.Administrator);
        using var admin = await Browser.SignedInAsync(factory, "kayttajat.admin2", TestData.Password);

        var forged = await CreateAsync(admin, "huijari", "Superuser");
        Assert.Contains("Tuntematon rooli.", forged, StringComparison.Ordinal);
        Assert.Contains("value=\"huijari\"", forged, StringComparison.Ordinal);
        Assert.Contains("Valitse sivistysjohtajalle kunta.", await CreateAsync(admin, "johtaja.ilman", Roles.Director), StringComparison.Ordinal);
        Assert.Contains("Valitse yksikön johtajalle yksikkö.", await CreateAsync(admin, "yksikoton", Roles.UnitLeader), StringComparison.Ordinal);
        Assert.Contains("Salasanassa pitää olla vähintään 12 merkkiä.", await CreateAsync(admin, "lyhyt", Roles.Analyst, password: "Ab1-lyhyt"), StringComparison.Ordinal);
        Assert.Contains("Sähköpostiosoite ei ole kelvollinen.", await CreateAsync(admin, "osoite", Roles.Analyst, email: "ei osoite"), StringComparison.Ordinal);
        Assert.Contains("Käyttäjä luotiin.", await CreateAsync(admin, "analyytikko.uusi", Roles.Analyst), StringComparison.Ordinal);
        Assert.Contains("Käyttäjätunnus on jo käytössä.", await CreateAsync(admin, "analyytikko.uusi", Roles.Analyst), StringComparison.Ordinal);

        await using var db = factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "huijari" || u.UserName == "johtaja.ilman" || u.UserName == "lyhyt" || u.UserName == "osoite"));
    }

    [Fact]
    public async Task A_leaders_address_set_on_the_page_clears_the_front_page_warning()
    {
        var unit = await TestData.UnitAsync(factory, "781", "Käyttäjäkoulu Sysmä");
        await TestData.UserAsync(factory, "kayttajat.admin3", Roles.Administrator);
        await TestData.UserAsync(factory, "osoitteeton.johtaja", Roles.UnitLeader, "781", unit.Id);
        await TestData.OpenRoundAsync(factory);
        using var admin = await Browser.SignedInAsync(factory, "kayttajat.admin3", TestData.Password);
        Assert.Contains("ei ole sähköpostiosoitetta", (await admin.GetAsync("/")).Html, StringComparison.Ordinal);

        string id;
        await using (var db = factory.CreateDbContext())
        {
            id = (await db.Users.SingleAsync(u => u.UserName == "osoitteeton.johtaja")).Id;
        }

        var invalid = await admin.PostFormAsync(Page, Page + "?handler=Update", new() { ["id"] = id, ["displayName"] = "Rehtori", ["email"] = "ei-osoite" });
        Assert.Contains("Sähköpostiosoite ei ole kelvollinen.", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await admin.PostFormAsync(Page, Page + "?handler=Update", new() { ["id"] = id, ["displayName"] = "Rehtori Sysmä", ["email"] = "rehtori@sysma.example.fi" });
        Assert.Contains("Käyttäjän tiedot tallennettiin.", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("ei ole sähköpostiosoitetta", (await admin.GetAsync("/")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_changes_the_initial_password_and_signs_in_with_the_new_one()
    {
        await TestData.UserAsync(factory, "salasana.vaihto", Roles.Analyst);
        using var user = await Browser.SignedInAsync(factory, "salasana.vaihto", TestData.Password);
        async Task<string> ChangeAsync(string current, string next, string confirm) =>
            await (await user.PostFormAsync("/tili", "/tili", new() { ["currentPassword"] = current, ["newPassword"] = next, ["confirmPassword"] = confirm })).Content.ReadAsStringAsync();

        Assert.Contains("Nykyinen salasana on väärin.", await ChangeAsync("Väärä-salasana-1", "Oma-uusi-salasana-9", "Oma-uusi-salasana-9"), StringComparison.Ordinal);
        Assert.Contains("eivät ole samat", await ChangeAsync(TestData.Password, "Oma-uusi-salasana-9", "Oma-uusi-salasana-8"), StringComparison.Ordinal);
        Assert.Contains("vähintään 12 merkkiä", await ChangeAsync(TestData.Password, "Lyhyt-1", "Lyhyt-1"), StringComparison.Ordinal);
        Assert.Contains("Salasana vaihdettiin.", await ChangeAsync(TestData.Password, "Oma-uusi-salasana-9", "Oma-uusi-salasana-9"), StringComparison.Ordinal);
        using var again = await Browser.SignedInAsync(factory, "salasana.vaihto", "Oma-uusi-salasana-9");
    }

    [Fact]
    public async Task An_analyst_granted_unit_level_data_downloads_units_until_revoked_and_both_are_audited()
    {
        var unit = await TestData.UnitAsync(factory, "098", $"Yksikkötaso {Guid.NewGuid():n}");
        var round = await TestData.PublishedRoundAsync(factory, 2055, [(unit, TestData.Forms("vk_h_001", TestData.Times("4", 6)))]);
        var url = $"/api/rounds/{round}/aineisto/guardian.zip?yksikot=true";
        await TestData.UserAsync(factory, "kayttajat.admin5", Roles.Administrator);
        await TestData.UserAsync(factory, "yksikot.analyytikko", Roles.Analyst);
        await TestData.UserAsync(factory, "yksikot.johtaja", Roles.Director, "098", email: "johtaja@hollola.example.fi");
        using var token = Tokens.Client(factory, await Tokens.CreateAsync(factory, "yksikot.analyytikko"));
        using (var before = await Browser.SignedInAsync(factory, "yksikot.analyytikko", TestData.Password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await before.Client.GetAsync(url)).StatusCode);
            Assert.DoesNotContain("yksikot=true", (await before.GetAsync("/aineistot")).Html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await token.GetAsync(url)).StatusCode);

        using var admin = await Browser.SignedInAsync(factory, "kayttajat.admin5", TestData.Password);
        string analystId, directorId;
        await using (var db = factory.CreateDbContext())
        {
            analystId = (await db.Users.SingleAsync(u => u.UserName == "yksikot.analyytikko")).Id;
            directorId = (await db.Users.SingleAsync(u => u.UserName == "yksikot.johtaja")).Id;
        }

        Assert.Contains("Yksikkötason aineiston voi antaa vain analyytikolle.", await UnitDataAsync(admin, directorId, grant: true), StringComparison.Ordinal);
        Assert.Contains("Analyytikko saa nyt yksikkötason aineiston.", await UnitDataAsync(admin, analystId, grant: true), StringComparison.Ordinal);

        // Signed in afresh, and with the token made before the grant: the zip's CSV has the unit.
        using (var granted = await Browser.SignedInAsync(factory, "yksikot.analyytikko", TestData.Password))
        {
            Assert.Contains($"/api/rounds/{round}/aineisto/guardian.zip?yksikot=true", (await granted.GetAsync("/aineistot")).Html, StringComparison.Ordinal);
            Assert.Contains("unit", await HeaderAsync(await granted.Client.GetAsync(url)));
        }

        Assert.Contains("unit", await HeaderAsync(await token.GetAsync(url)));
        Assert.DoesNotContain("unit", await HeaderAsync(await token.GetAsync(url.Replace("?yksikot=true", "", StringComparison.Ordinal))));

        // Revoked: the token, which reads the owner as they are now, is refused at once.
        Assert.Contains("Analyytikko ei enää saa yksikkötason aineistoa.", await UnitDataAsync(admin, analystId, grant: false), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await token.GetAsync(url)).StatusCode);
        using (var revoked = await Browser.SignedInAsync(factory, "yksikot.analyytikko", TestData.Password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await revoked.Client.GetAsync(url)).StatusCode);
        }

        await using var audit = factory.CreateDbContext();
        var events = await audit.AuditEvents.Where(e => e.Action.StartsWith("user.unitdata.")).Select(e => new { e.Actor, e.Action, e.Details }).ToListAsync();
        Assert.Equal(
            [("kayttajat.admin5", "user.unitdata.granted", "Analyytikolle yksikot.analyytikko annettiin yksikkötason aineisto"), ("kayttajat.admin5", "user.unitdata.revoked", "Analyytikolta yksikot.analyytikko poistettiin yksikkötason aineisto")],
            events.Select(e => (e.Actor, e.Action, e.Details)));
    }

    private static async Task<string> UnitDataAsync(Browser admin, string id, bool grant)
    {
        var response = await admin.PostFormAsync(Page, Page + "?handler=UnitData", new() { ["id"] = id, ["grant"] = grant ? "true" : "false" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The header of the research dataset's CSV in a downloaded zip.</summary>
    private static async Task<string[]> HeaderAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        using var csv = new StreamReader(zip.Entries.Single(e => e.Name.EndsWith(".csv", StringComparison.Ordinal) && !e.Name.EndsWith("-puolipiste.csv", StringComparison.Ordinal)).Open());
        return (await csv.ReadLineAsync())!.TrimStart('\uFEFF').Split(',');
    }

    private static async Task<string> CreateAsync(Browser admin, string userName, string role, int? unit = null, string? municipality = null, string? email = null, string password = "Uusi-salasana-2027")
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.UserName"] = userName,
            ["Form.DisplayName"] = "Testi " + userName,
            ["Form.Email"] = email ?? "",
            ["Form.Role"] = role,
            ["Form.MunicipalityCode"] = municipality ?? "",
            ["Form.UnitId"] = unit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["Form.Password"] = password,
        };
        var response = await admin.PostFormAsync(Page, Page + "?handler=Create", fields);
        return await response.Content.ReadAsStringAsync();
    }
}
