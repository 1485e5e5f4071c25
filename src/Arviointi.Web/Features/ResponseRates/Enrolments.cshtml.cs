using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.ResponseRates;

/// <summary>The administrator imports each round's enrolment figures (the denominators of response rates) from CSV.</summary>
[Authorize(Policy = Policies.Administrator)]
[RequestSizeLimit(EnrolmentImport.MaxBytes + 64 * 1024)]
internal sealed class EnrolmentsModel(AppDbContext db, EnrolmentImport import) : PageModel
{
    public IReadOnlyList<EvaluationRound> Rounds { get; private set; } = [];

    /// <summary>Figures stored per round and group: units and people.</summary>
    public IReadOnlyDictionary<(int RoundId, RespondentGroup Group), (int Units, int People)> Totals { get; private set; } =
        new Dictionary<(int, RespondentGroup), (int, int)>();

    public IReadOnlyList<UiMessage> Errors { get; private set; } = [];

    public int? ImportedRows { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(int roundId, IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Errors = [new UiMessage("Valitse tuotava CSV-tiedosto.")];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else if (file.Length > EnrolmentImport.MaxBytes)
        {
            Errors = [new UiMessage("Tiedosto on liian suuri: enintään {0} Mt.", EnrolmentImport.MaxBytes / 1024 / 1024)];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            var (imported, errors) = await import.ImportAsync(roundId, buffer.ToArray(), User.Identity!.Name!, ct);
            Errors = errors;
            ImportedRows = errors.Count == 0 ? imported : null;
            if (errors.Count > 0)
            {
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rounds = await db.Rounds.AsNoTracking().Where(r => r.State != RoundState.RawDataDeleted)
            .OrderByDescending(r => r.Year).ThenByDescending(r => r.Id).ToListAsync(ct);
        Totals = (await db.Enrolments.AsNoTracking()
                .GroupBy(e => new { e.RoundId, e.Group })
                .Select(g => new { g.Key.RoundId, g.Key.Group, Units = g.Count(), People = g.Sum(e => e.Count) })
                .ToListAsync(ct))
            .ToDictionary(t => (t.RoundId, t.Group), t => (t.Units, t.People));
    }
}
