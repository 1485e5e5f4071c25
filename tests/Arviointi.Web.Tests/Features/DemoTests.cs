using System.Net;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Demo;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>What a newcomer meets on a fresh start: the region seeded, realistic, reproducible and marked as demo.</summary>
public sealed class DemoTests(DemoFactory factory) : IClassFixture<DemoFactory>
{
    [Fact]
    public async Task The_ten_municipalities_have_units_at_realistic_scale()
    {
        await using var db = factory.CreateDbContext();
        var municipalities = await db.Municipalities.Include(m => m.Units).ToListAsync();
        Assert.Equal(["016", "081", "098", "111", "142", "316", "398", "560", "576", "781"], municipalities.Select(m => m.Code).Order().ToArray());
        Assert.Equal("Gustav Adolfs", municipalities.Single(m => m.Code == "081").NameSv);
        Assert.All(municipalities, m =>
        {
            Assert.Contains(m.Units, u => u.Sector == Sector.Ecec);
            Assert.Contains(m.Units, u => u.Sector == Sector.Basic);
        });
        var lahti = municipalities.Single(m => m.Code == "398");
        Assert.InRange(lahti.Units.Count(u => u.Kind == UnitKind.DayCareCentre), 36, 136);
        Assert.InRange(lahti.Units.Count(u => u.Kind == UnitKind.School), 17, 60);
    }

    [Fact]
    public async Task One_demo_user_per_role_signs_in_with_the_printed_password()
    {
        var roles = await factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<AppUser>>();
            return await Task.WhenAll(new[] { DemoUsers.Administrator, DemoUsers.Director, DemoUsers.UnitLeader, DemoUsers.Analyst }
                .Select(async name => (await users.GetRolesAsync((await users.FindByNameAsync(name))!)).Single()));
        });
        Assert.Equal([Roles.Administrator, Roles.Director, Roles.UnitLeader, Roles.Analyst], roles);
        using var director = await Browser.SignedInAsync(factory, DemoUsers.Director, DemoUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await director.GetAsync("/tulokset")).Status);
    }

    [Fact]
    public async Task The_closed_demo_round_has_results_in_which_municipalities_really_differ()
    {
        await using var db = factory.CreateDbContext();
        var closed = await db.Rounds.SingleAsync(r => r.State == RoundState.Published);
        Assert.True(closed.IsDemo);
        var perGroup = await db.Responses.Where(r => r.RoundId == closed.Id).GroupBy(r => r.Group).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);

        // About 21 500 pupils: guardians answer at 30–50 %, pupils (grades 1–9) and staff (1 per 10 pupils) at 70–85 %.
        Assert.InRange(perGroup[RespondentGroup.Guardian], 6_000, 11_000);
        Assert.InRange(perGroup[RespondentGroup.Pupil], 13_000, 17_000);
        Assert.InRange(perGroup[RespondentGroup.Staff], 1_400, 1_900);

        var results = await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(closed.Id));
        Assert.Equal(3, results!.Groups.Count);
        var spread = results.Groups.Single(g => g.Group == RespondentGroup.Guardian).Items
            .Select(i => i.Municipalities.Where(c => !c.Suppressed).Select(c => c.Figures!.Mean).ToList())
            .Max(means => means.Max() - means.Min());
        Assert.True(spread > 0.3, $"Largest spread of municipal means is only {spread:0.00}");
        Assert.All(results.Groups.SelectMany(g => g.Items), i => Assert.Empty(i.Units));

        // Every unit has its enrolment, so every shown cell also has a share weighted to it, close to the unweighted one.
        Assert.All(results.Groups.SelectMany(g => g.Items).SelectMany(i => i.Municipalities.Prepend(i.Region)).Where(c => c.Figures is not null), c =>
        {
            var weighted = c.Figures!.Weighted;
            Assert.NotNull(weighted);
            Assert.InRange(weighted.DesignEffect, 1.0, 2.0);
            Assert.InRange(weighted.Share - c.Figures.AgreeShare, -0.15, 0.15);
        });
        var withUnits = new List<RoundResults>();
        foreach (var code in await db.Municipalities.Select(m => m.Code).ToListAsync())
        {
            withUnits.Add((await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(closed.Id, code)))!);
        }

        Assert.Contains(withUnits.SelectMany(r => r.Groups).SelectMany(g => g.Items).SelectMany(i => i.Units), u => u.Suppressed);

        // 2024's raw answers are gone after retention, but its snapshot gives the 2026 results their changes and trends.
        var earlier = await db.Rounds.SingleAsync(r => r.Year == 2024);
        Assert.Equal(RoundState.RawDataDeleted, earlier.State);
        Assert.Equal(0, await db.Responses.CountAsync(r => r.RoundId == earlier.Id));
        Assert.Equal(0, await db.ResponseRateSnapshots.CountAsync(r => r.RoundId == earlier.Id));
        Assert.Equal(2024, results.Previous!.Year);
        var changes = results.Groups.SelectMany(g => g.Items).Select(i => i.Region.Change).Where(c => c is not null).ToList();
        Assert.NotEmpty(changes);
        Assert.True(changes.Average(c => c!.Diff) > 0, "The demo region improved from 2024 to 2026 on average.");
    }

    [Fact]
    public async Task The_demo_rounds_follow_the_cycle_with_the_years_focus_module()
    {
        await using var db = factory.CreateDbContext();
        var rounds = await db.Rounds.Include(r => r.Surveys).ThenInclude(s => s.SurveyVersion).OrderBy(r => r.Year).ToListAsync();
        Assert.Equal([(2024, Sector.Basic), (2026, Sector.Basic), (2027, Sector.Ecec)], rounds.Select(r => (r.Year, r.Sector)));
        Assert.All(rounds[0].Surveys, s => Assert.Null(s.SurveyVersion!.FocusModule));
        Assert.All(rounds[1].Surveys, s => Assert.Equal("attendance", s.SurveyVersion!.FocusModule));
        Assert.All(rounds[2].Surveys, s => Assert.Equal("ecec-participation", s.SurveyVersion!.FocusModule));
        Assert.Equal(3, rounds[2].Surveys.Count);
    }

    [Fact]
    public async Task The_open_demo_round_accepts_the_printed_demo_codes()
    {
        var firstCode = AccessCodes.GenerateDemo(new Random(2027));
        var check = await factory.WithScopeAsync(s => s.GetRequiredService<AnsweringService>().CheckAsync(AccessCodes.Display(firstCode)));
        Assert.Equal(CodeStatus.Valid, check.Status);
        Assert.Equal(RespondentGroup.Guardian, check.Code!.Group);
        var childGroup = await factory.WithScopeAsync(s => s.GetRequiredService<AnsweringService>().CheckAsync(AccessCodes.GenerateDemo(new Random(2029))));
        Assert.Equal((CodeStatus.Valid, RespondentGroup.Child, AccessCodeKind.Group), (childGroup.Status, childGroup.Code!.Group, childGroup.Code.Kind));
        Assert.InRange(childGroup.Code.MaxUses, 5, 20);
        await using var db = factory.CreateDbContext();
        Assert.Equal(RoundState.Open, (await db.Rounds.SingleAsync(r => r.Id == check.Code!.RoundId)).State);
    }

    [Fact]
    public async Task The_demo_is_reproducible_from_its_fixed_seed()
    {
        await using var db = factory.CreateDbContext();
        var closed = await db.Rounds.SingleAsync(r => r.State == RoundState.Published);
        var sums = await db.Responses.Where(r => r.RoundId == closed.Id).Select(r => r.Answers).ToListAsync();
        var total = sums.Sum(a => a.Sum(b => (long)b));

        // A second database seeded from the same seed holds the very same answers.
        using var second = new DemoFactory();
        await using var db2 = second.CreateDbContext();
        var closed2 = await db2.Rounds.SingleAsync(r => r.State == RoundState.Published);
        var sums2 = await db2.Responses.Where(r => r.RoundId == closed2.Id).Select(r => r.Answers).ToListAsync();
        Assert.Equal(sums.Count, sums2.Count);
        Assert.Equal(total, sums2.Sum(a => a.Sum(b => (long)b)));
    }
}
