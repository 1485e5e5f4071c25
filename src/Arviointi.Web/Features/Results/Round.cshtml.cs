using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Results;

/// <summary>Every municipality side by side with the region; a unit leader sees the own municipality and the region.</summary>
[Authorize(Policy = Policies.Results)]
internal sealed class RoundModel(ResultsQueries queries) : PageModel
{
    public EvaluationRound? Round { get; private set; }

    public RoundResults? Results { get; private set; }

    public string? OwnMunicipality => User.IsInRole(Roles.Director) ? User.MunicipalityCode() : null;

    public int? OwnUnit => User.IsInRole(Roles.UnitLeader) ? User.UnitId() : null;

    public async Task<IActionResult> OnGetAsync(int roundId, CancellationToken ct)
    {
        if (await queries.LoadAsync(roundId, ct) is not { } loaded)
        {
            return NotFound();
        }

        (Round, Results) = loaded;
        return Page();
    }

    public bool Visible(string municipalityCode) => Scope.CanSeeMunicipalityFigures(User, municipalityCode);

    public string? MunicipalityLink(string municipalityCode) =>
        Scope.CanSeeMunicipalityUnits(User, municipalityCode) ? $"/tulokset/{Round!.Id}/kunta/{municipalityCode}" : null;
}
