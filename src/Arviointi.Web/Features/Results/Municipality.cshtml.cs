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

        if (await queries.LoadAsync(roundId, ct) is not { } loaded)
        {
            return NotFound();
        }

        (Round, Results) = loaded;
        return Page();
    }
}
