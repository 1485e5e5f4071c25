using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Results;

/// <summary>One item in depth: its charts, every visible municipality's figures and tests, and the test across municipalities.</summary>
[Authorize(Policy = Policies.Results)]
internal sealed class ItemModel(ResultsQueries queries) : PageModel
{
    public EvaluationRound? Round { get; private set; }

    public RoundResults? Results { get; private set; }

    public GroupResults? Group { get; private set; }

    public ItemResults? Item { get; private set; }

    /// <summary>The municipality drawn out in the charts: the one asked for, else the user's own.</summary>
    public string? Emphasis { get; private set; }

    /// <summary>The chosen background filter as "question:option", and the item's figures under it.</summary>
    public string? Filter { get; private set; }

    public (FilterResults Question, FilterOption Option, FilteredItem Item)? Filtered { get; private set; }

    public async Task<IActionResult> OnGetAsync(int roundId, string group, string itemId, string? kunta, string? rajaus, CancellationToken ct)
    {
        if (!Enum.TryParse<RespondentGroup>(group, out var respondentGroup) || await queries.LoadAsync(roundId, ct) is not { } loaded)
        {
            return NotFound();
        }

        (Round, Results) = loaded;
        Group = Results.Groups.FirstOrDefault(g => g.Group == respondentGroup);
        Item = Group?.Items.FirstOrDefault(i => i.ItemId == itemId);
        if (Item is null)
        {
            return NotFound();
        }

        Filter = rajaus;
        if (rajaus?.Split(':') is [var question, var option]
            && Group!.Filters?.FirstOrDefault(f => f.BackgroundItemId == question) is { } filter
            && filter.Options.FirstOrDefault(o => o.OptionId == option) is { } chosen
            && chosen.Items.FirstOrDefault(i => i.ItemId == itemId) is { } filtered)
        {
            Filtered = (filter, chosen, filtered);
        }

        Emphasis = kunta is not null && Scope.CanSeeMunicipalityFigures(User, kunta) ? kunta
            : User.IsInRole(Roles.Director) || User.IsInRole(Roles.UnitLeader) ? User.MunicipalityCode() : null;
        return Page();
    }

    public IReadOnlyList<Cell> Municipalities =>
        [.. Item!.Municipalities.Where(m => Scope.CanSeeMunicipalityFigures(User, m.Key)).OrderBy(m => m.Name, Shared.Names.FinnishOrder)];

    public string ChartUrl(string kind) =>
        $"/tulokset/{Round!.Id}/kaavio/kysymys/{Group!.Group}/{Item!.ItemId}/{kind}.svg?kieli={Shared.LanguageSwitch.Current}{(Emphasis is null ? "" : "&kunta=" + Emphasis)}";
}
