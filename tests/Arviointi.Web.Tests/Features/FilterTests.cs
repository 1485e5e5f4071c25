using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>Results filtered by a background answer never show a cell, or a difference from a published total, under ten answers.</summary>
public sealed class FilterTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    [Fact]
    public async Task Filtering_by_the_childs_age_hides_every_cell_that_subtraction_could_reduce_to_fewer_than_ten()
    {
        var lahti = await TestData.UnitAsync(factory, "398", "Rajauspäiväkoti Lahti");
        var heinola = await TestData.UnitAsync(factory, "111", "Rajauspäiväkoti Heinola");
        var hollola = await TestData.UnitAsync(factory, "098", "Rajauspäiväkoti Hollola");
        await TestData.UserAsync(factory, "rajaus.johtaja", Roles.Director, "111");
        // Lahti: 3 children aged 0–2 and 12 aged 3–5; Heinola: 11 and 20; Hollola: 15 aged 3–5 and 2 guardians who left the age out.
        var roundId = await TestData.PublishedRoundAsync(factory, 2027, [
            (lahti, [.. Forms("0-2", 3), .. Forms("3-5", 12)]),
            (heinola, [.. Forms("0-2", 11), .. Forms("3-5", 20)]),
            (hollola, [.. Forms("3-5", 15), .. Forms(null, 2)])]);

        var results = (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(roundId)))!;
        var age = results.Groups.Single().Filters!.Single(f => f.BackgroundItemId == "vk_h_age_band");
        FilteredItem Cells(string option) => age.Options.Single(o => o.OptionId == option).Items.Single(i => i.ItemId == "vk_h_001");

        // Lahti's 3 would show by subtraction from its 15, so its 12 goes too; the 0–2 column then hides Heinola's 11,
        // which Heinola's 31 minus its 20 would give exactly, so the 20 goes too; Hollola's 2 unanswered would show by
        // subtraction, so its 15 goes. No municipality's 3–5 cell remains.
        var young = Cells("0-2");
        var middle = Cells("3-5");
        // Hollola had nobody aged 0–2: an explicit zero, which reveals nobody; the others are hidden.
        Assert.Equal(["111", "398"], young.Municipalities.Where(m => m.Figures is null).Select(m => m.Key).Order());
        Assert.Equal(0, young.Municipalities.Single(m => m.Key == "098").Figures!.N);
        Assert.DoesNotContain(middle.Municipalities, m => m.Figures is not null);

        // The region: 14 aged 0–2 would show, but with 2 unanswered the region total would then reveal them: hidden.
        Assert.Null(young.Region.Figures);
        Assert.Equal(47, middle.Region.Figures!.N);
        Assert.All(age.Options.SelectMany(o => o.Items).SelectMany(i => i.Municipalities.Append(i.Region)), c => Assert.True(c.Figures is null || c.Figures.N == 0 || c.Figures.N >= 10));

        using var director = await Browser.SignedInAsync(factory, "rajaus.johtaja", TestData.Password);
        var (_, page) = await director.GetAsync($"/tulokset/{roundId}/kysymys/Guardian/vk_h_001?rajaus=vk_h_age_band:3-5");
        Assert.Contains("Vain vastaajat, jotka valitsivat", page, StringComparison.Ordinal);
        Assert.Matches(@"<th scope=""row"">Päijät-Häme</th>\s*<td class=""num"">47</td>", page);
        Assert.Matches(@"<th scope=""row"">Heinola</th>\s*<td colspan=""4"" class=""suppressed"">", page);
        Assert.Matches(@"<th scope=""row"">Lahti</th>\s*<td colspan=""4"" class=""suppressed"">", page);
    }

    /// <summary>Forms agreeing with the item, with the child's age band, or with the age left out.</summary>
    private static Dictionary<string, string>[] Forms(string? age, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => age is null
            ? new Dictionary<string, string> { ["a_vk_h_001"] = "4" }
            : new Dictionary<string, string> { ["a_vk_h_001"] = "4", ["a_vk_h_age_band"] = age })];
}
