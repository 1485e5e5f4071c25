using System.Globalization;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Results;

/// <summary>One unit against its municipality and the region: administrators, the municipality's director, the unit's leader.</summary>
[Authorize(Policy = Policies.Results)]
internal sealed class UnitModel(AppDbContext db, ResultsQueries queries, IAuthorizationService authorization) : PageModel
{
    public Organisation.Unit? Unit { get; private set; }

    public EvaluationRound? Round { get; private set; }

    public RoundResults? Results { get; private set; }

    public string UnitKey => Unit!.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The name the unit had in the round: as its results stored it, or from its renames (docs/register.md).</summary>
    public string Name { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int roundId, int unitId, CancellationToken ct)
    {
        Unit = await db.Units.AsNoTracking().Include(u => u.NameChanges).FirstOrDefaultAsync(u => u.Id == unitId, ct);
        if (Unit is null)
        {
            return NotFound();
        }

        if (!(await authorization.AuthorizeAsync(User, Unit, Policies.UnitScope)).Succeeded)
        {
            return Forbid();
        }

        if (await queries.LoadAsync(roundId, Unit.MunicipalityCode, ct) is not { } loaded)
        {
            return NotFound();
        }

        (Round, Results) = loaded;
        Name = Results.Groups.SelectMany(g => g.Items).SelectMany(i => i.Units).FirstOrDefault(c => c.Key == UnitKey)?.Name
            ?? Unit.NameOn(Organisation.Region.Day(Round.ClosesAt));
        return Page();
    }

    public ItemTable Table(ItemResults item) => new(
        item,
        [
            .. item.Units.Where(c => c.Key == UnitKey).Select(c => new ItemRow(c, Emphasis: true)),
            .. item.Municipalities.Where(c => c.Key == Unit!.MunicipalityCode).Select(c => new ItemRow(c)),
            new ItemRow(item.Region, Total: true),
        ],
        null,
        "Ero vertailuryhmään (%-yks.)",
        null);
}
