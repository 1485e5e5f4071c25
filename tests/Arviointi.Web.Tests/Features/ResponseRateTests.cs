using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>Enrolment figures from CSV, the daily response-count record and the response-rate page with its scoping.</summary>
public sealed partial class ResponseRateTests(ResponseRateTests.Fixture factory) : IClassFixture<ResponseRateTests.Fixture>
{
    /// <summary>One user per role; each test makes its own round and units.</summary>
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await TestData.UserAsync(this, "rate.admin", Roles.Administrator);
            await TestData.UserAsync(this, "rate.director.lahti", Roles.Director, "398");
            await TestData.UserAsync(this, "rate.director.hollola", Roles.Director, "098");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task A_valid_file_is_imported_replaces_the_rounds_previous_figures_and_is_audited()
    {
        var (round, a, b) = await RoundWithUnitsAsync();
        using var admin = await Browser.SignedInAsync(factory, "rate.admin", TestData.Password);

        var first = await UploadAsync(admin, round.Id, $"municipality,unit,group,count\n398,{a.Name},guardian,40\n398,{a.Name},staff,9\n398,{b.Name},child,12\n");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains("Osallistujamäärät tuotiin: 3 riviä.", first.Html, StringComparison.Ordinal);

        // A BOM, a quoted name, upper-case group, CRLF and a blank line are all fine; the old three rows are replaced.
        var second = await UploadAsync(admin, round.Id, $"\uFEFFmunicipality,unit,group,count\r\n398,\"{a.Name}\",GUARDIAN,42\r\n\r\n");
        Assert.Equal(HttpStatusCode.OK, second.Status);
        await using var db = factory.CreateDbContext();
        var stored = await db.Enrolments.Where(e => e.RoundId == round.Id).ToListAsync();
        var only = Assert.Single(stored);
        Assert.Equal((a.Id, RespondentGroup.Guardian, 42), (only.UnitId, only.Group, only.Count));
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "enrolment.imported" && e.Actor == "rate.admin" && e.Details.Contains($"Kierroksen {round.Id} ")));
    }

    [Fact]
    public async Task Every_bad_row_is_reported_with_its_line_and_nothing_is_imported()
    {
        var (round, a, b) = await RoundWithUnitsAsync();
        await ImportAsync(round.Id, $"municipality,unit,group,count\n398,{a.Name},guardian,40\n");
        using var admin = await Browser.SignedInAsync(factory, "rate.admin", TestData.Password);

        var csv = string.Join('\n',
            "municipality,unit,group,count",
            $"398,{b.Name},guardian,30",
            "398,Ei tällaista päiväkotia,guardian,10",
            $"398,{a.Name},parent,10",
            $"398,{a.Name},staff,kymmenen",
            $"398,{a.Name},child,0",
            $"398,{a.Name}",
            $"398,{b.Name},guardian,31",
            "999,Jokin,staff,3",
            $"398,{a.Name},pupil,5") + "\n";
        var (status, html) = await UploadAsync(admin, round.Id, csv);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("Tiedostoa ei tuotu", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 3: kunnassa 398 ei ole yksikköä ”Ei tällaista päiväkotia”.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 4: tuntematon vastaajaryhmä ”parent”", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 5: määrä ”kymmenen” ei ole positiivinen kokonaisluku.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 6: määrä ”0” ei ole positiivinen kokonaisluku.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 7: sarakkeita on 2, pitää olla 4", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 8: sama yksikkö ja ryhmä on jo rivillä 2.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 9: tuntematon kuntanumero ”999”.", html, StringComparison.Ordinal);
        Assert.Contains("Rivi 10: yksikkö", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Rivi 2:", html, StringComparison.Ordinal);

        // Latin-1 from an old spreadsheet: the line is named and nothing changes.
        var latin1 = Encoding.UTF8.GetBytes($"municipality,unit,group,count\n398,{b.Name},guardian,30\n")
            .Concat(Encoding.Latin1.GetBytes("398,Päiväkoti,staff,3\n")).ToArray();
        var notUtf8 = await UploadAsync(admin, round.Id, latin1);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notUtf8.Status);
        Assert.Contains("Rivi 3: tiedosto ei ole UTF-8-muodossa.", notUtf8.Html, StringComparison.Ordinal);

        var header = await UploadAsync(admin, round.Id, "kunta;yksikkö;ryhmä;määrä\n");
        Assert.Contains("Rivi 1: otsikkorivin pitää olla municipality,unit,group,count.", header.Html, StringComparison.Ordinal);

        await using var db = factory.CreateDbContext();
        var stored = Assert.Single(await db.Enrolments.Where(e => e.RoundId == round.Id).ToListAsync());
        Assert.Equal((a.Id, 40), (stored.UnitId, stored.Count));
    }

    [Fact]
    public async Task Only_administrators_import_enrolment_figures()
    {
        using var director = await Browser.SignedInAsync(factory, "rate.director.lahti", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync("/hallinta/osallistujat")).Status);
    }

    [Fact]
    public async Task The_recorder_run_twice_or_concurrently_keeps_one_row_per_unit_group_and_day()
    {
        var (round, a, b) = await RoundWithUnitsAsync();
        await ImportAsync(round.Id, $"municipality,unit,group,count\n398,{a.Name},guardian,20\n398,{b.Name},staff,6\n");
        await AddResponsesAsync(round.Id, a.Id, 3);

        await RecordAsync();
        await RecordAsync();
        await Task.WhenAll(RecordAsync(), RecordAsync(), RecordAsync());

        await using var db = factory.CreateDbContext();
        var rows = await db.ResponseRateSnapshots.Where(s => s.RoundId == round.Id).OrderBy(s => s.UnitId).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(ResponseRateRecorder.Day(factory.Clock.GetUtcNow()), r.Date));
        Assert.Equal(3, rows.Single(r => r.UnitId == a.Id).Responses);
        Assert.Equal(0, rows.Single(r => r.UnitId == b.Id && r.Group == RespondentGroup.Staff).Responses);
    }

    [Fact]
    public async Task A_series_builds_up_day_by_day_and_the_closing_day_holds_the_final_count()
    {
        var (round, a, _) = await RoundWithUnitsAsync();
        var day0 = ResponseRateRecorder.Day(factory.Clock.GetUtcNow());
        await ImportAsync(round.Id, $"municipality,unit,group,count\n398,{a.Name},guardian,20\n");
        await AddResponsesAsync(round.Id, a.Id, 5);
        await RecordAsync();
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await AddResponsesAsync(round.Id, a.Id, 3);
        await RecordAsync();
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await RecordAsync();

        // 21:30 UTC is 23:30 in Helsinki: still the same day there, so the day's row is brought up to date, not added.
        await AddResponsesAsync(round.Id, a.Id, 2);
        factory.Clock.SetUtcNow(new DateTimeOffset(day0.AddDays(2).ToDateTime(new TimeOnly(21, 30)), TimeSpan.Zero));
        await RecordAsync();

        await using var db = factory.CreateDbContext();
        var series = await db.ResponseRateSnapshots.Where(s => s.RoundId == round.Id).OrderBy(s => s.Date).Select(s => new { s.Date, s.Responses }).ToListAsync();
        Assert.Equal([(day0, 5), (day0.AddDays(1), 8), (day0.AddDays(2), 10)], series.Select(s => (s.Date, s.Responses)).ToList());

        using var director = await Browser.SignedInAsync(factory, "rate.director.lahti", TestData.Password);
        var (status, html) = await director.GetAsync($"/vastausaste?kierros={round.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        var row = Row(html, a.Name, "Huoltajat");
        Assert.Contains(">10</td>", row, StringComparison.Ordinal);
        Assert.Contains(">20</td>", row, StringComparison.Ordinal);
        Assert.Contains("50", row, StringComparison.Ordinal);
        Assert.DoesNotContain("alle 50 %", row, StringComparison.Ordinal);

        // The daily development is drawn for the municipality, not for a unit, whose days could split a hidden neighbour.
        Assert.DoesNotContain("role=\"img\"", row, StringComparison.Ordinal);
        var municipality = Row(html, "Lahti", "Huoltajat");
        Assert.Contains("role=\"img\"", municipality, StringComparison.Ordinal);
        Assert.Contains($"aria-label=\"Vastauksia {day0.Day}.{day0.Month}.: 5, {day0.AddDays(2).Day}.{day0.AddDays(2).Month}.: 10\"", municipality, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_under_five_are_hidden_with_a_partner_in_one_table_per_municipality_with_its_real_total()
    {
        var (round, a, b) = await RoundWithUnitsAsync();
        await ImportAsync(round.Id, $"municipality,unit,group,count\n398,{a.Name},guardian,20\n398,{b.Name},guardian,8\n398,{b.Name},staff,30\n");
        await AddResponsesAsync(round.Id, a.Id, 3);
        await AddResponsesAsync(round.Id, b.Id, 6);
        await AddResponsesAsync(round.Id, b.Id, 12, RespondentGroup.Staff);
        await RecordAsync();

        using var director = await Browser.SignedInAsync(factory, "rate.director.lahti", TestData.Password);
        var (status, html) = await director.GetAsync($"/vastausaste?kierros={round.Id}");
        Assert.Equal(HttpStatusCode.OK, status);

        // A's 3 is hidden, and so is B's 6 with it: the municipality's real total 9 minus B would give A. "< 5" would
        // itself narrow A to 0–4, so a hidden count just says so. A is marked under half: of 20, that leaves 0–9.
        var fewA = Row(html, a.Name, "Huoltajat");
        Assert.Contains("piilotettu", fewA, StringComparison.Ordinal);
        Assert.DoesNotContain(">3</td>", fewA, StringComparison.Ordinal);
        Assert.DoesNotContain("&lt; 5", fewA, StringComparison.Ordinal);
        Assert.DoesNotContain("%</td>", fewA, StringComparison.Ordinal);
        Assert.Contains("alle 50 %", fewA, StringComparison.Ordinal);

        var partnerB = Row(html, b.Name, "Huoltajat");
        Assert.Contains("piilotettu", partnerB, StringComparison.Ordinal);
        Assert.DoesNotContain(">6</td>", partnerB, StringComparison.Ordinal);
        Assert.DoesNotContain("alle 50 %", partnerB, StringComparison.Ordinal);

        // One table for Lahti, opening with its real total.
        Assert.Single(Regex.Matches(html, "<caption>Kunta Lahti yksiköittäin"));
        var total = Row(html, "Lahti", "Huoltajat");
        Assert.Contains(">9</td>", total, StringComparison.Ordinal);
        Assert.Contains(">28</td>", total, StringComparison.Ordinal);

        var lowStaff = Row(html, b.Name, "Henkilöstö");
        Assert.Contains("40", lowStaff, StringComparison.Ordinal);
        Assert.Contains("alle 50 %", lowStaff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_director_sees_only_her_municipalitys_units_and_gets_403_for_others()
    {
        var (round, a, _) = await RoundWithUnitsAsync();
        var hollola = await TestData.UnitAsync(factory, "098", $"Hollolan päiväkoti {Guid.NewGuid():n}");
        await ImportAsync(round.Id, $"municipality,unit,group,count\n398,{a.Name},guardian,20\n098,{hollola.Name},guardian,15\n");
        using var director = await Browser.SignedInAsync(factory, "rate.director.hollola", TestData.Password);

        var (own, html) = await director.GetAsync($"/vastausaste?kierros={round.Id}");
        Assert.Equal(HttpStatusCode.OK, own);
        Assert.Contains(hollola.Name, html, StringComparison.Ordinal);
        Assert.DoesNotContain(a.Name, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Lahti", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync($"/vastausaste?kierros={round.Id}&kunta=398")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync($"/vastausaste?kierros={round.Id}&yksikko={a.Id}")).Status);

        // A unit leader sees the own unit against the municipality, not the neighbours.
        var leader = $"rate.leader.{Guid.NewGuid():n}";
        await TestData.UserAsync(factory, leader, Roles.UnitLeader, "398", a.Id);
        using var unitLeader = await Browser.SignedInAsync(factory, leader, TestData.Password);
        var (leaderStatus, leaderHtml) = await unitLeader.GetAsync($"/vastausaste?kierros={round.Id}");
        Assert.Equal(HttpStatusCode.OK, leaderStatus);
        Assert.Contains(a.Name, leaderHtml, StringComparison.Ordinal);
        Assert.Contains("Kunta Lahti", leaderHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await unitLeader.GetAsync($"/vastausaste?kierros={round.Id}&kunta=398")).Status);

        using var admin = await Browser.SignedInAsync(factory, "rate.admin", TestData.Password);
        var (adminStatus, adminHtml) = await admin.GetAsync($"/vastausaste?kierros={round.Id}");
        Assert.Equal(HttpStatusCode.OK, adminStatus);
        Assert.Contains("Alue Päijät-Häme", adminHtml, StringComparison.Ordinal);
        Assert.Contains(a.Name, adminHtml, StringComparison.Ordinal);
        Assert.Contains(hollola.Name, adminHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_municipalitys_units_are_listed_by_name_in_Finnish_order()
    {
        // Byte order would put "Zeta" before "aamu"; Finnish puts a before z, and ä and ö after z.
        var tag = Guid.NewGuid().ToString("n")[..6];
        string[] finnish = [$"aamu {tag}", $"Zeta {tag}", $"Ärrä {tag}", $"Öljy {tag}"];
        var units = new List<Unit>();
        foreach (var name in new[] { finnish[2], finnish[0], finnish[3], finnish[1] })
        {
            units.Add(await TestData.UnitAsync(factory, "398", name));
        }

        var round = await TestData.OpenRoundAsync(factory, "ecec-staff");
        await ImportAsync(round.Id, "municipality,unit,group,count\n" + string.Concat(units.Select(u => $"398,{u.Name},guardian,20\n")));
        await RecordAsync();

        using var director = await Browser.SignedInAsync(factory, "rate.director.lahti", TestData.Password);
        var (_, html) = await director.GetAsync($"/vastausaste?kierros={round.Id}");
        var positions = finnish.Select(n => html.IndexOf($">{n}</th>", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
    }

    private async Task<(EvaluationRound Round, Unit A, Unit B)> RoundWithUnitsAsync()
    {
        var a = await TestData.UnitAsync(factory, "398", $"Päiväkoti Aalto {Guid.NewGuid():n}");
        var b = await TestData.UnitAsync(factory, "398", $"Päiväkoti Bruno {Guid.NewGuid():n}");
        return (await TestData.OpenRoundAsync(factory, "ecec-staff"), a, b);
    }

    private Task<int> ImportAsync(int roundId, string csv) =>
        factory.WithScopeAsync(async s =>
        {
            var (_, errors) = await s.GetRequiredService<EnrolmentImport>().ImportAsync(roundId, Encoding.UTF8.GetBytes(csv), "testi");
            Assert.Empty(errors);
            return 0;
        });

    private Task<int> RecordAsync() =>
        factory.WithScopeAsync(async s =>
        {
            await s.GetRequiredService<ResponseRateRecorder>().RunAsync();
            return 0;
        });

    /// <summary>Stored responses, as the answering service leaves them; only their count matters here.</summary>
    private async Task AddResponsesAsync(int roundId, int unitId, int count, RespondentGroup group = RespondentGroup.Guardian)
    {
        await using var db = factory.CreateDbContext();
        var version = (await TestData.SurveyAsync(factory, "ecec-guardian")).Id;
        for (var i = 0; i < count; i++)
        {
            db.Responses.Add(new Response
            {
                Id = Guid.NewGuid(),
                RoundId = roundId,
                SurveyVersionId = version,
                UnitId = unitId,
                Group = group,
                SubmittedOn = ResponseRateRecorder.Day(factory.Clock.GetUtcNow()),
                Answers = [4],
            });
        }

        await db.SaveChangesAsync();
    }

    private static Task<(HttpStatusCode Status, string Html)> UploadAsync(Browser browser, int roundId, string csv) =>
        UploadAsync(browser, roundId, Encoding.UTF8.GetBytes(csv));

    private static async Task<(HttpStatusCode Status, string Html)> UploadAsync(Browser browser, int roundId, byte[] csv)
    {
        var (_, page) = await browser.GetAsync("/hallinta/osallistujat");
        var token = TokenPattern().Match(page);
        Assert.True(token.Success, "No antiforgery token on /hallinta/osallistujat");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
            { new StringContent(roundId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "roundId" },
        };
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "osallistujat.csv");
        using var response = await browser.Client.PostAsync(new Uri("/hallinta/osallistujat", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The table row of one unit and group on the response-rate page.</summary>
    private static string Row(string html, string unit, string group)
    {
        var rows = RowPattern().Matches(html).Select(m => m.Value)
            .Where(r => r.Contains($">{unit}</th>", StringComparison.Ordinal) && r.Contains($">{group}</td>", StringComparison.Ordinal)).ToList();
        return Assert.Single(rows);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();
}
