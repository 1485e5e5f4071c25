using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Surveys;

[Authorize(Policy = Policies.Administrator)]
internal sealed class VersionsModel(AppDbContext db, SurveyCatalog catalog) : PageModel
{
    public IReadOnlyList<(SurveyVersion Version, SurveyDefinition Definition)> Versions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var versions = await db.SurveyVersions.AsNoTracking()
            .OrderBy(v => v.Sector).ThenBy(v => v.SurveyId).ThenBy(v => v.FocusModule).ThenByDescending(v => v.Revision)
            .ToListAsync(ct);
        Versions = versions.Select(v => (v, catalog.Definition(v))).ToList();
    }
}
