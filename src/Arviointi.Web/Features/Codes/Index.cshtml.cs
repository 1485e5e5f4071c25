using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Codes;

/// <summary>Code batches: the coordinator orders them, the unit's leader (or the director, or the coordinator) downloads each once.</summary>
[Authorize(Policy = Policies.Results)]
internal sealed class IndexModel(AppDbContext db, CodeBatches batches, IAuthorizationService authorization, IOptions<CodeOptions> options) : PageModel
{
    public IReadOnlyList<CodeBatch> Batches { get; private set; } = [];

    public IReadOnlyList<EvaluationRound> Rounds { get; private set; } = [];

    /// <summary>The round the order form is for: chosen with <c>?kierros=</c>, the one last posted, or the newest.</summary>
    public EvaluationRound? Round { get; private set; }

    /// <summary>The chosen round's units by municipality, municipalities and units in Finnish order (in the UI language).</summary>
    public IReadOnlyList<IGrouping<string, Unit>> Units { get; private set; } = [];

    /// <summary>The respondent groups the chosen round has surveys for.</summary>
    public IReadOnlyList<RespondentGroup> Groups { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Notice { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "kierros")] int? round, CancellationToken ct) => await LoadAsync(ct, round);

    public async Task<IActionResult> OnPostOrderAsync(int roundId, int unitId, RespondentGroup group, AccessCodeKind kind, int count, int usesPerCode, CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Administrator))
        {
            return Forbid();
        }

        var (batch, error) = await batches.OrderAsync(new BatchOrder(roundId, unitId, group, kind, count, usesPerCode), User.Identity!.Name!, ct);
        Error = error;
        Notice = batch is null ? null : "Koodierä tilattiin. Yksikön johtaja voi nyt ladata sen.";
        await LoadAsync(ct, roundId);
        return Page();
    }

    public async Task<IActionResult> OnPostDownloadAsync(int batchId, CancellationToken ct)
    {
        var batch = await db.CodeBatches.AsNoTracking().Include(b => b.Unit).FirstOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null)
        {
            return NotFound();
        }

        if (!(await authorization.AuthorizeAsync(User, batch.Unit!, Policies.UnitScope)).Succeeded)
        {
            return Forbid();
        }

        var publicUrl = options.Value.PublicUrl is { Length: > 0 } configured ? configured : $"{Request.Scheme}://{Request.Host}";
        var (zip, error) = await batches.DownloadAsync(batchId, publicUrl, User.Identity!.Name!, ct);
        if (zip is null)
        {
            Error = error;
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(ct);
            return Page();
        }

        return File(zip, "application/zip", $"koodit-{batchId}.zip");
    }

    public async Task<IActionResult> OnPostVoidAsync(int batchId, CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Administrator))
        {
            return Forbid();
        }

        await batches.VoidAsync(batchId, User.Identity!.Name!, ct);
        Notice = "Koodierä mitätöitiin: sen käyttämättömät koodit eivät enää toimi.";
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct, int? roundId = null)
    {
        var all = await db.CodeBatches.AsNoTracking().Include(b => b.Unit).ThenInclude(u => u!.Municipality).Include(b => b.Round)
            .OrderByDescending(b => b.Id).ToListAsync(ct);
        Batches = all.Where(b => Scope.CanSeeUnit(User, b.Unit!)).ToList();
        if (User.IsInRole(Roles.Administrator))
        {
            Rounds = await db.Rounds.AsNoTracking().Include(r => r.Surveys).Where(r => r.State == RoundState.Scheduled || r.State == RoundState.Open || r.State == RoundState.Draft)
                .OrderByDescending(r => r.Year).ThenByDescending(r => r.Id).ToListAsync(ct);
            Round = Rounds.FirstOrDefault(r => r.Id == roundId) ?? (Rounds.Count > 0 ? Rounds[0] : null);
            if (Round is { } round)
            {
                // Only the round's sector: a day-care centre has no place in a school survey's codes.
                var language = LanguageSwitch.Current;
                // Nor a unit closed by the round's opening day (docs/register.md).
                var opens = Region.Day(round.OpensAt);
                var units = await db.Units.AsNoTracking().Include(u => u.Municipality)
                    .Where(u => u.Sector == round.Sector && (u.ClosedOn == null || u.ClosedOn > opens)).ToListAsync(ct);
                Units = [.. units.OrderBy(u => u.Municipality!.Name(language), Names.FinnishOrder).ThenBy(u => u.Name, Names.FinnishOrder).GroupBy(u => u.Municipality!.Name(language))];
                Groups = [.. round.Surveys.Select(s => s.Group).Order()];
            }
        }
    }
}
