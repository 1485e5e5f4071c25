using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Surveys;

/// <summary>A stored survey version exactly as respondents see it, in any of its languages, for reviewers.</summary>
[Authorize(Policy = Policies.Administrator)]
internal sealed class PreviewModel(AppDbContext db, SurveyCatalog catalog) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "kieli")]
    public string? Language { get; set; }

    public SurveyVersion? Version { get; private set; }

    public SurveyFormView? View { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        Version = await db.SurveyVersions.FindAsync([id], ct);
        if (Version is null)
        {
            return NotFound();
        }

        var definition = catalog.Definition(Version);
        var language = definition.OfferedLanguages.FirstOrDefault(l => l == Language) ?? SurveyDefinition.RequiredLanguage;
        View = new SurveyFormView(definition, language, _ => [], new Dictionary<string, string>(), new Dictionary<string, UiMessage>(), Preview: true);
        return Page();
    }
}
