using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Results;

/// <summary>A municipality broken down by its units: administrators and the municipality's own director.</summary>
[Authorize(Policy = Policies.Results)]
internal sealed class MunicipalityModel(AppDbContext db, ResultsQueries queries, IAuthorizationService authorization) : PageModel
{

    public Organisation.Municipality? Municipality { get; private set; }

    public EvaluationRound? Round { get; private set; }

    public RoundResults? Results { get; private set; }

    /// <summary>The group and quality area shown in detail; null shows the summary.</summary>
    public (GroupResults Group, string Area)? Detail { get; private set; }

    public async Task<IActionResult> OnGetAsync(int roundId, string code, [FromQuery(Name = "ryhma")] string? group, [FromQuery(Name = "alue")] string? area, CancellationToken ct)
    {
        Municipality = await db.Municipalities.FindAsync([code], ct);
        if (Municipality is null)
        {
            return NotFound();
        }

        if (!(await authorization.AuthorizeAsync(User, Municipality, Policies.MunicipalityScope)).Succeeded)
        {
            return Forbid();
        }

        if (await queries.LoadAsync(roundId, Municipality.Code, ct) is not { } loaded)
        {
            return NotFound();
        }

        (Round, Results) = loaded;
        if (group is not null)
        {
            if (RoundModel.Section(Results, group, area) is not { } detail)
            {
                return NotFound();
            }

            Detail = detail;
        }

        return Page();
    }

    public string DetailLink(GroupResults group, string area) =>
        $"/tulokset/{Round!.Id}/kunta/{Municipality!.Code}?ryhma={group.Group}&alue={(area.Length == 0 ? "-" : area)}";

    /// <summary>Per unit of the municipality, how many items it is clearly above and below the municipality's other units.</summary>
    public IReadOnlyList<(string Id, string Name, int Better, int Worse)> Units() =>
        [.. Results!.Groups.SelectMany(g => g.Items).SelectMany(i => i.Units)
            .Where(c => c.MunicipalityCode == Municipality!.Code && !c.Suppressed)
            .GroupBy(c => (c.Key, c.Name))
            .Select(g => (g.Key.Key, g.Key.Name, g.Count(c => c.VsRest?.Differs == true && c.VsRest.AgreeDiff > 0), g.Count(c => c.VsRest?.Differs == true && c.VsRest.AgreeDiff < 0)))
            .OrderBy(u => u.Name, Shared.Names.FinnishOrder)];

    /// <summary>The municipality's own cell of an item.</summary>
    public Cell? Own(ItemResults item) => item.Municipalities.FirstOrDefault(c => c.Key == Municipality!.Code);

    public string ItemLink(Finding finding) => $"/tulokset/{Round!.Id}/kysymys/{finding.Group}/{finding.Item.ItemId}?kunta={Municipality!.Code}";

    public ItemTable Table(GroupResults group, ItemResults item) => new(
        item,
        [
            new ItemRow(item.Region, Total: true),
            .. item.Municipalities.Where(c => c.Key == Municipality!.Code).Select(c => new ItemRow(c, Total: true)),
            .. item.Units.Where(c => c.MunicipalityCode == Municipality!.Code).OrderBy(c => c.Name, Shared.Names.FinnishOrder)
                .Select(c => new ItemRow(c, $"/tulokset/{Round!.Id}/yksikko/{c.Key}")),
        ],
        $"/tulokset/{Round!.Id}/kysymys/{group.Group}/{item.ItemId}?kunta={Municipality!.Code}",
        "Ero vertailuryhmään (%-yks.)",
        Results!.Previous?.Year);
}
