using Arviointi.Audit;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Export;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Results.Publication;

/// <summary>What the audit found for one viewer of a round.</summary>
internal sealed record ViewerAudit(Viewer Viewer, AuditReport Report)
{
    public bool Safe => Report.Disclosed.Count == 0;
}

/// <summary>
/// The disclosure audit of a stored round, as each kind of viewer can fetch it: everything every reader of results
/// can fetch together, each municipality's director, unit leaders, and the analyst with the export. Used by
/// <c>arviointi disclosure audit</c> and the tests; the snapshot's own audit (<see cref="SnapshotBuilder"/>) is the
/// first two of these.
/// </summary>
internal sealed class DisclosureAuditor(AppDbContext db, SnapshotBuilder snapshots)
{
    /// <param name="everyUnitLeader">Audit every unit leader; otherwise the leader of each municipality's smallest unit.</param>
    public async Task<IReadOnlyList<ViewerAudit>> AuditAsync(int roundId, bool everyUnitLeader = false, CancellationToken ct = default)
    {
        var results = await snapshots.LoadWholeAsync(roundId, ct) ?? throw new InvalidOperationException($"Kierroksella {roundId} ei ole laskettuja tuloksia.");

        // While the raw answers exist, the audit knows which hidden cells are small (and so must be protected) and what
        // the export would show; after retention, every hidden cell is held to the rule.
        var raw = await db.Responses.AnyAsync(r => r.RoundId == roundId, ct);
        var counts = raw ? (await snapshots.CountAsync(roundId, ct)).ToDictionary(c => c.Counts.Group.ToString(), c => c.Counts, StringComparer.Ordinal) : null;
        var exports = counts?.ToDictionary(c => c.Value.Group, c => ExportRules.Counts(c.Value, results.Groups.First(g => g.Group == c.Value.Group)));
        Func<Target, bool>? sensitive = counts is null ? null : t => counts[t.Origin!.Group].IsSmall(t.Origin);

        var viewers = new List<Viewer> { Viewer.Everything };
        if (exports is not null)
        {
            viewers.Add(Viewer.Analyst);
        }

        var rates = results.Groups.Where(g => g.Rates is not null).SelectMany(g => g.Rates!.Cells).ToList();
        var municipalities = rates.Where(c => !c.IsUnit && c.Key != "region").Select(c => c.Key).Distinct().Order(StringComparer.Ordinal).ToList();
        viewers.AddRange(municipalities.Select(m => new Viewer(ViewerKind.Director, m)));
        var units = rates.Where(c => c.IsUnit).GroupBy(c => c.Key).Select(g => (Key: g.Key, Municipality: g.First().MunicipalityCode!, Size: g.Sum(c => c.Respondents ?? 0))).ToList();
        viewers.AddRange((everyUnitLeader ? units : units.GroupBy(u => u.Municipality).Select(g => g.MinBy(u => u.Size)))
            .OrderBy(u => u.Municipality, StringComparer.Ordinal).Select(u => new Viewer(ViewerKind.UnitLeader, u.Municipality, u.Key)));

        return [.. viewers.Select(v => new ViewerAudit(v, Attack.Solve(Reader.Read(PublicationViews.Of(results, v, exports)), sensitive: sensitive)))];
    }
}
