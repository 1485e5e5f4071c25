using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Export;

/// <summary>A respondent group of a round on the downloads page, and whether its survey asks open questions.</summary>
internal sealed record DatasetGroup(RespondentGroup Group, bool HasOpenQuestions);

/// <summary>
/// The analysts' downloads: each closed or published round's research dataset per respondent group; for administrators
/// also the group's open answers as a file of their own (<see cref="OpenAnswerFile"/>).
/// </summary>
[Authorize(Policy = Policies.Analyst)]
internal sealed class DatasetsModel(ResultsQueries queries, AppDbContext db, SurveyCatalog catalog) : PageModel
{
    public IReadOnlyList<(EvaluationRound Round, IReadOnlyList<DatasetGroup> Groups)> Rounds { get; private set; } = [];

    /// <summary>Administrators, and analysts granted it, may download the dataset with units instead of size classes.</summary>
    public bool CanDownloadUnits => Scope.CanDownloadUnits(User);

    /// <summary>Only administrators release open answers.</summary>
    public bool CanReleaseOpenAnswers => User.IsInRole(Roles.Administrator);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var rounds = await queries.RoundsWithDataAsync(ct);
        var ids = rounds.Select(r => r.Id).ToList();
        var surveys = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion).Where(s => ids.Contains(s.RoundId)).ToListAsync(ct);
        Rounds = [.. rounds.Select(r => (r, (IReadOnlyList<DatasetGroup>)[.. surveys.Where(s => s.RoundId == r.Id).GroupBy(s => s.Group).OrderBy(g => g.Key)
            .Select(g => new DatasetGroup(g.Key, g.Any(s => catalog.Definition(s.SurveyVersion!).Items.Any(i => i.Type == ItemType.Text))))]))];
    }
}
