using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.YearView;

/// <summary>The year's calendar is for those who run and read the evaluation; analysts work from the datasets (DOMAIN.md).</summary>
[Authorize(Policy = Arviointi.Web.Features.Identity.Policies.Results)]
internal sealed class IndexModel(YearPlans plans) : PageModel
{
    public YearPlan Plan { get; private set; } = null!;

    public async Task OnGetAsync(int? vuosi, CancellationToken ct) =>
        Plan = await plans.ForAsync(vuosi is >= 2018 and <= 2100 ? vuosi : null, ct);

    public static string Day(DateOnly day) => day.ToString("d.M.yyyy", CultureInfo.GetCultureInfo("fi"));

    public static string PhaseName(Phase phase) => phase switch
    {
        Phase.ChooseFocus => "Valitaan arvioinnin kohde",
        Phase.Prepare => "Kyselyt valmistellaan, yksiköt ja osallistujamäärät päivitetään, vastauskoodit jaetaan",
        Phase.Collect => "Aineisto kerätään lapsilta, oppilailta, huoltajilta ja henkilöstöltä",
        Phase.Results => "Tulokset lasketaan, tarkastetaan ja julkaistaan; raportit kunnille",
        _ => "Yksiköt ja kunnat käsittelevät tuloksia; raakadata säilytetään vain tarpeen mukaan",
    };

    public static string StatusName(PhaseStatus status) => status switch
    {
        PhaseStatus.Done => "tehty",
        PhaseStatus.Now => "käynnissä",
        _ => "tulossa",
    };

    public static string EventName(EventKind kind) => kind switch
    {
        EventKind.Opens => "Kierros avautuu",
        EventKind.Reminder => "Muistutus yksiköille, joiden vastausaste on alle rajan",
        EventKind.Closes => "Kierros sulkeutuu ja tulokset lasketaan",
        EventKind.Publishes => "Tulokset julkaistaan johtajille",
        _ => "Raakadata poistetaan; tulokset säilyvät",
    };
}
