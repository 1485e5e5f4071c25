using Arviointi.Audit;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Export;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Results.Publication;

/// <summary>What the audit found for one viewer of a round.</summary>
/// <param name="Bounded">
/// The ranges are those of everything together, for the hidden cells this viewer sees: the viewer's figures are a part
/// of everything's, so no range of theirs is narrower (<see cref="DisclosureAuditor"/>).
/// </param>
internal sealed record ViewerAudit(Viewer Viewer, AuditReport Report, bool Bounded = false)
{
    public bool Safe => Report.Disclosed.Count == 0;
}

/// <summary>
/// The disclosure audit of a stored round, as each kind of viewer can fetch it: everything every reader of results
/// can fetch together, each municipality's director, unit leaders, and the analyst with the research dataset and everything. Used by
/// <c>arviointi disclosure audit</c> and the tests; the snapshot's own audit (<see cref="SnapshotBuilder"/>) is the
/// first two of these.
/// </summary>
internal sealed class DisclosureAuditor(AppDbContext db, SnapshotBuilder snapshots)
{
    /// <param name="everyUnitLeader">Audit every unit leader; otherwise the leader of each municipality's smallest unit.</param>
    /// <param name="solveUnitLeaders">Solve each unit leader's own program instead of bounding it by everything's (<see cref="Bound"/>).</param>
    public async Task<IReadOnlyList<ViewerAudit>> AuditAsync(int roundId, bool everyUnitLeader = false, bool solveUnitLeaders = false, CancellationToken ct = default)
    {
        var results = await snapshots.LoadWholeAsync(roundId, ct) ?? throw new InvalidOperationException($"Kierroksella {roundId} ei ole laskettuja tuloksia.");

        // While the raw answers exist, the audit knows which hidden cells are small (and so must be protected) and what
        // the research dataset would show; after retention, every hidden cell is held to the rule (and there is no dataset).
        var raw = await db.Responses.AnyAsync(r => r.RoundId == roundId, ct);
        var counts = raw ? (await snapshots.CountAsync(roundId, ct)).ToDictionary(c => c.Counts.Group.ToString(), c => c.Counts, StringComparer.Ordinal) : null;
        var datasets = counts?.ToDictionary(c => c.Value.Group, c => DatasetTallies.Of(c.Value, results.Groups.First(g => g.Group == c.Value.Group)));
        var open = raw ? await OpenAnswers.OpenAnswerReader.CountAsync(db, roundId, ct) : null;
        Func<Target, bool>? sensitive = counts is null ? null : t => counts[t.Origin!.Group].IsSmall(t.Origin);

        var viewers = new List<Viewer> { Viewer.Everything };
        if (datasets is not null)
        {
            viewers.Add(Viewer.Analyst);
        }

        var rates = results.Groups.Where(g => g.Rates is not null).SelectMany(g => g.Rates!.Cells).ToList();
        var municipalities = rates.Where(c => !c.IsUnit && c.Key != "region").Select(c => c.Key).Distinct().Order(StringComparer.Ordinal).ToList();
        viewers.AddRange(municipalities.Select(m => new Viewer(ViewerKind.Director, m)));
        var units = rates.Where(c => c.IsUnit).GroupBy(c => c.Key).Select(g => (Key: g.Key, Municipality: g.First().MunicipalityCode!, Size: g.Sum(c => c.Respondents ?? 0))).ToList();
        viewers.AddRange((everyUnitLeader ? units : units.GroupBy(u => u.Municipality).Select(g => g.MinBy(u => u.Size)))
            .OrderBy(u => u.Municipality, StringComparer.Ordinal).Select(u => new Viewer(ViewerKind.UnitLeader, u.Municipality, u.Key)));

        var everything = Attack.Solve(Reader.Read(PublicationViews.Of(results, Viewer.Everything, datasets, open)), sensitive: sensitive);
        return [.. viewers.Select(v => v.Kind switch
        {
            ViewerKind.Everything => new ViewerAudit(v, everything),
            ViewerKind.UnitLeader when !solveUnitLeaders => Bound(v, Reader.Read(PublicationViews.Of(results, v, datasets, open)), everything, sensitive),
            _ => new ViewerAudit(v, Attack.Solve(Reader.Read(PublicationViews.Of(results, v, datasets, open)), sensitive: sensitive)),
        })];
    }

    /// <summary>
    /// A unit leader's audit from everything's: what a unit leader can fetch (the region, the own municipality, the own
    /// unit) is a subset of what every reader of results can fetch together, and a reader with fewer facts can narrow no
    /// range further. So each hidden cell the leader sees is as wide for them as for everyone together, at least. (Solving
    /// the leader's own, looser program gives wider ranges; on the demo, a few leaders' programs make the simplex solver
    /// stall for minutes, so the bound is used. Directors are solved on their own.)
    /// </summary>
    private static ViewerAudit Bound(Viewer viewer, KnowledgeModel model, AuditReport everything, Func<Target, bool>? sensitive)
    {
        var byKey = everything.Ranges.ToLookup(r => (r.Target.Key, r.Target.Quantity));
        var ranges = new List<TargetRange>();
        foreach (var target in model.Targets.Where(t => sensitive?.Invoke(t) ?? true))
        {
            var range = byKey[(target.Key, target.Quantity)].FirstOrDefault()
                ?? throw new InvalidOperationException($"{viewer} sees a hidden {target.Key} ({target.Quantity}) that everything together does not.");
            ranges.Add(range);
        }

        return new ViewerAudit(viewer, everything with
        {
            Ranges = ranges,
            HiddenCells = model.Targets.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count(),
            Unusable = model.Unusable,
            Elapsed = TimeSpan.Zero,
        }, Bounded: true);
    }
}
