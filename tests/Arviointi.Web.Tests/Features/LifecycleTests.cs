using System.Net;
using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>A round's whole life on a moving clock, January to retention: every step from database state, never by sleeping.</summary>
public sealed class LifecycleTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    private static readonly DateTimeOffset Opens = new(2027, 1, 11, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Closes = new(2027, 2, 12, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Publishes = new(2027, 4, 14, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Forgets = new(2028, 4, 14, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_round_opens_extends_closes_publishes_and_forgets_its_raw_answers_but_keeps_its_results()
    {
        var unit = await TestData.UnitAsync(factory, "560", "Orimattilan elinkaaripäiväkoti");
        await TestData.UserAsync(factory, "life.admin", Roles.Administrator);
        await TestData.UserAsync(factory, "life.director", Roles.Director, "560");
        var version = await TestData.SurveyAsync(factory, "ecec-guardian");
        var round = await WithAdmin(admin => admin.CreateAsync(new NewRound(2027, Sector.Ecec, "Elinkaari", Opens, Closes, [version.Id]) { PublishAt = Publishes, DeleteRawDataAt = Forgets }, "testi"));
        Assert.Empty(round.Errors);
        var id = round.Round!.Id;
        var codes = await TestData.CodesAsync(factory, id, unit.Id, 6);

        await AtAsync(Opens.AddMinutes(-1), RoundState.Scheduled);
        Assert.Equal("Vain avoimen kierroksen sulkeutumista voi siirtää.", await WithAdmin(a => a.ExtendCloseAsync(id, Closes.AddDays(7), "testi")));
        await AtAsync(Opens, RoundState.Open);
        foreach (var code in codes.Take(5))
        {
            await TestData.AnswerAsync(factory, code, new Dictionary<string, string> { ["a_vk_h_001"] = "4" });
        }

        // The coordinator gives a week more; an earlier time is refused; the change is audited.
        Assert.NotNull(await WithAdmin(a => a.ExtendCloseAsync(id, Closes.AddDays(-1), "testi")));
        Assert.Null(await WithAdmin(a => a.ExtendCloseAsync(id, Closes.AddDays(7), "koordinaattori")));
        await AtAsync(Closes.AddMinutes(1), RoundState.Open);
        await TestData.AnswerAsync(factory, codes[5], new Dictionary<string, string> { ["a_vk_h_001"] = "2" });
        await AtAsync(Closes.AddDays(7), RoundState.Closed);

        // Reviewed by the coordinator before publication, hidden from directors until then.
        using (var director = await Browser.SignedInAsync(factory, "life.director", TestData.Password))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await director.GetAsync($"/tulokset/{id}")).Status);
        }

        await AtAsync(Publishes.AddMinutes(-1), RoundState.Closed);
        await AtAsync(Publishes, RoundState.Published);
        using (var director = await Browser.SignedInAsync(factory, "life.director", TestData.Password))
        {
            Assert.Contains("Orimattila", (await director.GetAsync($"/tulokset/{id}")).Html, StringComparison.Ordinal);
        }

        await AtAsync(Forgets, RoundState.RawDataDeleted);
        await AtAsync(Forgets.AddDays(1), RoundState.RawDataDeleted);
        await using var db = factory.CreateDbContext();
        Assert.Equal(0, await db.Responses.CountAsync(r => r.RoundId == id));
        Assert.Equal(0, await db.AccessCodes.CountAsync(c => c.RoundId == id));
        Assert.Equal(1, await db.ResultSnapshots.CountAsync(s => s.RoundId == id));
        Assert.Equal(
            ["round.opened", "round.extended", "round.closed", "round.results-computed", "round.published", "round.raw-data-deleted"],
            await db.AuditEvents.Where(a => a.Details.Contains($"Kierros {id} ") || a.Details.Contains($"Kierroksen {id} ")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Contains("6 vastausta", (await db.AuditEvents.SingleAsync(a => a.Action == "round.raw-data-deleted" && a.Details.Contains($"Kierroksen {id} "))).Details, StringComparison.Ordinal);

        // The published results still read from the snapshot; the respondent-level data is gone, and says so.
        await TestData.UserAsync(factory, "life.analyst", Roles.Analyst);
        using var reader = await Browser.SignedInAsync(factory, "life.director", TestData.Password);
        var html = await TestData.DetailsAsync(reader, $"/tulokset/{id}");
        Assert.Matches(@">6</td>\s*<td class=""num"">3,67</td>", html);
        using var analyst = await Browser.SignedInAsync(factory, "life.analyst", TestData.Password);
        Assert.Equal(HttpStatusCode.Gone, (await analyst.GetAsync($"/api/rounds/{id}/aineisto/guardian.zip")).Status);
    }

    private async Task AtAsync(DateTimeOffset now, RoundState expected)
    {
        factory.Clock.SetUtcNow(now);
        await TestData.ReconcileAsync(factory);
        await using var db = factory.CreateDbContext();
        Assert.Equal(expected, (await db.Rounds.AsNoTracking().SingleAsync(r => r.FocusTheme == "Elinkaari")).State);
    }

    private Task<T> WithAdmin<T>(Func<RoundAdmin, Task<T>> action) =>
        factory.WithScopeAsync(s => action(s.GetRequiredService<RoundAdmin>()));
}
