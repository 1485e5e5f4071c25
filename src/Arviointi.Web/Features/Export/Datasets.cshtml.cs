using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Export;

[Authorize(Policy = Policies.Analyst)]
internal sealed class DatasetsModel(ResultsQueries queries) : PageModel
{
    public IReadOnlyList<EvaluationRound> Rounds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rounds = await queries.RoundsWithDataAsync(ct);
}
