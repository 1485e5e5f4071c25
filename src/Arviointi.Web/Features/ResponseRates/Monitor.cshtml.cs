using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.ResponseRates;

/// <summary>
/// Response rates while a round runs: the administrator sees the region by municipality and every unit, a director the
/// own municipality's units, a unit leader the own unit against its municipality. Scope is checked here, on the server.
/// </summary>
[Authorize(Policy = Policies.Results)]
internal sealed class MonitorModel(AppDbContext db, ResponseRateQueries queries) : PageModel
{
    public IReadOnlyList<EvaluationRound> Rounds { get; private set; } = [];

    public EvaluationRound? Round { get; private set; }

    public IReadOnlyList<RateTable> Tables { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int? kierros, string? kunta, int? yksikko, CancellationToken ct)
    {
        Rounds = await queries.RoundsAsync(ct);
        Round = kierros is { } id ? Rounds.FirstOrDefault(r => r.Id == id) : Rounds.FirstOrDefault(r => r.State == RoundState.Open) ?? (Rounds.Count > 0 ? Rounds[0] : null);
        if (kierros is not null && Round is null)
        {
            return NotFound();
        }

        if (yksikko is null && kunta is null && !User.IsInRole(Roles.Administrator))
        {
            // A director starts from the own municipality, a unit leader from the own unit.
            yksikko = User.IsInRole(Roles.Director) ? null : User.UnitId();
            kunta = User.IsInRole(Roles.Director) ? User.MunicipalityCode() : null;
            if (yksikko is null && kunta is null)
            {
                return Forbid();
            }
        }

        Unit? unit = null;
        if (yksikko is { } unitId)
        {
            unit = await db.Units.AsNoTracking().Include(u => u.Municipality).FirstOrDefaultAsync(u => u.Id == unitId, ct);
            if (unit is null)
            {
                return NotFound();
            }

            if (!Scope.CanSeeUnit(User, unit))
            {
                return Forbid();
            }
        }
        else if (kunta is not null && !Scope.CanSeeMunicipalityUnits(User, kunta))
        {
            return Forbid();
        }

        if (Round is null)
        {
            return Page();
        }

        var municipalityCode = unit?.MunicipalityCode ?? kunta;
        var units = await db.Units.AsNoTracking().Include(u => u.Municipality)
            .Where(u => u.Sector == Round.Sector && (municipalityCode == null || u.MunicipalityCode == municipalityCode))
            .OrderBy(u => u.Name).ToListAsync(ct);
        if (municipalityCode is not null && units.Count == 0 && !await db.Municipalities.AnyAsync(m => m.Code == municipalityCode, ct))
        {
            return NotFound();
        }

        var figures = await queries.FiguresAsync(Round, units.Select(u => u.Id).ToList(), ct);
        var groups = ResponseRateQueries.GroupsOf(Round.Sector);
        var tables = new List<RateTable>();
        if (unit is not null)
        {
            // The own unit against its municipality; the municipality's other units stay hidden from a unit leader.
            tables.Add(new RateTable("Yksikkö {0}", unit.Name, figures.Rows(unit.Name, [unit], groups, isUnit: true).ToList()));
            tables.Add(new RateTable("Kunta {0}", unit.Municipality!.NameFi, figures.Rows(unit.Municipality.NameFi, units, groups, isUnit: false).ToList()));
        }
        else
        {
            var byMunicipality = units.GroupBy(u => u.Municipality!).OrderBy(g => g.Key.NameFi, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("fi"), false)).ToList();
            if (municipalityCode is null)
            {
                tables.Add(new RateTable("Alue {0}", Region.NameFi, figures.Rows(Region.NameFi, units, groups, isUnit: false).ToList()));
                tables.Add(new RateTable("Kunnat", null, byMunicipality.SelectMany(g => figures.Rows(g.Key.NameFi, g.ToList(), groups, isUnit: false)).ToList()));
            }

            foreach (var municipality in byMunicipality)
            {
                var rows = figures.Rows(municipality.Key.NameFi, municipality.ToList(), groups, isUnit: false)
                    .Concat(municipality.SelectMany(u => figures.Rows(u.Name, [u], groups, isUnit: true))).ToList();
                tables.Add(new RateTable("Kunta {0} yksiköittäin", municipality.Key.NameFi, rows));
            }
        }

        Tables = tables;
        return Page();
    }
}
