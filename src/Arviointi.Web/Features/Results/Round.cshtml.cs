using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Results;

/// <summary>
/// Every municipality side by side with the region, by quality area and item, marked where a municipality differs
/// from the rest of the region; the own municipality's findings first. A unit leader sees the own municipality and the region.
/// </summary>
[Authorize(Policy = Policies.Results)]
internal sealed class RoundModel(ResultsQueries queries) : PageModel
{

    public EvaluationRound? Round { get; private set; }

    public RoundResults? Results { get; private set; }

    public string? OwnMunicipality => User.IsInRole(Roles.Director) || User.IsInRole(Roles.UnitLeader) ? User.MunicipalityCode() : null;

    public int? OwnUnit => User.IsInRole(Roles.UnitLeader) ? User.UnitId() : null;

    /// <summary>The group and quality area shown in detail (<c>?ryhma=…&amp;alue=…</c>); null shows the summary.</summary>
    public (GroupResults Group, string Area)? Detail { get; private set; }

    public async Task<IActionResult> OnGetAsync(int roundId, [FromQuery(Name = "ryhma")] string? group, [FromQuery(Name = "alue")] string? area, CancellationToken ct)
    {
        if (await queries.LoadAsync(roundId, ct) is not { } loaded)
        {
            return NotFound();
        }

        (Round, Results) = loaded;
        if (group is not null)
        {
            if (Section(Results, group, area) is not { } detail)
            {
                return NotFound();
            }

            Detail = detail;
        }

        return Page();
    }

    /// <summary>The group and area a detail link names, if the results have them ("-" is the items of no area).</summary>
    public static (GroupResults Group, string Area)? Section(RoundResults results, string group, string? area)
    {
        var key = area is null or "-" ? "" : area;
        return results.Groups.FirstOrDefault(g => string.Equals(g.Group.ToString(), group, StringComparison.OrdinalIgnoreCase)) is { } found
            && found.Items.Any(i => i.Area == key)
            ? (found, key)
            : null;
    }

    public string DetailLink(GroupResults group, string area) => $"/tulokset/{Round!.Id}?ryhma={group.Group}&alue={(area.Length == 0 ? "-" : area)}";

    /// <summary>The own municipality's name as the results write it.</summary>
    public string? OwnName => OwnMunicipality is { } own
        ? Results!.Groups.SelectMany(g => g.Items).SelectMany(i => i.Municipalities).FirstOrDefault(c => c.Key == own)?.Name ?? own
        : null;

    /// <summary>Whether the publication hides every figure of the own municipality (small, or a partner of a small one).</summary>
    public bool OwnHidden => OwnMunicipality is not null && Results!.Groups.SelectMany(g => g.Items).All(i => Own(i) is not { Suppressed: false, Figures: not null });

    /// <summary>The own municipality's cell of an item (the region's for a reader without one).</summary>
    public Cell? Own(ItemResults item) => OwnMunicipality is { } own ? item.Municipalities.FirstOrDefault(c => c.Key == own) : item.Region;

    /// <summary>The group's items by quality area, in the order of the sector's areas.</summary>
    public IEnumerable<(string Area, IReadOnlyList<ItemResults> Items, AreaResults? Index)> Areas(GroupResults group) =>
        group.Items.GroupBy(i => i.Area)
            .OrderBy(g => QualityAreas.Of(Round!.Sector).ToList() is var order && order.IndexOf(g.Key) is >= 0 and var i ? i : int.MaxValue)
            .Select(g => (g.Key, (IReadOnlyList<ItemResults>)g.ToList(), group.Areas?.FirstOrDefault(a => a.Area == g.Key)));

    public ItemTable Table(GroupResults group, ItemResults item) => new(
        item,
        [
            new ItemRow(item.Region, Total: true),
            .. item.Municipalities.Where(c => Visible(c.Key)).OrderBy(c => c.Name, Shared.Names.FinnishOrder)
                .Select(c => new ItemRow(c, MunicipalityLink(c.Key), Emphasis: c.Key == OwnMunicipality)),
        ],
        ItemLink(group, item),
        "Ero muuhun alueeseen (%-yks.)",
        Results!.Previous?.Year);

    public string ItemLink(GroupResults group, ItemResults item) => ItemLink(group.Group, item);

    public string ItemLink(Finding finding) => ItemLink(finding.Group, finding.Item);

    private string ItemLink(RespondentGroup group, ItemResults item) =>
        $"/tulokset/{Round!.Id}/kysymys/{group}/{item.ItemId}" + (OwnMunicipality is { } own ? $"?kunta={own}" : "");

    /// <summary>Items where a municipality differs from the rest of the region (Holm-adjusted p &lt; 0.05), largest differences first.</summary>
    public IReadOnlyList<(GroupResults Group, ItemResults Item, Cell Cell)> Findings(string municipality) =>
        [.. Results!.Groups.SelectMany(g => g.Items.Select(i => (Group: g, Item: i, Cell: i.Municipalities.FirstOrDefault(c => c.Key == municipality))))
            .Where(f => f.Cell?.VsRest?.Differs == true)
            .OrderByDescending(f => Math.Abs(f.Cell!.VsRest!.AgreeDiff))
            .Select(f => (f.Group, f.Item, f.Cell!))];

    /// <summary>Per visible municipality, how many items it is above and below the rest of the region.</summary>
    public IReadOnlyList<(string Code, string Name, int Better, int Worse)> Summary() =>
        [.. Results!.Groups.SelectMany(g => g.Items).SelectMany(i => i.Municipalities)
            .Where(c => Visible(c.Key))
            .GroupBy(c => (c.Key, c.Name))
            .Select(g => (g.Key.Key, g.Key.Name, g.Count(c => c.VsRest?.Differs == true && c.VsRest.AgreeDiff > 0), g.Count(c => c.VsRest?.Differs == true && c.VsRest.AgreeDiff < 0)))
            .OrderBy(m => m.Name, Shared.Names.FinnishOrder)];

    public bool Visible(string municipalityCode) => Scope.CanSeeMunicipalityFigures(User, municipalityCode);

    public string? MunicipalityLink(string municipalityCode) =>
        Scope.CanSeeMunicipalityUnits(User, municipalityCode) ? $"/tulokset/{Round!.Id}/kunta/{municipalityCode}" : null;
}
