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
        if (municipalityCode is not null && !await db.Municipalities.AnyAsync(m => m.Code == municipalityCode, ct))
        {
            return NotFound();
        }

        // One decision over every row (docs/privacy.md): a hidden count is hidden in every table that could show it.
        var published = await queries.PublishedAsync(Round, ct);
        var groups = ResponseRateQueries.GroupsOf(Round.Sector).Where(published.ContainsKey).ToList();
        IEnumerable<RateRow> Rows(string key, bool isUnit) => groups
            .Select(g => (Group: g, Rates: published[g]))
            .Select(p => (p.Group, p.Rates, Cell: p.Rates.Cells.FirstOrDefault(c => c.Key == key && c.IsUnit == isUnit)))
            .Where(p => p.Cell is not null)
            .Select(p => RateRow.Of(p.Cell!, p.Group, p.Rates.Series.FirstOrDefault(s => s.Key == key && !isUnit)?.Days));
        List<(string Code, string Name)> Municipalities() => [.. published.Values.SelectMany(r => r.Cells).Where(c => !c.IsUnit && c.Key != "region")
            .Select(c => (c.Key, c.Name)).Distinct().OrderBy(m => m.Name, Shared.Names.FinnishOrder)];
        List<(string Key, string Name)> UnitsOf(string code) => [.. published.Values.SelectMany(r => r.Cells).Where(c => c.IsUnit && c.MunicipalityCode == code)
            .Select(c => (c.Key, c.Name)).Distinct().OrderBy(u => u.Name, Shared.Names.FinnishOrder)];

        var tables = new List<RateTable>();
        if (unit is not null)
        {
            // The own unit against its municipality; the municipality's other units stay hidden from a unit leader.
            tables.Add(new RateTable("Yksikkö {0}", unit.Name, [.. Rows(unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), isUnit: true)]));
            tables.Add(new RateTable("Kunta {0}", unit.Municipality!.NameFi, [.. Rows(unit.MunicipalityCode, isUnit: false)]));
        }
        else
        {
            var municipalities = Municipalities().Where(m => municipalityCode is null || m.Code == municipalityCode).ToList();
            if (municipalityCode is null)
            {
                tables.Add(new RateTable("Alue {0}", Region.NameFi, [.. Rows("region", isUnit: false)]));
                tables.Add(new RateTable("Kunnat", null, [.. municipalities.SelectMany(m => Rows(m.Code, isUnit: false))]));
            }

            // One table per municipality: its real total first, then its units.
            foreach (var (code, name) in municipalities)
            {
                tables.Add(new RateTable("Kunta {0} yksiköittäin", name, [.. Rows(code, isUnit: false), .. UnitsOf(code).SelectMany(u => Rows(u.Key, isUnit: true))]));
            }
        }

        Tables = tables;
        return Page();
    }
}
