using System.Text.Json;
using Arviointi.Statistics;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Results.Publication;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Arviointi.Web.Features.Results;

/// <summary>
/// Computes a round's results from its raw answers and stores them as the round's snapshot: every item per region,
/// municipality and unit with the disclosure rules and comparisons of <see cref="Comparison"/>, quality-area indices,
/// and the change since the sector's previous round, so pages, reports and trends never need the raw answers again.
/// </summary>
internal sealed class SnapshotBuilder(AppDbContext db, SurveyCatalog catalog, TimeProvider time, IMemoryCache cache)
{
    public static JsonSerializerOptions Json => SnapshotFormat.Json;

    /// <summary>At most this many rounds of audit and added cover; the rules leave little to add, so more means a bug.</summary>
    private const int MaxAuditRounds = 25;

    public async Task<RoundResults> BuildAsync(int roundId, CancellationToken ct = default)
    {
        var round = await db.Rounds.AsNoTracking().FirstAsync(r => r.Id == roundId, ct);
        var previous = await PreviousAsync(round, ct);
        var groups = (await CountAsync(roundId, ct)).Select(g => (g.Counts, previous?.Results.Groups.FirstOrDefault(p => p.Group == g.Counts.Group), g.Daily)).ToList();
        var open = await OpenAnswers.OpenAnswerReader.CountAsync(db, roundId, ct);
        var published = Publish(groups, previous?.Round.Year, open);
        return new RoundResults(roundId, time.GetUtcNow(), published.Groups, previous is { } p ? new PreviousRound(p.Round.Id, p.Round.Year) : null, SnapshotFormat.Current, published.Audit);
    }

    /// <summary>Every group's counts and daily respondents, read from the round's raw answers.</summary>
    public async Task<List<(GroupCounts Counts, List<DailyCount> Daily)>> CountAsync(int roundId, CancellationToken ct = default)
    {
        // The closing day's count is the final one, from the answers themselves: the daily job records it only the night
        // after, and a snapshot must not depend on whether that job has run.
        var closingDay = Organisation.Region.Day(await db.Rounds.Where(r => r.Id == roundId).Select(r => r.ClosesAt).FirstAsync(ct));

        // Each unit under the name it had when the round closed, so a snapshot computed after a rename still tells the round as it was.
        var units = (await db.Units.AsNoTracking().Include(u => u.Municipality).Include(u => u.NameChanges).ToListAsync(ct))
            .ToDictionary(u => u.Id, u => u.NameChanges.Count == 0 ? u : AsNamedOn(u, closingDay));
        var roundSurveys = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion)
            .Where(s => s.RoundId == roundId).OrderBy(s => s.Group).ToListAsync(ct);
        var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.RoundId == roundId)
            .Select(e => new { e.UnitId, e.Group, e.Count }).ToListAsync(ct);
        var daily = await db.ResponseRateSnapshots.AsNoTracking().Where(s => s.RoundId == roundId && s.Date < closingDay)
            .Select(s => new { s.UnitId, s.Group, s.Date, s.Responses }).ToListAsync(ct);

        var groups = new List<(GroupCounts Counts, List<DailyCount> Daily)>();
        foreach (var roundSurvey in roundSurveys)
        {
            var version = roundSurvey.SurveyVersion!;
            var rows = await db.Responses.AsNoTracking()
                .Where(r => r.RoundId == roundId && r.Group == roundSurvey.Group && r.SurveyVersionId == version.Id)
                .Select(r => new { r.UnitId, r.Answers })
                .ToListAsync(ct);

            // Sorting by municipality and unit makes every municipality and unit one contiguous slice of each item's column.
            var ordered = rows
                .Select(r => new Respondent(units[r.UnitId], r.Answers))
                .OrderBy(r => r.Unit.MunicipalityCode, StringComparer.Ordinal).ThenBy(r => r.Unit.Id)
                .ToArray();
            var enrolment = enrolments.Where(e => e.Group == roundSurvey.Group).ToDictionary(e => e.UnitId, e => e.Count);
            var answered = ordered.Select(r => r.Unit.Id).ToHashSet();
            var silent = enrolment.Keys.Where(id => !answered.Contains(id) && units.ContainsKey(id)).Select(id => units[id]).OrderBy(u => u.Id).ToList();
            var counts = new GroupCounts(roundSurvey.Group, version, catalog.Definition(version), catalog.Layout(version), ordered, enrolment, silent);
            groups.Add((counts, [
                .. daily.Where(d => d.Group == roundSurvey.Group).Select(d => new DailyCount(d.UnitId, d.Date, d.Responses)),
                .. ordered.GroupBy(r => r.Unit.Id).Select(u => new DailyCount(u.Key, closingDay, u.Count()))]));
        }

        return groups;
    }

    private static Organisation.Unit AsNamedOn(Organisation.Unit unit, DateOnly day) => new()
    {
        Id = unit.Id,
        MunicipalityCode = unit.MunicipalityCode,
        Municipality = unit.Municipality,
        Name = unit.NameOn(day),
        Sector = unit.Sector,
        Kind = unit.Kind,
        Languages = unit.Languages,
        ClosedOn = unit.ClosedOn,
        MergedIntoId = unit.MergedIntoId,
    };

    /// <summary>
    /// The publication model: decides what every figure family hides by the rules, makes the figures, and lets the
    /// disclosure audit read everything together as the strongest reader would; where it can narrow a hidden count
    /// below five, the rules hide one more cell of that line and the round is audited again (docs/privacy.md).
    /// </summary>
    private static (IReadOnlyList<GroupResults> Groups, AuditFigures Audit) Publish(List<(GroupCounts Counts, GroupResults? Previous, List<DailyCount> Daily)> groups, int? previousYear, IReadOnlyList<OpenAnswers.OpenAnswered> open)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = new GroupResults[groups.Count];
        var reports = new Arviointi.Audit.AuditReport[groups.Count];
        var added = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var (counts, previous, daily) = groups[g];
            var forced = new HashSet<ForcedCell>();
            for (var attempt = 1; ; attempt++)
            {
                var decisions = PublicationRules.Decide(counts, forced);
                results[g] = ResultComposer.Compose(counts, decisions, previous, previousYear, daily);
                // The strongest reader: everything every reader of results can fetch together (every page, chart, report,
                // the API, response rates and the lists of open answers) with the research dataset as the analysts' finest
                // download gives it, made from these very figures. Any other viewer reads a part of this, and narrows nothing further.
                var datasets = new Dictionary<RespondentGroup, Arviointi.Audit.PublishedDataset> { [counts.Group] = Export.DatasetTallies.Of(counts, results[g]) };
                var view = PublicationViews.Of(new RoundResults(0, default, [results[g]]), Viewer.Analyst, datasets, open);
                reports[g] = Arviointi.Audit.Attack.Solve(Arviointi.Audit.Reader.Read(view), sensitive: t => counts.IsSmall(t.Origin!));
                if (reports[g].Unusable.Count > 0)
                {
                    throw new InvalidOperationException($"The audit cannot read every published figure of {counts.Group}: {reports[g].Unusable[0]}");
                }

                var disclosed = reports[g].Disclosed;
                if (disclosed.Count == 0)
                {
                    break;
                }

                var covered = disclosed.Select(d => d.Target.Origin!).Distinct().Count(cell => PublicationRules.Cover(counts, decisions, cell, forced));
                added += covered;
                if (covered == 0 || attempt == MaxAuditRounds)
                {
                    var first = disclosed[0];
                    throw new InvalidOperationException($"The results of {counts.Group} cannot be published safely: {first.Target.Key} ({first.Target.Quantity}) can be narrowed to {first.Lower}–{first.Upper}.");
                }
            }
        }

        var sizes = reports.Select(r => r.NarrowestSize).OfType<Arviointi.Audit.TargetRange>().ToList();
        var answerCounts = reports.Select(r => r.NarrowestCount).OfType<Arviointi.Audit.TargetRange>().ToList();
        return (results, new AuditFigures(
            reports.Sum(r => r.HiddenCells),
            sizes.Count == 0 ? null : sizes.Min(r => r.Width),
            answerCounts.Count == 0 ? null : answerCounts.Min(r => r.Width),
            added,
            Math.Round(clock.Elapsed.TotalSeconds, 1)));
    }

    /// <summary>
    /// Computes and stores the round's snapshot, once: the overview in one row, and each municipality's units in a part
    /// of its own, so the pages most read parse only what they show, with its audit event. Returns false, storing
    /// nothing, when the round has a snapshot already: another server stored it first, and readers may have seen it.
    /// </summary>
    public async Task<bool> StoreAsync(int roundId, CancellationToken ct = default)
    {
        var results = await BuildAsync(roundId, ct);
        var (overview, parts) = Split(results);
        var json = JsonSerializer.Serialize(overview, Json);

        // One transaction checks and stores: SQLite's holds the write lock from its start, and on SQL Server the unique
        // index on the round refuses a second snapshot.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.ResultSnapshots.AnyAsync(s => s.RoundId == roundId, ct))
        {
            return false;
        }

        db.ResultSnapshots.Add(new ResultSnapshot { RoundId = roundId, ComputedAt = results.ComputedAt, Json = json });
        db.AuditEvents.Add(new AuditEvent { At = results.ComputedAt, Actor = RoundReconciler.Actor, Action = "round.results-computed", Details = $"Kierroksen {roundId} tulokset laskettiin" });
        await db.ResultSnapshotParts.Where(p => p.RoundId == roundId).ExecuteDeleteAsync(ct);
        db.ResultSnapshotParts.AddRange(parts.Select(p => new ResultSnapshotPart { RoundId = roundId, Key = ResultSnapshotPart.UnitsPrefix + p.Key, Json = JsonSerializer.Serialize(p.Value, Json) }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        // The pages that follow read what was just computed, with no parse of the stored JSON.
        Remember(roundId, results.ComputedAt, overview);
        return true;
    }

    /// <summary>The overview with one municipality's units put back in: for the municipality's and its units' pages.</summary>
    public async Task<RoundResults?> LoadAsync(int roundId, string municipalityCode, CancellationToken ct = default)
    {
        if (await LoadAsync(roundId, ct) is not { } overview)
        {
            return null;
        }

        var key = (nameof(MunicipalityUnits), roundId, overview.ComputedAt, municipalityCode);
        if (cache.TryGetValue(key, out RoundResults? cached))
        {
            return cached;
        }

        var json = await db.ResultSnapshotParts.AsNoTracking()
            .Where(p => p.RoundId == roundId && p.Key == ResultSnapshotPart.UnitsPrefix + municipalityCode).Select(p => p.Json).FirstOrDefaultAsync(ct);

        // A snapshot stored before parts existed still carries its units inline.
        var merged = SnapshotFormat.Normalize(json is null ? overview : Merge(overview, SnapshotFormat.ReadUnits(json, overview.StoredFormat)));
        cache.Set(key, merged, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30), Size = 1 });
        return merged;
    }

    private static (RoundResults Overview, Dictionary<string, MunicipalityUnits> Parts) Split(RoundResults results)
    {
        var codes = results.Groups.SelectMany(g => g.Items.SelectMany(i => i.Units).Select(u => u.MunicipalityCode)
                .Concat((g.Areas ?? []).SelectMany(a => a.Units).Select(u => u.MunicipalityCode)))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var parts = codes.ToDictionary(code => code, code => new MunicipalityUnits(
            [.. results.Groups.SelectMany(g => g.Items.Select(i => new UnitItemCells(g.Group, i.ItemId, [.. i.Units.Where(u => u.MunicipalityCode == code)])))],
            [.. results.Groups.SelectMany(g => (g.Areas ?? []).Select(a => new UnitAreaCells(g.Group, a.Area, [.. a.Units.Where(u => u.MunicipalityCode == code)])))]), StringComparer.Ordinal);
        var overview = results with
        {
            Groups = [.. results.Groups.Select(g => g with
            {
                Items = [.. g.Items.Select(i => i with { Units = [] })],
                Areas = g.Areas is null ? null : [.. g.Areas.Select(a => a with { Units = [] })],
            })],
        };
        return (overview, parts);
    }

    /// <summary>The whole snapshot, every municipality's units merged in: for the audit, which reads what every viewer sees.</summary>
    public async Task<RoundResults?> LoadWholeAsync(int roundId, CancellationToken ct = default)
    {
        if (await LoadAsync(roundId, ct) is not { } overview)
        {
            return null;
        }

        var parts = await db.ResultSnapshotParts.AsNoTracking().Where(p => p.RoundId == roundId).Select(p => p.Json).ToListAsync(ct);
        return SnapshotFormat.Normalize(parts.Aggregate(overview, (merged, json) => Merge(merged, SnapshotFormat.ReadUnits(json, overview.StoredFormat))));
    }

    /// <summary>The overview with a municipality's units put in place of its (empty) unit lists.</summary>
    public static RoundResults Merge(RoundResults overview, MunicipalityUnits units)
    {
        var items = units.Items.ToDictionary(i => (i.Group, i.ItemId), i => i.Units);
        var areas = units.Areas.ToDictionary(a => (a.Group, a.Area), a => a.Units);
        return overview with
        {
            Groups = [.. overview.Groups.Select(g => g with
            {
                Items = [.. g.Items.Select(i => i with { Units = [.. i.Units, .. items.GetValueOrDefault((g.Group, i.ItemId)) ?? []] })],
                Areas = g.Areas is null ? null : [.. g.Areas.Select(a => a with { Units = [.. a.Units, .. areas.GetValueOrDefault((g.Group, a.Area)) ?? []] })],
            })],
        };
    }

    /// <summary>
    /// The stored results, parsed once per snapshot version and then served from memory: a page and its charts read the
    /// same snapshot many times, and a recomputed snapshot has a new time, so a stale copy is never served.
    /// </summary>
    public async Task<RoundResults?> LoadAsync(int roundId, CancellationToken ct = default)
    {
        var computedAt = await db.ResultSnapshots.AsNoTracking().Where(s => s.RoundId == roundId).Select(s => (DateTimeOffset?)s.ComputedAt).FirstOrDefaultAsync(ct);
        if (computedAt is null)
        {
            return null;
        }

        var key = (nameof(RoundResults), roundId, computedAt.Value);
        if (cache.TryGetValue(key, out RoundResults? cached))
        {
            return cached;
        }

        var json = await db.ResultSnapshots.AsNoTracking().Where(s => s.RoundId == roundId).Select(s => s.Json).FirstOrDefaultAsync(ct);
        var results = json is null ? null : SnapshotFormat.Normalize(SnapshotFormat.ReadOverview(json));
        if (results is not null)
        {
            Remember(roundId, computedAt.Value, results);
        }

        return results;
    }

    /// <summary>Parses the latest published rounds' snapshots into memory, so the first director after a restart is served at once.</summary>
    public async Task WarmAsync(int rounds, CancellationToken ct)
    {
        var ids = await db.Rounds.AsNoTracking().Where(r => r.State == RoundState.Published || r.State == RoundState.RawDataDeleted)
            .OrderByDescending(r => r.Year).ThenByDescending(r => r.Id).Select(r => r.Id).Take(rounds).ToListAsync(ct);
        foreach (var id in ids)
        {
            await LoadAsync(id, ct);
        }
    }

    private void Remember(int roundId, DateTimeOffset computedAt, RoundResults results) =>
        cache.Set((nameof(RoundResults), roundId, computedAt), results, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(12), Size = 1 });

    /// <summary>The sector's latest earlier round with results (two years back in the cycle), demo rounds compared only with demo rounds.</summary>
    private async Task<(EvaluationRound Round, RoundResults Results)?> PreviousAsync(EvaluationRound round, CancellationToken ct)
    {
        var earlier = await db.Rounds.AsNoTracking()
            .Where(r => r.Sector == round.Sector && r.Year < round.Year && r.IsDemo == round.IsDemo
                && (r.State == RoundState.Closed || r.State == RoundState.Published || r.State == RoundState.RawDataDeleted)
                && db.ResultSnapshots.Any(s => s.RoundId == r.Id))
            .OrderByDescending(r => r.Year).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        return earlier is not null && await LoadAsync(earlier.Id, ct) is { } results ? (earlier, results) : null;
    }
}
