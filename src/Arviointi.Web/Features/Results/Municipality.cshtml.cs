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

    public async Task<IActionResult> OnGetAsync(int roundId, string code, CancellationToken ct)
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
        return Page();
    }

    public ItemTable Table(GroupResults group, ItemResults item) => new(
        item,
        [
            new ItemRow(item.Region, Total: true),
            .. item.Municipalities.Where(c => c.Key == Municipality!.Code).Select(c => new ItemRow(c, Total: true)),
            .. item.Units.Where(c => c.MunicipalityCode == Municipality!.Code).OrderBy(c => c.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("fi"), false))
                .Select(c => new ItemRow(c, $"/tulokset/{Round!.Id}/yksikko/{c.Key}")),
        ],
        $"/tulokset/{Round!.Id}/kysymys/{group.Group}/{item.ItemId}?kunta={Municipality!.Code}",
        "Ero vertailuryhmään (%-yks.)",
        Results!.Previous?.Year);
}
