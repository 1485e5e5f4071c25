using System.Globalization;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
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

    public IReadOnlyList<UiMessage> Errors { get; private set; } = [];

    /// <summary>A past opening time the coordinator has not yet confirmed; the form asks for the confirmation.</summary>
    public UiMessage? Warning { get; private set; }

    /// <summary>Which form was posted ("Cycle", "Create" or "Extend"): its messages are shown in it, with what was typed.</summary>
    public string? Posted { get; private set; }

    public string? Notice { get; private set; }

    public int Year { get; private set; } = DateTime.UtcNow.Year + 1;

    public int DefaultRetentionMonths => options.Value.RetentionMonths;

    /// <summary>What the coordinator typed into the posted form, put back into its fields.</summary>
    public RoundForm Form { get; private set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(RoundForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        Posted = "Create";
        Form = form;
        var (opens, closes) = (ToUtc(form.OpensLocal), ToUtc(form.ClosesLocal));
        if (await ReviewAsync(form, form.Sector, opens, ct))
        {
            var request = new NewRound(form.Year, form.Sector, form.FocusTheme ?? "", opens, closes, form.SurveyVersionIds ?? [])
            {
                FocusThemeSv = form.FocusThemeSv,
                FocusThemeEn = form.FocusThemeEn,
            };
            var (round, errors) = await admin.CreateAsync(request, User.Identity!.Name!, ct);
            Created(round, errors, "Kierros luotiin ja ajastettiin.");
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCycleAsync(RoundForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        Posted = "Cycle";
        Form = form;
        var opens = ToUtc(form.OpensLocal);
        if (await ReviewAsync(form, null, opens, ct))
        {
            var publishAt = form.PublishLocal is { } local ? ToUtc(local) : (DateTimeOffset?)null;
            var (round, errors) = await admin.CreateFromCycleAsync(form.Year, opens, ToUtc(form.ClosesLocal), User.Identity!.Name!, publishAt, form.RetentionMonths, ct);
            Created(round, errors, "Kierros luotiin vuosikellon mukaan ja ajastettiin.");
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostExtendAsync(int roundId, DateTime closesLocal, CancellationToken ct)
    {
        Posted = "Extend";
        var error = await admin.ExtendCloseAsync(roundId, ToUtc(closesLocal), User.Identity!.Name!, ct);
        Errors = error is null ? [] : [new UiMessage(error)];
        Notice = error is null ? "Kierroksen sulkeutumista siirrettiin." : null;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A datetime-local field's value: what was typed, or empty.</summary>
    public static string Field(DateTime? local) => local is { } value && value != default ? value.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : "";

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

    /// <summary>True when the round may be created: no round of the year and sector yet, and a past opening confirmed.</summary>
    private async Task<bool> ReviewAsync(RoundForm form, Sector? sector, DateTimeOffset opens, CancellationToken ct)
    {
        var (errors, warning) = await admin.ReviewAsync(form.Year, sector, opens, ct);
        Errors = errors;
        Warning = form.ConfirmPastOpening ? null : warning;
        return Errors.Count == 0 && Warning is null;
    }

    private void Created(EvaluationRound? round, IReadOnlyList<UiMessage> errors, string notice)
    {
        Errors = errors;
        Notice = round is null ? null : notice;
        if (round is not null)
        {
            Posted = null;
            Form = new();
        }
    }

    private static DateTimeOffset ToUtc(DateTime local) =>
        new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Arviointi.Web.Features.Organisation.Region.TimeZone), TimeSpan.Zero);

    private async Task LoadAsync(CancellationToken ct)
    {
        Year = Form.Year > 0 ? Form.Year : Year;
        Rounds = await db.Rounds.AsNoTracking().OrderByDescending(r => r.Year).ThenByDescending(r => r.Id).ToListAsync(ct);
        Versions = await db.SurveyVersions.AsNoTracking().OrderBy(v => v.SurveyId).ThenByDescending(v => v.Revision).ToListAsync(ct);
        Units = await db.Units.AsNoTracking().Include(u => u.Municipality).OrderBy(u => u.MunicipalityCode).ThenBy(u => u.Name).ToListAsync(ct);
    }
}

/// <summary>The fields of the two round-creation forms, as posted.</summary>
internal sealed class RoundForm
{
    public int Year { get; set; }
    public Sector Sector { get; set; }
    public string? FocusTheme { get; set; }
    public string? FocusThemeSv { get; set; }
    public string? FocusThemeEn { get; set; }
    public DateTime OpensLocal { get; set; }
    public DateTime ClosesLocal { get; set; }
    public DateTime? PublishLocal { get; set; }
    public int? RetentionMonths { get; set; }
    public int[]? SurveyVersionIds { get; set; }

    /// <summary>The coordinator's confirmation that a round whose opening time has passed opens at once.</summary>
    public bool ConfirmPastOpening { get; set; }
}
