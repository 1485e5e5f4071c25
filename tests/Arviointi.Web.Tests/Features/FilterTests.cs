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

        // Filtered results are published for the region only. Its 0–2 column holds 14, and the 2 who left the age out
        // would show by subtraction from the region's 63 unless one more option goes: the 14 is hidden, the 47 aged 3–5 shown.
        var young = Cells("0-2");
        var middle = Cells("3-5");
        Assert.Empty(young.Municipalities);
        Assert.Empty(middle.Municipalities);
        Assert.Null(young.Region.Figures);
        Assert.Equal(47, middle.Region.Figures!.N);
        Assert.All(age.Options.SelectMany(o => o.Items).Select(i => i.Region), c => Assert.True(c.Figures is null || c.Figures.N == 0 || c.Figures.N >= 10));

        using var director = await Browser.SignedInAsync(factory, "rajaus.johtaja", TestData.Password);
        var (_, page) = await director.GetAsync($"/tulokset/{roundId}/kysymys/Guardian/vk_h_001?rajaus=vk_h_age_band:3-5");
        Assert.Contains("Vain vastaajat, jotka valitsivat", page, StringComparison.Ordinal);
        Assert.Matches(@"<th scope=""row"">Päijät-Häme</th>\s*<td class=""num"">47</td>", page);
        Assert.DoesNotMatch(@"<th scope=""row"">Heinola</th>", page[page.IndexOf("Vain vastaajat", StringComparison.Ordinal)..page.IndexOf("Kaikki luvut", StringComparison.Ordinal)]);
    }

    /// <summary>Forms agreeing with the item, with the child's age band, or with the age left out.</summary>
    private static Dictionary<string, string>[] Forms(string? age, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => age is null
            ? new Dictionary<string, string> { ["a_vk_h_001"] = "4" }
            : new Dictionary<string, string> { ["a_vk_h_001"] = "4", ["a_vk_h_age_band"] = age })];
}
