using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Organisation;

/// <summary>The coordinator's register of municipalities and units: add, rename, close, merge, import from CSV with a preview.</summary>
[Authorize(Policy = Policies.Administrator)]
[RequestSizeLimit(UnitImport.MaxBytes * 2 + 64 * 1024)]
internal sealed class RegisterModel(AppDbContext db, UnitRegister register, UnitImport import) : PageModel
{
    public IReadOnlyList<Municipality> Municipalities { get; private set; } = [];

    /// <summary>Every unit, closed ones too, by municipality in Finnish order.</summary>
    public IReadOnlyList<Unit> Units { get; private set; } = [];

    /// <summary>Rounds not yet closed: the import can store enrolment figures for one of them.</summary>
    public IReadOnlyList<EvaluationRound> Rounds { get; private set; } = [];

    public IReadOnlyList<UiMessage> Errors { get; private set; } = [];

    public string? Notice { get; private set; }

    /// <summary>Which form was posted: its fields keep what was typed, and its messages show beside it.</summary>
    public string? Posted { get; private set; }

    public NewUnitForm Form { get; private set; } = new();

    /// <summary>The import's preview, when a file was read and is waiting for confirmation.</summary>
    public UnitImportPlan? Plan { get; private set; }

    /// <summary>The previewed file, carried in the confirmation form so any server can apply it.</summary>
    public string? FileData { get; private set; }

    public int? RoundId { get; private set; }

    public DateOnly Today => register.Today;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(NewUnitForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        Posted = "Create";
        Form = form;
        var (unit, errors) = await register.CreateAsync(new NewUnit(form.Municipality ?? "", form.Name, form.Sector, form.Kind, form.Languages), Actor, ct);
        return await DoneAsync(errors, unit is null ? null : "Yksikkö lisättiin.", ct);
    }

    public async Task<IActionResult> OnPostRenameAsync(int unitId, string? name, DateOnly? on, CancellationToken ct)
    {
        Posted = "Rename";
        return await DoneAsync(await register.RenameAsync(unitId, name, on, Actor, ct), "Yksikkö nimettiin uudelleen. Menneiden kierrosten tuloksissa näkyy edelleen silloinen nimi.", ct);
    }

    public async Task<IActionResult> OnPostCloseAsync(int unitId, DateOnly? on, CancellationToken ct)
    {
        Posted = "Close";
        return await DoneAsync(await register.CloseAsync(unitId, on, Actor, ct), "Yksikkö suljettiin. Se ei ole mukana uusilla kierroksilla; menneiden kierrosten tulokset säilyvät.", ct);
    }

    public async Task<IActionResult> OnPostMergeAsync(int unitId, int intoId, DateOnly? on, CancellationToken ct)
    {
        Posted = "Merge";
        return await DoneAsync(await register.MergeAsync(unitId, intoId, on, Actor, ct), "Yksiköt yhdistettiin. Yhdistetyn yksikön menneet tulokset säilyvät sen omalla nimellä.", ct);
    }

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file, int? roundId, CancellationToken ct)
    {
        Posted = "Import";
        RoundId = roundId;
        if (file is null || file.Length == 0)
        {
            return await DoneAsync([new UiMessage("Valitse tuotava CSV-tiedosto.")], null, ct);
        }

        if (file.Length > UnitImport.MaxBytes)
        {
            return await DoneAsync([new UiMessage("Tiedosto on liian suuri: enintään {0} Mt.", UnitImport.MaxBytes / 1024 / 1024)], null, ct);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var plan = await import.PreviewAsync(bytes, roundId, ct);
        if (plan.Errors.Count > 0)
        {
            return await DoneAsync(plan.Errors, null, ct);
        }

        if (plan.Changes.Count == 0)
        {
            return await DoneAsync([], "Tiedosto vastaa rekisteriä: tuotavia muutoksia ei ole.", ct);
        }

        Plan = plan;
        FileData = Convert.ToBase64String(bytes);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(string? data, int? roundId, string? fingerprint, CancellationToken ct)
    {
        Posted = "Import";
        RoundId = roundId;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(data ?? "");
        }
        catch (FormatException)
        {
            return await DoneAsync([new UiMessage("Esikatseltu tiedosto puuttuu. Valitse tiedosto uudelleen.")], null, ct);
        }

        if (bytes.Length == 0)
        {
            return await DoneAsync([new UiMessage("Esikatseltu tiedosto puuttuu. Valitse tiedosto uudelleen.")], null, ct);
        }

        var (plan, applied) = await import.ApplyAsync(bytes, roundId, fingerprint ?? "", Actor, ct);
        if (applied)
        {
            return await DoneAsync([], "Tuonti tehtiin: kaikki esikatselun muutokset tallennettiin.", ct);
        }

        if (plan.Errors.Count > 0 || plan.Changes.Count == 0)
        {
            return await DoneAsync(plan.Errors.Count > 0 ? plan.Errors : [new UiMessage("Tiedosto vastaa rekisteriä: tuotavia muutoksia ei ole.")], null, ct);
        }

        // The register changed after the preview: show what the file would do now, and apply nothing.
        Plan = plan;
        FileData = data;
        Errors = [new UiMessage("Rekisteri muuttui esikatselun jälkeen, eikä mitään tuotu. Tarkista muutokset uudelleen.")];
        Response.StatusCode = StatusCodes.Status409Conflict;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A unit's state as the register page shows it, e.g. "suljettu 1.8.2027" or "yhdistetty yksikköön X 1.8.2027".</summary>
    public static (string Key, object[] Arguments) State(Unit unit) => unit switch
    {
        { ClosedOn: { } on, MergedInto: { } into } => ("yhdistetty yksikköön {0} {1}", [into.Name, UnitRegister.Show(on)]),
        { ClosedOn: { } on } => ("suljettu {0}", [UnitRegister.Show(on)]),
        _ => ("toiminnassa", []),
    };

    public static string KindName(UnitKind kind) => kind switch
    {
        UnitKind.DayCareCentre => "Päiväkoti",
        UnitKind.FamilyDayCare => "Perhepäivähoito",
        _ => "Koulu",
    };

    public static string ChangeName(UnitChangeKind kind) => kind switch
    {
        UnitChangeKind.New => "Uusi yksikkö",
        UnitChangeKind.Renamed => "Nimi muuttuu",
        UnitChangeKind.Languages => "Kielet muuttuvat",
        UnitChangeKind.Enrolment => "Osallistujamäärä",
        _ => "Suljetaan",
    };

    private string Actor => User.Identity!.Name!;

    private async Task<IActionResult> DoneAsync(IReadOnlyList<UiMessage> errors, string? notice, CancellationToken ct)
    {
        Errors = errors;
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            Notice = notice;
            Form = new();
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Municipalities = [.. (await db.Municipalities.AsNoTracking().ToListAsync(ct)).OrderBy(m => m.NameFi, Names.FinnishOrder)];
        var units = await db.Units.AsNoTracking().Include(u => u.NameChanges).Include(u => u.MergedInto).ToListAsync(ct);
        var order = Municipalities.Select((m, i) => (m.Code, i)).ToDictionary(p => p.Code, p => p.i);
        Units = [.. units.OrderBy(u => order.GetValueOrDefault(u.MunicipalityCode)).ThenBy(u => u.ClosedOn is null ? 0 : 1).ThenBy(u => u.Name, Names.FinnishOrder)];
        Rounds = await db.Rounds.AsNoTracking().Where(r => r.State == RoundState.Draft || r.State == RoundState.Scheduled || r.State == RoundState.Open)
            .OrderByDescending(r => r.Year).ThenByDescending(r => r.Id).ToListAsync(ct);
    }
}

/// <summary>The fields of the new-unit form, as posted.</summary>
internal sealed class NewUnitForm
{
    public string? Municipality { get; set; }
    public string? Name { get; set; }
    public Sector Sector { get; set; }
    public UnitKind Kind { get; set; }
    public string? Languages { get; set; }
}
