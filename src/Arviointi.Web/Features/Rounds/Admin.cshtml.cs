using System.Globalization;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Rounds;

[Authorize(Policy = Policies.Administrator)]
internal sealed class AdminModel(AppDbContext db, RoundAdmin admin, Microsoft.Extensions.Options.IOptions<RoundOptions> options) : PageModel
{
    public IReadOnlyList<EvaluationRound> Rounds { get; private set; } = [];

    public IReadOnlyList<SurveyVersion> Versions { get; private set; } = [];

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? Notice { get; private set; }

    public int Year { get; private set; } = DateTime.UtcNow.Year + 1;

    public int DefaultRetentionMonths => options.Value.RetentionMonths;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(int year, Sector sector, string focusTheme, DateTime opensLocal, DateTime closesLocal, int[] surveyVersionIds, CancellationToken ct)
    {
        var request = new NewRound(year, sector, focusTheme ?? "", ToUtc(opensLocal), ToUtc(closesLocal), surveyVersionIds ?? []);
        var (round, errors) = await admin.CreateAsync(request, User.Identity!.Name!, ct);
        Errors = errors;
        Notice = round is null ? null : "Kierros luotiin ja ajastettiin.";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCycleAsync(int year, DateTime opensLocal, DateTime closesLocal, DateTime? publishLocal, int? retentionMonths, CancellationToken ct)
    {
        var publishAt = publishLocal is { } local ? ToUtc(local) : (DateTimeOffset?)null;
        var (round, errors) = await admin.CreateFromCycleAsync(year, ToUtc(opensLocal), ToUtc(closesLocal), User.Identity!.Name!, publishAt, retentionMonths, ct);
        Errors = errors;
        Notice = round is null ? null : "Kierros luotiin vuosikellon mukaan ja ajastettiin.";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostExtendAsync(int roundId, DateTime closesLocal, CancellationToken ct)
    {
        var error = await admin.ExtendCloseAsync(roundId, ToUtc(closesLocal), User.Identity!.Name!, ct);
        Errors = error is null ? [] : [error];
        Notice = error is null ? "Kierroksen sulkeutumista siirrettiin." : null;
        await LoadAsync(ct);
        return Page();
    }

    public static string Local(DateTimeOffset utc) => Region.LocalText(utc);

    public static string StateName(RoundState state) => state switch
    {
        RoundState.Draft => "luonnos",
        RoundState.Scheduled => "ajastettu",
        RoundState.Open => "auki",
        RoundState.Closed => "suljettu",
        RoundState.Published => "julkaistu",
        _ => "raakadata poistettu",
    };

    private static DateTimeOffset ToUtc(DateTime local) =>
        new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Arviointi.Web.Features.Organisation.Region.TimeZone), TimeSpan.Zero);

    private async Task LoadAsync(CancellationToken ct)
    {
        Rounds = await db.Rounds.AsNoTracking().OrderByDescending(r => r.Year).ThenByDescending(r => r.Id).ToListAsync(ct);
        Versions = await db.SurveyVersions.AsNoTracking().OrderBy(v => v.SurveyId).ThenByDescending(v => v.Revision).ToListAsync(ct);
        Units = await db.Units.AsNoTracking().Include(u => u.Municipality).OrderBy(u => u.MunicipalityCode).ThenBy(u => u.Name).ToListAsync(ct);
    }
}
