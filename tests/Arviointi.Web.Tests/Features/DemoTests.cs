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
        var closed = await db.Rounds.SingleAsync(r => r.State == RoundState.Closed);
        Assert.True(closed.IsDemo);
        var responses = await db.Responses.CountAsync(r => r.RoundId == closed.Id);
        Assert.InRange(responses, 5_000, 12_000); // about 21 500 pupils, guardians answering at 30–50 %

        var results = await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(closed.Id));
        var spread = results!.Groups.Single().Items
            .Select(i => i.Municipalities.Where(c => !c.Suppressed).Select(c => c.Figures!.Mean).ToList())
            .Max(means => means.Max() - means.Min());
        Assert.True(spread > 0.3, $"Largest spread of municipal means is only {spread:0.00}");
        Assert.Contains(results.Groups.Single().Items.SelectMany(i => i.Units), u => u.Suppressed && u.SuppressionReason == "n<5");
    }

    [Fact]
    public async Task The_open_demo_round_accepts_the_printed_demo_codes()
    {
        var firstCode = AccessCodes.GenerateDemo(new Random(2027));
        var check = await factory.WithScopeAsync(s => s.GetRequiredService<AnsweringService>().CheckAsync(AccessCodes.Display(firstCode)));
        Assert.Equal(CodeStatus.Valid, check.Status);
        await using var db = factory.CreateDbContext();
        Assert.Equal(RoundState.Open, (await db.Rounds.SingleAsync(r => r.Id == check.Code!.RoundId)).State);
    }

    [Fact]
    public async Task The_demo_is_reproducible_from_its_fixed_seed()
    {
        await using var db = factory.CreateDbContext();
        var closed = await db.Rounds.SingleAsync(r => r.State == RoundState.Closed);
        var sums = await db.Responses.Where(r => r.RoundId == closed.Id).Select(r => r.Answers).ToListAsync();
        var total = sums.Sum(a => a.Sum(b => (long)b));

        // A second database seeded from the same seed holds the very same answers.
        using var second = new DemoFactory();
        await using var db2 = second.CreateDbContext();
        var closed2 = await db2.Rounds.SingleAsync(r => r.State == RoundState.Closed);
        var sums2 = await db2.Responses.Where(r => r.RoundId == closed2.Id).Select(r => r.Answers).ToListAsync();
        Assert.Equal(sums.Count, sums2.Count);
        Assert.Equal(total, sums2.Sum(a => a.Sum(b => (long)b)));
    }
}
