using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Results;

[Authorize(Policy = Policies.Results)]
internal sealed class IndexModel(ResultsQueries queries) : PageModel
{
    public IReadOnlyList<EvaluationRound> Rounds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rounds = await queries.ClosedRoundsAsync(ct);
}
