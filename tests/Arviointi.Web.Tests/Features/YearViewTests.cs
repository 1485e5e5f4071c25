using System.Net;
using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.YearView;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Tests.Features;

/// <summary>The coordinator sets up the year in Finnish time from the cycle file, and the year view shows its dates and what is due next.</summary>
public sealed class YearViewTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    [Fact]
    public async Task A_round_created_from_the_cycle_in_Finnish_time_drives_the_year_view_and_its_next_step()
    {
        await TestData.UserAsync(factory, "vuosi.admin", Roles.Administrator);
        await TestData.UserAsync(factory, "vuosi.johtaja", Roles.Director, "098");
        using var admin = await Browser.SignedInAsync(factory, "vuosi.admin", TestData.Password);

        var refused = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Cycle", new()
        {
            ["Year"] = "2027", ["OpensLocal"] = "2027-01-11T08:00", ["ClosesLocal"] = "2027-02-12T16:00", ["PublishLocal"] = "2027-04-14T09:00", ["RetentionMonths"] = "0",
        });
        Assert.Contains("Raakadatan säilytysajan pitää olla 1–120 kuukautta.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Helsinki is UTC+2 in winter and UTC+3 from late March: the stored instants are UTC.
        var created = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Cycle", new()
        {
            ["Year"] = "2027", ["OpensLocal"] = "2027-01-11T08:00", ["ClosesLocal"] = "2027-02-12T16:00", ["PublishLocal"] = "2027-04-14T09:00", ["RetentionMonths"] = "18",
        });
        Assert.Contains("Kierros luotiin vuosikellon mukaan ja ajastettiin.", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            var round = await db.Rounds.AsNoTracking().SingleAsync(r => r.Year == 2027);
            Assert.Equal(Sector.Ecec, round.Sector);
            Assert.Equal(new DateTimeOffset(2027, 1, 11, 6, 0, 0, TimeSpan.Zero), round.OpensAt);
            Assert.Equal(new DateTimeOffset(2027, 2, 12, 14, 0, 0, TimeSpan.Zero), round.ClosesAt);
            Assert.Equal(new DateTimeOffset(2027, 4, 14, 6, 0, 0, TimeSpan.Zero), round.PublishAt);
            Assert.Equal(new DateTimeOffset(2028, 10, 14, 6, 0, 0, TimeSpan.Zero), round.DeleteRawDataAt);
            Assert.Equal(RoundState.Scheduled, round.State);
        }

        // 10 January: collection is the current phase, and the round's opening is next.
        using var director = await Browser.SignedInAsync(factory, "vuosi.johtaja", TestData.Password);
        var (status, html) = await director.GetAsync("/vuosikello");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Vuosikello 2027", html, StringComparison.Ordinal);
        Assert.Matches(@"<strong>11\.1\.2027 08\.00</strong>: Kierros avautuu", html);
        Assert.Matches(@"<tr class=""current"">\s*<td>1\.1\.2027 – 28\.2\.2027</td>", html);
        Assert.Contains("18.1.2027 08.00: Muistutus", html, StringComparison.Ordinal);
        Assert.Contains("14.4.2027 09.00: Tulokset julkaistaan", html, StringComparison.Ordinal);
        Assert.Contains("14.10.2028 09.00: Raakadata poistetaan", html, StringComparison.Ordinal);

        // Two days later: a new session (the first ended after 30 idle minutes).
        factory.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 12, 6, 0, 0, TimeSpan.Zero));
        using var later2 = await Browser.SignedInAsync(factory, "vuosi.johtaja", TestData.Password);
        Assert.Matches(@"<strong>18\.1\.2027 08\.00</strong>: Muistutus[^<]*\(1\)", (await later2.GetAsync("/vuosikello")).Html);

        var (_, later) = await later2.GetAsync("/vuosikello?vuosi=2029");
        Assert.Contains("Vuosikello 2029", later, StringComparison.Ordinal);
        Assert.Contains("Vuoden 2029 kierrosta ei ole vielä luotu.", later, StringComparison.Ordinal);

        using var anonymous = new Browser(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/vuosikello")).Status);
    }

    [Theory]
    [InlineData("2026-08-31", 2026)]
    [InlineData("2026-09-01", 2027)]
    [InlineData("2027-01-10", 2027)]
    [InlineData("2027-12-31", 2028)]
    public void The_evaluation_year_turns_in_September_when_the_next_focus_is_chosen(string day, int year) =>
        Assert.Equal(year, YearPlan.EvaluationYearOf(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
}
