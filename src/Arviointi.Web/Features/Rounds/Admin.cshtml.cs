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
internal sealed class AdminModel(AppDbContext db, RoundAdmin admin, Microsoft.Extensions.Options.IOptions<RoundOptions> options, Microsoft.Extensions.Localization.IStringLocalizer<Shared.SharedResource> t)
    : PageModel
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
        if (!Dates(form, out var opens, out var closes, out _))
        {
            await LoadAsync(ct);
            return Page();
        }

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
        if (!Dates(form, out var opens, out var closes, out var publishAt))
        {
            await LoadAsync(ct);
            return Page();
        }

        if (await ReviewAsync(form, null, opens, ct))
        {
            var (round, errors) = await admin.CreateFromCycleAsync(form.Year, opens, closes, User.Identity!.Name!, publishAt, form.RetentionMonths, ct);
            Created(round, errors, "Kierros luotiin vuosikellon mukaan ja ajastettiin.");
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostExtendAsync(int roundId, DateTime closesLocal, CancellationToken ct)
    {
        Posted = "Extend";
        if (FinnishTime(closesLocal, t["Uusi sulkeutumisaika (Suomen aikaa)"], out var closes) is { } invalid)
        {
            Errors = [invalid];
            await LoadAsync(ct);
            return Page();
        }

        var error = await admin.ExtendCloseAsync(roundId, closes, User.Identity!.Name!, ct);
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

    /// <summary>The form's times in UTC, or false with the form's errors set: a missing, far-off or nonexistent Finnish time.</summary>
    private bool Dates(RoundForm form, out DateTimeOffset opens, out DateTimeOffset closes, out DateTimeOffset? publishAt)
    {
        var errors = new List<UiMessage>();
        if (FinnishTime(form.OpensLocal, t["Avautuu (Suomen aikaa)"], out opens) is { } a)
        {
            errors.Add(a);
        }

        if (FinnishTime(form.ClosesLocal, t["Sulkeutuu (Suomen aikaa)"], out closes) is { } b)
        {
            errors.Add(b);
        }

        publishAt = null;
        if (form.PublishLocal is { } local && local != default)
        {
            if (FinnishTime(local, t["Tulokset julkaistaan (Suomen aikaa)"], out var publish) is { } c)
            {
                errors.Add(c);
            }
            else
            {
                publishAt = publish;
            }
        }

        if (form.Year is < 2000 or > 2100)
        {
            errors.Add(new UiMessage("Vuoden pitää olla välillä 2000–2100."));
        }

        Errors = errors;
        return errors.Count == 0;
    }

    /// <summary>
    /// A datetime-local value as a UTC instant in Finnish time, or the message saying why it cannot be one: not given,
    /// outside 2000–2100, or inside the hour skipped when summer time begins (03:00–03:59 on the last Sunday of March).
    /// </summary>
    internal static UiMessage? FinnishTime(DateTime local, string field, out DateTimeOffset utc)
    {
        utc = default;
        if (local == default)
        {
            return new UiMessage("{0}: anna päivämäärä ja kellonaika.", field);
        }

        if (local.Year is < 2000 or > 2100)
        {
            return new UiMessage("{0}: päivämäärän pitää olla vuosien 2000 ja 2100 välillä.", field);
        }

        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Region.TimeZone.IsInvalidTime(unspecified))
        {
            return new UiMessage("{0}: kellonaikaa {1} ei ole Suomen ajassa, koska kelloja siirretään silloin tunnilla eteenpäin. Valitse toinen kellonaika.", field, local.ToString("d.M.yyyy H.mm", CultureInfo.GetCultureInfo("fi")));
        }

        utc = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, Region.TimeZone), TimeSpan.Zero);
        return null;
    }

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
