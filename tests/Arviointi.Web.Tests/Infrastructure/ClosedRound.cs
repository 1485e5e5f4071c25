using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>A closed and published round with answers in Lahti (two units) and Hollola, and its snapshot computed.</summary>
internal sealed record ClosedRound(EvaluationRound Round, Unit LahtiA, Unit LahtiB, Unit Hollola)
{
    public static async Task<ClosedRound> CreateAsync(ArviointiFactory factory)
    {
        var lahtiA = await TestData.UnitAsync(factory, "398", $"Päiväkoti A {Guid.NewGuid():n}");
        var lahtiB = await TestData.UnitAsync(factory, "398", $"Päiväkoti B {Guid.NewGuid():n}");
        var hollola = await TestData.UnitAsync(factory, "098", $"Päiväkoti C {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        foreach (var (unit, count) in new[] { (lahtiA, 5), (lahtiB, 5), (hollola, 6) })
        {
            foreach (var code in await TestData.CodesAsync(factory, round.Id, unit.Id, count))
            {
                await TestData.AnswerAsync(factory, code, new Dictionary<string, string> { ["a_vk_h_001"] = "4", ["a_vk_h_002"] = "2" });
            }
        }

        // Past the close and the publication date (eight weeks later by default): directors may read the results.
        factory.Clock.Advance(TimeSpan.FromDays(31 + 56));
        await TestData.ReconcileAsync(factory);
        return new ClosedRound(round, lahtiA, lahtiB, hollola);
    }
}
