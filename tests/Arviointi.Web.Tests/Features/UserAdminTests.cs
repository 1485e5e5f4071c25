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
