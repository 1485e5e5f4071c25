using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>The open/close reconciler works from database state alone: late, repeated and concurrent runs agree.</summary>
public sealed class ReconcilerTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    [Fact]
    public async Task Running_twice_and_concurrently_opens_and_closes_each_round_once()
    {
        var unit = await TestData.UnitAsync(factory, "560", $"Päiväkoti {Guid.NewGuid():n}");
        var version = await TestData.SurveyAsync(factory, "ecec-guardian");
        var start = factory.Clock.GetUtcNow();
        var round = await factory.WithScopeAsync(async s => (await s.GetRequiredService<RoundAdmin>()
            .CreateAsync(new NewRound(2027, Arviointi.Surveys.Sector.Ecec, "Rinnakkaisuus", start.AddMinutes(5), start.AddDays(2), [version.Id]), "testi")).Round!);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 5);

        await TestData.ReconcileAsync(factory);
        Assert.Equal(RoundState.Scheduled, await StateAsync(round.Id));

        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        await Task.WhenAll(TestData.ReconcileAsync(factory), TestData.ReconcileAsync(factory), TestData.ReconcileAsync(factory));
        await TestData.ReconcileAsync(factory);
        Assert.Equal(RoundState.Open, await StateAsync(round.Id));
        foreach (var code in codes)
        {
            await TestData.AnswerAsync(factory, code, new Dictionary<string, string> { ["a_vk_h_001"] = "5" });
        }

        // The job storage is in memory and may be lost on a restart; a run days late still closes from the database.
        factory.Clock.Advance(TimeSpan.FromDays(5));
        await Task.WhenAll(TestData.ReconcileAsync(factory), TestData.ReconcileAsync(factory), TestData.ReconcileAsync(factory));
        await TestData.ReconcileAsync(factory);

        await using var db = factory.CreateDbContext();
        Assert.Equal(RoundState.Closed, await StateAsync(round.Id));
        var details = $"Kierros {round.Id} ";
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "round.opened" && a.Details.StartsWith(details)));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "round.closed" && a.Details.StartsWith(details)));
        Assert.Equal(1, await db.ResultSnapshots.CountAsync(s => s.RoundId == round.Id));
        var results = await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(round.Id));
        var item = results!.Groups.Single().Items.Single(i => i.ItemId == "vk_h_001");
        Assert.Equal(5, item.Region.Figures!.N);
        Assert.Equal(5.0, item.Region.Figures.Mean);
    }

    [Fact]
    public async Task A_closed_round_missing_its_snapshot_gets_one_on_the_next_run()
    {
        var data = await ClosedRound.CreateAsync(factory);
        await using (var db = factory.CreateDbContext())
        {
            await db.ResultSnapshots.Where(s => s.RoundId == data.Round.Id).ExecuteDeleteAsync();
        }

        await TestData.ReconcileAsync(factory);
        await using var check = factory.CreateDbContext();
        Assert.Equal(1, await check.ResultSnapshots.CountAsync(s => s.RoundId == data.Round.Id));
    }

    [Fact]
    public async Task The_results_daily_development_ends_with_the_final_count_though_the_daily_job_records_the_closing_day_only_the_night_after()
    {
        var unit = await TestData.UnitAsync(factory, "398", $"Päiväkoti {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 7);
        foreach (var code in codes.Take(5))
        {
            await TestData.AnswerAsync(factory, code, new Dictionary<string, string> { ["a_vk_h_001"] = "4" });
        }

        var recorded = ResponseRateRecorder.Day(factory.Clock.GetUtcNow());
        await TestData.RunJobAsync<ResponseRateRecorder>(factory);
        factory.Clock.Advance(TimeSpan.FromDays(1));
        foreach (var code in codes.Skip(5))
        {
            await TestData.AnswerAsync(factory, code, new Dictionary<string, string> { ["a_vk_h_001"] = "4" });
        }

        // Closed and computed within the minute; the daily job would record the closing day at three the next night.
        factory.Clock.SetUtcNow(round.ClosesAt);
        await TestData.ReconcileAsync(factory);

        var results = await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(round.Id));
        var region = results!.Groups.Single().Rates!.Series.Single(s => s.Key == "region");
        Assert.Equal([new RateDay(recorded, 5), new RateDay(ResponseRateRecorder.Day(round.ClosesAt), 7)], region.Days);
    }

    private async Task<RoundState> StateAsync(int roundId)
    {
        await using var db = factory.CreateDbContext();
        return (await db.Rounds.SingleAsync(r => r.Id == roundId)).State;
    }
}
