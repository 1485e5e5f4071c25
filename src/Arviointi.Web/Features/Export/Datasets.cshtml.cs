using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Export;

[Authorize(Policy = Policies.Analyst)]
internal sealed class DatasetsModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<EvaluationRound> Rounds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Rounds = await db.Rounds.AsNoTracking()
            .Where(r => r.State == RoundState.Closed || r.State == RoundState.Published)
            .OrderByDescending(r => r.Year).ToListAsync(ct);
}
