using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The register of units through the real host: create, rename, close and merge by the page's forms, the CSV import's
/// preview and all-or-nothing confirmation, and what each change means for past and new rounds (docs/register.md).
/// </summary>
public sealed partial class UnitRegisterTests(UnitRegisterTests.Fixture factory) : IClassFixture<UnitRegisterTests.Fixture>
{
    private const string Page = "/hallinta/yksikot";
    private const string Admin = "rekisteri.admin";
    private static readonly string[] SourceFiles = ["UnitRegister.cs", "UnitImport.cs", "Register.cshtml.cs"];

    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await TestData.UserAsync(this, Admin, Roles.Administrator);
            await TestData.UserAsync(this, "rekisteri.lahti", Roles.Director, "398");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task Units_are_created_renamed_closed_and_merged_from_the_page_and_every_change_is_audited()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var name = $"Päiväkoti Uusi {Guid.NewGuid():n}";
        var created = await PostAsync(admin, "Create", new() { ["Municipality"] = "398", ["Name"] = $"  {name} ", ["Sector"] = "Ecec", ["Kind"] = "DayCareCentre", ["Languages"] = "fi,sv" });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Contains("Yksikkö lisättiin.", created.Html, StringComparison.Ordinal);
        var unit = await UnitAsync(name);
        Assert.Equal(("398", Sector.Ecec, "fi,sv"), (unit.MunicipalityCode, unit.Sector, unit.Languages));

        var renamed = $"Päiväkoti Nimetty {Guid.NewGuid():n}";
        var rename = await PostAsync(admin, "Rename", new() { ["unitId"] = Id(unit), ["name"] = renamed, ["on"] = "2027-02-01" });
        Assert.Equal(HttpStatusCode.OK, rename.Status);
        Assert.Contains(name, rename.Html, StringComparison.Ordinal);
        unit = await UnitAsync(renamed);
        var change = Assert.Single(unit.NameChanges);
        Assert.Equal((name, renamed, new DateOnly(2027, 2, 1), Admin), (change.OldName, change.NewName, change.ChangedOn, change.RecordedBy));
        Assert.Equal(name, unit.NameOn(new DateOnly(2027, 1, 31)));
        Assert.Equal(renamed, unit.NameOn(new DateOnly(2027, 2, 1)));

        var other = await TestData.UnitAsync(factory, "398", $"Päiväkoti Toinen {Guid.NewGuid():n}");
        var merge = await PostAsync(admin, "Merge", new() { ["unitId"] = Id(other), ["intoId"] = Id(unit), ["on"] = "2027-01-31" });
        Assert.Equal(HttpStatusCode.OK, merge.Status);
        Assert.Contains($"yhdistetty yksikköön {renamed} 31.1.2027", merge.Html, StringComparison.Ordinal);
        var merged = await UnitAsync(other.Name);
        Assert.Equal((new DateOnly(2027, 1, 31), unit.Id), (merged.ClosedOn, merged.MergedIntoId));

        var close = await PostAsync(admin, "Close", new() { ["unitId"] = Id(unit), ["on"] = "2027-07-31" });
        Assert.Equal(HttpStatusCode.OK, close.Status);
        Assert.Contains("suljettu 31.7.2027", close.Html, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2027, 7, 31), (await UnitAsync(renamed)).ClosedOn);

        // Nothing was deleted, and each change is in the audit log under the administrator.
        await using var db = factory.CreateDbContext();
        Assert.True(await db.Units.AnyAsync(u => u.Id == other.Id));
        var events = await db.AuditEvents.Where(e => e.Actor == Admin && (e.Details.Contains($"Yksikkö {unit.Id} ") || e.Details.Contains($"Yksikkö {other.Id} ")))
            .Select(e => e.Action).ToListAsync();
        Assert.Equal(["unit.closed", "unit.merged", "unit.renamed", "units.created"], events.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bad_input_gets_a_Finnish_message_and_changes_nothing()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var a = await TestData.UnitAsync(factory, "398", $"Päiväkoti Virhe A {Guid.NewGuid():n}");
        var b = await TestData.UnitAsync(factory, "398", $"Päiväkoti Virhe B {Guid.NewGuid():n}");
        var hollola = await TestData.UnitAsync(factory, "098", $"Päiväkoti Virhe C {Guid.NewGuid():n}");
        var school = await TestData.UnitAsync(factory, "398", $"Koulu Virhe {Guid.NewGuid():n}", Sector.Basic);
        var before = await CountAuditAsync();
        var today = Region.Day(factory.Clock.GetUtcNow());
        var range = $"1.1.2009–{UnitRegister.Show(today.AddYears(1))}";

        (string Handler, Dictionary<string, string> Fields, string Message)[] cases =
        [
            ("Create", new() { ["Municipality"] = "398", ["Name"] = "   ", ["Sector"] = "Ecec", ["Kind"] = "DayCareCentre" }, "Anna yksikön nimi."),
            ("Create", new() { ["Municipality"] = "398", ["Name"] = a.Name.ToUpperInvariant(), ["Sector"] = "Ecec", ["Kind"] = "DayCareCentre" }, "Kunnassa on jo yksikkö nimeltä"),
            ("Create", new() { ["Municipality"] = "999", ["Name"] = "Päiväkoti Jossain", ["Sector"] = "Ecec", ["Kind"] = "DayCareCentre" }, "Valitse kunta."),
            ("Create", new() { ["Municipality"] = "398", ["Name"] = "Koulu päiväkotina", ["Sector"] = "Ecec", ["Kind"] = "School" }, "Yksikön tyyppi ei sovi sektoriin"),
            ("Create", new() { ["Municipality"] = "398", ["Name"] = new string('x', 201), ["Sector"] = "Ecec", ["Kind"] = "DayCareCentre" }, "Yksikön nimi on liian pitkä: enintään 200 merkkiä."),
            ("Rename", new() { ["unitId"] = Id(a), ["name"] = b.Name, ["on"] = "2027-01-10" }, "Kunnassa on jo yksikkö nimeltä"),
            ("Rename", new() { ["unitId"] = Id(a), ["name"] = "", ["on"] = "2027-01-10" }, "Anna yksikön nimi."),
            ("Rename", new() { ["unitId"] = Id(a), ["name"] = "Päiväkoti Muu", ["on"] = "1999-01-10" }, $"Nimenmuutoksen päivän pitää olla välillä {range}."),
            ("Rename", new() { ["unitId"] = "0", ["name"] = "Päiväkoti Muu", ["on"] = "2027-01-10" }, "Valitse yksikkö."),
            ("Merge", new() { ["unitId"] = Id(a), ["intoId"] = Id(a), ["on"] = "2027-01-10" }, "Yksikköä ei voi yhdistää itseensä."),
            ("Merge", new() { ["unitId"] = Id(a), ["intoId"] = Id(hollola), ["on"] = "2027-01-10" }, "Yksikön voi yhdistää vain saman kunnan yksikköön."),
            ("Merge", new() { ["unitId"] = Id(a), ["intoId"] = Id(school), ["on"] = "2027-01-10" }, "Yksikön voi yhdistää vain saman sektorin yksikköön."),
            ("Merge", new() { ["unitId"] = Id(a), ["intoId"] = Id(b), ["on"] = "ei päivä" }, "Yhdistämispäivä puuttuu tai on virheellinen."),
            ("Close", new() { ["unitId"] = Id(a), ["on"] = Iso(today.AddYears(1).AddDays(1)) }, $"Sulkemispäivän pitää olla välillä {range}."),
            ("Close", new() { ["unitId"] = Id(a), ["on"] = "" }, "Sulkemispäivä puuttuu tai on virheellinen."),
            ("Close", new() { ["unitId"] = "abc", ["on"] = "2027-01-10" }, "Valitse yksikkö."),
        ];
        foreach (var (handler, fields, message) in cases)
        {
            var (status, html) = await PostAsync(admin, handler, fields);
            Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{handler} {string.Join(", ", fields.Values)}: {status}");
            Assert.Contains("Muutosta ei tehty", html, StringComparison.Ordinal);
            Assert.Contains(message, html, StringComparison.Ordinal);
        }

        // Closing twice: the second says when it was closed; a closed unit is neither renamed nor merged into.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "Close", new() { ["unitId"] = Id(b), ["on"] = "2027-01-10" })).Status);
        var again = await PostAsync(admin, "Close", new() { ["unitId"] = Id(b), ["on"] = "2027-01-11" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.Status);
        Assert.Contains($"Yksikkö ”{b.Name}” on jo suljettu 10.1.2027.", again.Html, StringComparison.Ordinal);
        var renameClosed = await PostAsync(admin, "Rename", new() { ["unitId"] = Id(b), ["name"] = "Päiväkoti Herännyt", ["on"] = "2027-01-12" });
        Assert.Contains($"Yksikkö ”{b.Name}” on suljettu; suljettua yksikköä ei nimetä uudelleen.", renameClosed.Html, StringComparison.Ordinal);
        var mergeIntoClosed = await PostAsync(admin, "Merge", new() { ["unitId"] = Id(a), ["intoId"] = Id(b), ["on"] = "2027-01-12" });
        Assert.Contains($"Yksikkö ”{b.Name}”, johon yhdistettäisiin, on suljettu.", mergeIntoClosed.Html, StringComparison.Ordinal);

        await using var db = factory.CreateDbContext();
        var stored = await db.Units.AsNoTracking().Include(u => u.NameChanges).SingleAsync(u => u.Id == a.Id);
        Assert.Equal((a.Name, (DateOnly?)null, (int?)null, 0), (stored.Name, stored.ClosedOn, stored.MergedIntoId, stored.NameChanges.Count));
        Assert.Equal(new DateOnly(2027, 1, 10), (await db.Units.SingleAsync(u => u.Id == b.Id)).ClosedOn);
        Assert.Equal(before + 1, await CountAuditAsync());
    }

    [Fact]
    public async Task A_published_round_keeps_the_name_and_the_unit_it_had_after_a_rename_and_a_closure()
    {
        var lahtiA = await TestData.UnitAsync(factory, "398", $"Päiväkoti Entinen A {Guid.NewGuid():n}");
        var lahtiB = await TestData.UnitAsync(factory, "398", $"Päiväkoti Entinen B {Guid.NewGuid():n}");
        var hollola = await TestData.UnitAsync(factory, "098", $"Päiväkoti Entinen C {Guid.NewGuid():n}");
        var closed = (LahtiA: lahtiA, LahtiB: lahtiB);
        const string item = "vk_h_001";
        var roundId = await TestData.PublishedRoundAsync(factory, 2024, [
            (lahtiA, TestData.Forms(item, [.. TestData.Times("4", 4), .. TestData.Times("2", 3)])),
            (lahtiB, TestData.Forms(item, [.. TestData.Times("5", 3), .. TestData.Times("3", 4)])),
            (hollola, TestData.Forms(item, [.. TestData.Times("4", 3), .. TestData.Times("1", 3)]))]);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(RoundState.Published, (await db.Rounds.SingleAsync(r => r.Id == roundId)).State);
        }

        var snapshotBefore = await SnapshotJsonAsync(roundId);
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var newName = $"Päiväkoti Myöhempi {Guid.NewGuid():n}";
        var today = Region.Day(factory.Clock.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "Rename", new() { ["unitId"] = Id(closed.LahtiA), ["name"] = newName, ["on"] = today })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "Close", new() { ["unitId"] = Id(closed.LahtiB), ["on"] = today })).Status);

        // The stored results are not rewritten.
        Assert.Equal(snapshotBefore, await SnapshotJsonAsync(roundId));

        using var director = await Browser.SignedInAsync(factory, "rekisteri.lahti", TestData.Password);
        var (status, unitPage) = await director.GetAsync($"/tulokset/{roundId}/yksikko/{closed.LahtiA.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<h1>{closed.LahtiA.Name} –", unitPage, StringComparison.Ordinal);
        Assert.DoesNotContain(newName, unitPage, StringComparison.Ordinal);

        var (closedStatus, closedPage) = await director.GetAsync($"/tulokset/{roundId}/yksikko/{closed.LahtiB.Id}");
        Assert.Equal(HttpStatusCode.OK, closedStatus);
        Assert.Contains($"<h1>{closed.LahtiB.Name} –", closedPage, StringComparison.Ordinal);

        var (_, municipalityPage) = await director.GetAsync($"/tulokset/{roundId}/kunta/398");
        Assert.Contains(closed.LahtiA.Name, municipalityPage, StringComparison.Ordinal);
        Assert.Contains(closed.LahtiB.Name, municipalityPage, StringComparison.Ordinal);
        Assert.DoesNotContain(newName, municipalityPage, StringComparison.Ordinal);

        var (apiStatus, api) = await director.GetAsync($"/api/rounds/{roundId}/results/398");
        Assert.Equal(HttpStatusCode.OK, apiStatus);
        Assert.Contains($"\"unit\":\"{closed.LahtiA.Id}\",\"name\":\"{closed.LahtiA.Name}\"", api, StringComparison.Ordinal);
        Assert.Contains($"\"unit\":\"{closed.LahtiB.Id}\",\"name\":\"{closed.LahtiB.Name}\"", api, StringComparison.Ordinal);
        Assert.DoesNotContain(newName, api, StringComparison.Ordinal);

        // Recomputing the snapshot (as after a correction) still tells the round under the name the unit had then.
        var rebuilt = await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().BuildAsync(roundId));
        var names = rebuilt.Groups.SelectMany(g => g.Items).SelectMany(i => i.Units).Where(c => c.Key == Id(closed.LahtiA)).Select(c => c.Name).Distinct();
        Assert.Equal([closed.LahtiA.Name], names);
    }

    [Fact]
    public async Task A_new_round_leaves_out_a_closed_unit_but_not_one_closing_later()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var open = await TestData.UnitAsync(factory, "398", $"Päiväkoti Auki {Guid.NewGuid():n}");
        var closing = await TestData.UnitAsync(factory, "398", $"Päiväkoti Sulkeutuu {Guid.NewGuid():n}");
        var gone = await TestData.UnitAsync(factory, "398", $"Päiväkoti Suljettu {Guid.NewGuid():n}");
        var today = Region.Day(factory.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "Close", new() { ["unitId"] = Id(gone), ["on"] = Iso(today.AddDays(-1)) })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "Close", new() { ["unitId"] = Id(closing), ["on"] = Iso(today.AddDays(20)) })).Status);
        var round = await TestData.OpenRoundAsync(factory);

        // The code order form offers the open units only.
        var (_, codesPage) = await admin.GetAsync($"/koodit?kierros={round.Id}");
        Assert.Contains(open.Name, codesPage, StringComparison.Ordinal);
        Assert.Contains(closing.Name, codesPage, StringComparison.Ordinal);
        Assert.DoesNotContain(gone.Name, codesPage, StringComparison.Ordinal);

        var order = await admin.PostFormAsync($"/koodit?kierros={round.Id}", "/koodit?handler=Order", new()
        {
            ["roundId"] = Id(round.Id), ["unitId"] = Id(gone), ["group"] = "Guardian", ["kind"] = "Personal", ["count"] = "5", ["usesPerCode"] = "0",
        });
        Assert.Contains("Yksikkö on suljettu ennen kierroksen alkua, eikä se saa koodeja.", await order.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            Assert.False(await db.CodeBatches.AnyAsync(b => b.UnitId == gone.Id));
            Assert.False(await db.AccessCodes.AnyAsync(c => c.UnitId == gone.Id));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => TestData.CodesAsync(factory, round.Id, gone.Id, 1));
        Assert.Single(await TestData.CodesAsync(factory, round.Id, closing.Id, 1));

        // Nor does it take enrolment figures for the round, by the register's import or by the enrolment import.
        var preview = await UploadAsync(admin, $"kunta;yksikkö;huoltajat\n398;{gone.Name};40\n398;{open.Name};30\n", round.Id);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.Status);
        Assert.Contains($"Rivi 2: yksikkö ”{gone.Name}” on suljettu {UnitRegister.Show(today.AddDays(-1))}, eikä se ole mukana kierroksella.", preview.Html, StringComparison.Ordinal);
        var (imported, errors) = await factory.WithScopeAsync(s => s.GetRequiredService<Arviointi.Web.Features.ResponseRates.EnrolmentImport>()
            .ImportAsync(round.Id, Encoding.UTF8.GetBytes($"municipality,unit,group,count\n398,{gone.Name},guardian,40\n"), "testi"));
        Assert.Equal(0, imported);
        Assert.Equal("Rivi {0}: yksikkö ”{1}” on suljettu {2}, eikä se ole mukana kierroksella.", Assert.Single(errors).Key);

        // The closed unit stays readable in the register.
        var (_, register) = await admin.GetAsync(Page);
        Assert.Contains(gone.Name, register, StringComparison.Ordinal);
        Assert.Contains($"suljettu {UnitRegister.Show(today.AddDays(-1))}", register, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trends_go_on_after_two_units_merge_and_the_merged_units_past_results_stay()
    {
        var keep = await TestData.UnitAsync(factory, "398", $"Päiväkoti Jatkaa {Guid.NewGuid():n}");
        var away = await TestData.UnitAsync(factory, "398", $"Päiväkoti Yhdistyy {Guid.NewGuid():n}");
        var hollola = await TestData.UnitAsync(factory, "098", $"Päiväkoti Hollolassa {Guid.NewGuid():n}");
        const string item = "vk_h_001";
        var previous = await TestData.PublishedRoundAsync(factory, 2025, [
            (keep, TestData.Forms(item, [.. TestData.Times("4", 6), .. TestData.Times("2", 4)])),
            (away, TestData.Forms(item, TestData.Times("2", 8))),
            (hollola, TestData.Forms(item, TestData.Times("4", 9)))]);

        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var today = Iso(Region.Day(factory.Clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "Merge", new() { ["unitId"] = Id(away), ["intoId"] = Id(keep), ["on"] = today })).Status);

        var current = await TestData.PublishedRoundAsync(factory, 2027, [
            (keep, TestData.Forms(item, [.. TestData.Times("5", 12), .. TestData.Times("2", 6)])),
            (hollola, TestData.Forms(item, TestData.Times("4", 7)))]);

        var results = (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(current)))!;
        Assert.Equal(previous, results.Previous!.RoundId);
        var figures = results.Groups.Single().Items.Single(i => i.ItemId == item);
        var lahti = figures.Municipalities.Single(m => m.Key == "398");
        Assert.Equal(2025, lahti.Change!.PreviousYear);
        Assert.Equal(18, lahti.Change.PreviousN);
        Assert.NotNull(figures.History!.Single(h => h.Year == 2025).Municipalities["398"]);

        using var director = await Browser.SignedInAsync(factory, "rekisteri.lahti", TestData.Password);
        var (trendStatus, trend) = await director.GetAsync($"/tulokset/{current}/kaavio/kysymys/Guardian/{item}/trendi.svg");
        Assert.Equal(HttpStatusCode.OK, trendStatus);
        Assert.Contains("2025", trend, StringComparison.Ordinal);
        Assert.Contains("2027", trend, StringComparison.Ordinal);

        // The merged-away unit's own past stays under it; the new round has only the unit it went into.
        var (pastStatus, pastPage) = await director.GetAsync($"/tulokset/{previous}/yksikko/{away.Id}");
        Assert.Equal(HttpStatusCode.OK, pastStatus);
        Assert.Contains($"<h1>{away.Name} –", pastPage, StringComparison.Ordinal);
        var (_, api) = await director.GetAsync($"/api/rounds/{current}/results/398");
        Assert.Contains(keep.Name, api, StringComparison.Ordinal);
        Assert.DoesNotContain(away.Name, api, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_import_previews_every_change_and_confirming_applies_all_of_it_at_once()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var stem = Guid.NewGuid().ToString("n")[..8];
        var stays = await TestData.UnitAsync(factory, "398", $"Päiväkoti Pysyy {stem}");
        var renamed = await TestData.UnitAsync(factory, "398", $"Päiväkoti Vanha {stem}");
        var closes = await TestData.UnitAsync(factory, "098", $"Päiväkoti Loppuu {stem}");
        var round = await TestData.OpenRoundAsync(factory, "ecec-staff");
        await factory.WithScopeAsync(s => s.GetRequiredService<Arviointi.Web.Features.ResponseRates.EnrolmentImport>()
            .ImportAsync(round.Id, Encoding.UTF8.GetBytes($"municipality,unit,group,count\n398,{stays.Name},guardian,40\n398,{stays.Name},staff,8\n"), "testi"));
        var before = await CountAuditAsync();

        // A BOM, semicolons, a municipality by name, a quoted field and a blank line, as a spreadsheet writes them.
        var csv = "\uFEFFkunta;yksikkö;sektori;tyyppi;kielet;aiempi nimi;suljettu;henkilöstö;huoltajat;lapset\r\n"
            + $"398;Päiväkoti Uusi {stem};varhaiskasvatus;päiväkoti;fi,sv;;;12;60;55\r\n"
            + $"Lahti;\"Päiväkoti Nimetty {stem}\";;;;Päiväkoti Vanha {stem};;;;\r\n"
            + "\r\n"
            + $"098;Päiväkoti Loppuu {stem};;;;;31.7.2027;;;\r\n"
            + $"398;Päiväkoti Pysyy {stem};varhaiskasvatus;;;;;8;45;\r\n";
        var preview = await UploadAsync(admin, csv, round.Id);
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        var table = Regex.Replace(Regex.Match(preview.Html, "<caption>Muutokset, jotka tuonti tekee</caption>.*?</table>", RegexOptions.Singleline).Value, @">\s+<", "><");
        Assert.Contains($"Päiväkoti Uusi {stem}", table, StringComparison.Ordinal);
        Assert.Contains("Uusi yksikkö", table, StringComparison.Ordinal);
        Assert.Contains($"<td>Nimi muuttuu</td>", table, StringComparison.Ordinal);
        Assert.Contains($"<td>Päiväkoti Vanha {stem}</td>", table, StringComparison.Ordinal);
        Assert.Contains("<td>Suljetaan</td>", table, StringComparison.Ordinal);
        Assert.Contains("<td>31.7.2027</td>", table, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">Päiväkoti Pysyy {stem}</th><td>Osallistujamäärä: Huoltajat</td><td>40</td><td>45</td>", table, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">Päiväkoti Uusi {stem}</th><td>Osallistujamäärä: Lapset</td><td>–</td><td>55</td>", table, StringComparison.Ordinal);
        Assert.DoesNotContain($"<th scope=\"row\">Päiväkoti Pysyy {stem}</th><td>Osallistujamäärä: Henkilöstö</td>", table, StringComparison.Ordinal);
        Assert.Contains("Uusia yksiköitä 1, nimenmuutoksia 1, suljettavia 1, kielten muutoksia 0, osallistujamäärien muutoksia 4.", preview.Html, StringComparison.Ordinal);

        // The preview changed nothing.
        await using (var db = factory.CreateDbContext())
        {
            Assert.False(await db.Units.AnyAsync(u => u.Name == $"Päiväkoti Uusi {stem}"));
            Assert.Equal(renamed.Name, (await db.Units.SingleAsync(u => u.Id == renamed.Id)).Name);
            Assert.Equal(before, await CountAuditAsync());
        }

        var confirm = await admin.PostFormFromAsync(preview.Html, $"{Page}?handler=Apply", new()
        {
            ["data"] = Hidden(preview.Html, "data"), ["fingerprint"] = Hidden(preview.Html, "fingerprint"), ["roundId"] = Id(round.Id),
        });
        var done = await confirm.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("Tuonti tehtiin: kaikki esikatselun muutokset tallennettiin.", done, StringComparison.Ordinal);

        await using (var db = factory.CreateDbContext())
        {
            var created = await db.Units.SingleAsync(u => u.Name == $"Päiväkoti Uusi {stem}");
            Assert.Equal((Sector.Ecec, UnitKind.DayCareCentre, "fi,sv"), (created.Sector, created.Kind, created.Languages));
            var now = await db.Units.Include(u => u.NameChanges).SingleAsync(u => u.Id == renamed.Id);
            Assert.Equal($"Päiväkoti Nimetty {stem}", now.Name);
            Assert.Equal(renamed.Name, Assert.Single(now.NameChanges).OldName);
            Assert.Equal(new DateOnly(2027, 7, 31), (await db.Units.SingleAsync(u => u.Id == closes.Id)).ClosedOn);
            var figures = await db.Enrolments.Where(e => e.RoundId == round.Id).Select(e => new { e.UnitId, e.Group, e.Count }).ToListAsync();
            Assert.Equal(
                new[] { (created.Id, RespondentGroup.Child, 55), (created.Id, RespondentGroup.Guardian, 60), (created.Id, RespondentGroup.Staff, 12), (stays.Id, RespondentGroup.Guardian, 45), (stays.Id, RespondentGroup.Staff, 8) }.Order(),
                figures.Select(f => (f.UnitId, f.Group, f.Count)).Order());
            var actions = await db.AuditEvents.OrderBy(e => e.Id).Skip(before).Where(e => e.Actor == Admin).Select(e => e.Action).ToListAsync();
            Assert.Equal(["unit.closed", "unit.renamed", "units.created", "units.imported"], actions.Order(StringComparer.Ordinal));
        }

        // Confirming the same preview again finds nothing left to do, and the same file previews as no change.
        var again = await admin.PostFormFromAsync(preview.Html, $"{Page}?handler=Apply", new()
        {
            ["data"] = Hidden(preview.Html, "data"), ["fingerprint"] = Hidden(preview.Html, "fingerprint"), ["roundId"] = Id(round.Id),
        });
        Assert.Contains("Tiedosto vastaa rekisteriä: tuotavia muutoksia ei ole.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_with_bad_lines_names_each_line_and_changes_nothing()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var stem = Guid.NewGuid().ToString("n")[..8];
        var existing = await TestData.UnitAsync(factory, "398", $"Päiväkoti Olemassa {stem}");
        var round = await TestData.OpenRoundAsync(factory);
        var before = await CountAuditAsync();
        var csv = string.Join('\n',
            "kunta,yksikkö,sektori,huoltajat,suljettu",
            $"398,Päiväkoti Hyvä {stem},varhaiskasvatus,40,",
            $"999,Päiväkoti Jossain {stem},varhaiskasvatus,10,",
            $"398,Päiväkoti Sektoriton {stem},,10,",
            $"398,{existing.Name},varhaiskasvatus,kymmenen,",
            $"398,Päiväkoti Hyvä {stem},varhaiskasvatus,41,",
            $"398,Päiväkoti Päivätön {stem},varhaiskasvatus,,31.2.2027",
            $"398,,varhaiskasvatus,,",
            $"398,Koulu {stem},perusopetus,30,",
            $"398,{existing.Name}") + "\n";

        var (status, html) = await UploadAsync(admin, csv, round.Id);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("Muutosta ei tehty", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 3: tuntematon kunta ”999”: anna kuntanumero tai kunnan nimi.", html, StringComparison.Ordinal);
        Assert.Contains($"Rivi 4: uudelle yksikölle ”Päiväkoti Sektoriton {stem}” pitää antaa sektori.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 5: sarakkeen huoltajat määrä ”kymmenen” ei ole positiivinen kokonaisluku.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 6: sama yksikkö on jo rivillä 2.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 7: sulkemispäivä ”31.2.2027” ei ole päivämäärä (esim. 31.7.2027).", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 8: yksikön nimi puuttuu.", html, StringComparison.Ordinal);
        Assert.Contains($"Rivi 9: yksikkö ”Koulu {stem}” ei kuulu kierroksen sektoriin.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 10: sarakkeita on 2, pitää olla 5 kuten otsikossa.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Rivi 2:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Vahvista tuonti", html, StringComparison.Ordinal);

        // Confirming the file anyway (as with a hand-made request) imports nothing either.
        var (_, page) = await admin.GetAsync(Page);
        var forced = await admin.PostFormFromAsync(page, $"{Page}?handler=Apply", new()
        {
            ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(csv)), ["fingerprint"] = "", ["roundId"] = Id(round.Id),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forced.StatusCode);
        Assert.Contains("Rivi 3: tuntematon kunta", await forced.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Headers and files that are wrong as a whole.
        var header = await UploadAsync(admin, "kunta;nimi\n398;Päiväkoti\n", null);
        Assert.Contains("Rivi 1: tuntematon sarake ”nimi”.", header.Html, StringComparison.Ordinal);
        Assert.Contains("Rivi 1: otsikossa pitää olla ainakin sarakkeet kunta ja yksikkö.", header.Html, StringComparison.Ordinal);
        var noRound = await UploadAsync(admin, $"kunta;yksikkö;huoltajat\n398;{existing.Name};30\n", null);
        Assert.Contains("Rivi 2: tiedostossa on osallistujamääriä; valitse kierros, jolle ne tallennetaan.", noRound.Html, StringComparison.Ordinal);
        var latin1 = Encoding.UTF8.GetBytes("kunta;yksikkö;sektori\n").Concat(Encoding.Latin1.GetBytes("398;Päiväkoti Ä;varhaiskasvatus\n")).ToArray();
        var notUtf8 = await UploadAsync(admin, latin1, null);
        Assert.Contains("Rivi 2: tiedosto ei ole UTF-8-muodossa.", notUtf8.Html, StringComparison.Ordinal);
        var empty = await UploadAsync(admin, "", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.Status);
        Assert.Contains("Valitse tuotava CSV-tiedosto.", empty.Html, StringComparison.Ordinal);

        await using var db = factory.CreateDbContext();
        Assert.False(await db.Units.AnyAsync(u => u.Name.Contains(stem) && u.Id != existing.Id));
        Assert.False(await db.Enrolments.AnyAsync(e => e.RoundId == round.Id));
        Assert.Null((await db.Units.SingleAsync(u => u.Id == existing.Id)).ClosedOn);
        Assert.Equal(before, await CountAuditAsync());
    }

    [Fact]
    public async Task A_preview_that_no_longer_matches_the_register_is_not_applied()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var stem = Guid.NewGuid().ToString("n")[..8];
        var unit = await TestData.UnitAsync(factory, "398", $"Päiväkoti Ennen {stem}");
        var preview = await UploadAsync(admin, $"kunta;yksikkö;aiempi nimi\n398;Päiväkoti Jälkeen {stem};Päiväkoti Ennen {stem}\n", null);
        Assert.Equal(HttpStatusCode.OK, preview.Status);

        // Someone closes the unit between the preview and the confirmation.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, "Close", new() { ["unitId"] = Id(unit), ["on"] = "2027-01-10" })).Status);
        var confirm = await admin.PostFormFromAsync(preview.Html, $"{Page}?handler=Apply", new()
        {
            ["data"] = Hidden(preview.Html, "data"), ["fingerprint"] = Hidden(preview.Html, "fingerprint"),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, confirm.StatusCode);
        Assert.Contains($"Rivi 2: yksikkö ”Päiväkoti Ennen {stem}” on suljettu; suljettua yksikköä ei nimetä uudelleen.", await confirm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.Equal(unit.Name, (await db.Units.SingleAsync(u => u.Id == unit.Id)).Name);
    }

    [Fact]
    public async Task Only_administrators_keep_the_register()
    {
        using var director = await Browser.SignedInAsync(factory, "rekisteri.lahti", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync(Page)).Status);
        using var anonymous = new Browser(factory);
        using var response = await anonymous.Client.GetAsync(new Uri(Page, UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public void Every_message_the_register_makes_in_code_is_translated(string language)
    {
        var root = ArviointiFactory.RepositoryRoot();
        var folder = Path.Combine(root, "src", "Arviointi.Web", "Features", "Organisation");
        var keys = SourceFiles
            .SelectMany(f => MessagePattern().Matches(File.ReadAllText(Path.Combine(folder, f))).Select(m => m.Groups[1].Value))
            .Where(k => k.Any(char.IsLetter) && !k.Contains("Yksikkö {0} ”", StringComparison.Ordinal) && !k.Contains("Yksikkörekisteri tuotiin", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.True(keys.Count > 60, $"only {keys.Count} messages found");
        var resx = XDocument.Load(Path.Combine(root, "src", "Arviointi.Web", "Resources", "Features", "Shared", $"SharedResource.{language}.resx"))
            .Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value"));
        var missing = keys.Where(k => string.IsNullOrWhiteSpace(resx.GetValueOrDefault(k))).ToList();
        Assert.True(missing.Count == 0, $"Missing from SharedResource.{language}.resx:\n" + string.Join("\n", missing));
    }

    private static string Id(Unit unit) => Id(unit.Id);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<Unit> UnitAsync(string name)
    {
        await using var db = factory.CreateDbContext();
        return await db.Units.AsNoTracking().Include(u => u.NameChanges).SingleAsync(u => u.Name == name);
    }

    private async Task<int> CountAuditAsync()
    {
        await using var db = factory.CreateDbContext();
        return await db.AuditEvents.CountAsync();
    }

    private async Task<string> SnapshotJsonAsync(int roundId)
    {
        await using var db = factory.CreateDbContext();
        var overview = await db.ResultSnapshots.Where(s => s.RoundId == roundId).Select(s => s.Json).SingleAsync();
        var parts = await db.ResultSnapshotParts.Where(p => p.RoundId == roundId).OrderBy(p => p.Key).Select(p => p.Json).ToListAsync();
        return string.Join("\n", [overview, .. parts]);
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(Browser browser, string handler, Dictionary<string, string> fields)
    {
        using var response = await browser.PostFormAsync(Page, $"{Page}?handler={handler}", fields);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<(HttpStatusCode Status, string Html)> UploadAsync(Browser browser, string csv, int? roundId) =>
        UploadAsync(browser, Encoding.UTF8.GetBytes(csv), roundId);

    private static async Task<(HttpStatusCode Status, string Html)> UploadAsync(Browser browser, byte[] csv, int? roundId)
    {
        var (_, page) = await browser.GetAsync(Page);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Browser.TokenIn(page)), "__RequestVerificationToken" },
            { new StringContent(roundId?.ToString(CultureInfo.InvariantCulture) ?? ""), "roundId" },
        };
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "yksikot.csv");
        using var response = await browser.Client.PostAsync(new Uri($"{Page}?handler=Preview", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"<input type=\"hidden\" name=\"{name}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"No hidden field {name}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("""(?:UiMessage\(\s*|=> \(?|DoneAsync\([^;]*?, |: )"((?:[^"\\]|\\.)*)"(?=[,)\]])""")]
    private static partial Regex MessagePattern();
}
