using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Export;

/// <summary>The analysts' downloads: each closed or published round's research dataset per respondent group.</summary>
[Authorize(Policy = Policies.Analyst)]
internal sealed class DatasetsModel(ResultsQueries queries, AppDbContext db) : PageModel
{
    public IReadOnlyList<(EvaluationRound Round, IReadOnlyList<RespondentGroup> Groups)> Rounds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var rounds = await queries.RoundsWithDataAsync(ct);
        var ids = rounds.Select(r => r.Id).ToList();
        var groups = await db.RoundSurveys.AsNoTracking().Where(s => ids.Contains(s.RoundId)).Select(s => new { s.RoundId, s.Group }).ToListAsync(ct);
        Rounds = [.. rounds.Select(r => (r, (IReadOnlyList<RespondentGroup>)[.. groups.Where(g => g.RoundId == r.Id).Select(g => g.Group).Distinct().Order()]))];
    }
}
