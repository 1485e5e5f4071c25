using System.Globalization;
using System.Text.Json;
using Arviointi.Statistics;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Organisation;
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
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public async Task<RoundResults> BuildAsync(int roundId, CancellationToken ct = default)
    {
        var round = await db.Rounds.AsNoTracking().FirstAsync(r => r.Id == roundId, ct);
        var previous = await PreviousAsync(round, ct);
        var units = await db.Units.AsNoTracking().Include(u => u.Municipality).ToDictionaryAsync(u => u.Id, ct);
        var roundSurveys = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion)
            .Where(s => s.RoundId == roundId).OrderBy(s => s.Group).ToListAsync(ct);
        var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.RoundId == roundId)
            .Select(e => new { e.UnitId, e.Group, e.Count }).ToListAsync(ct);

        var groups = new List<GroupResults>();
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
            var previousGroup = previous?.Results.Groups.FirstOrDefault(g => g.Group == roundSurvey.Group);
            var enrolment = enrolments.Where(e => e.Group == roundSurvey.Group).ToDictionary(e => e.UnitId, e => e.Count);
            groups.Add(BuildGroup(roundSurvey.Group, version, ordered, enrolment, previousGroup, previous?.Round.Year));
        }

        return new RoundResults(roundId, time.GetUtcNow(), groups, previous is { } p ? new PreviousRound(p.Round.Id, p.Round.Year) : null);
    }

    /// <summary>
    /// Computes and stores the snapshot, replacing an earlier one of the same round: the overview in one row, and each
    /// municipality's units in a part of its own, so the pages most read parse only what they show.
    /// </summary>
    public async Task StoreAsync(int roundId, CancellationToken ct = default)
    {
        var results = await BuildAsync(roundId, ct);
        var (overview, parts) = Split(results);
        var json = JsonSerializer.Serialize(overview, Json);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var existing = await db.ResultSnapshots.FirstOrDefaultAsync(s => s.RoundId == roundId, ct);
        if (existing is null)
        {
            db.ResultSnapshots.Add(new ResultSnapshot { RoundId = roundId, ComputedAt = results.ComputedAt, Json = json });
        }
        else
        {
            existing.ComputedAt = results.ComputedAt;
            existing.Json = json;
        }

        await db.ResultSnapshotParts.Where(p => p.RoundId == roundId).ExecuteDeleteAsync(ct);
        db.ResultSnapshotParts.AddRange(parts.Select(p => new ResultSnapshotPart { RoundId = roundId, Key = ResultSnapshotPart.UnitsPrefix + p.Key, Json = JsonSerializer.Serialize(p.Value, Json) }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        // The pages that follow read what was just computed, with no parse of the stored JSON.
        Remember(roundId, results.ComputedAt, overview);
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
        var merged = json is null ? overview : Merge(overview, JsonSerializer.Deserialize<MunicipalityUnits>(json, Json)!);
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

    private static RoundResults Merge(RoundResults overview, MunicipalityUnits units)
    {
        var items = units.Items.ToDictionary(i => (i.Group, i.ItemId), i => i.Units);
        var areas = units.Areas.ToDictionary(a => (a.Group, a.Area), a => a.Units);
        return overview with
        {
            Groups = [.. overview.Groups.Select(g => g with
            {
                Items = [.. g.Items.Select(i => i with { Units = items.GetValueOrDefault((g.Group, i.ItemId)) ?? i.Units })],
                Areas = g.Areas is null ? null : [.. g.Areas.Select(a => a with { Units = areas.GetValueOrDefault((g.Group, a.Area)) ?? a.Units })],
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
        var results = json is null ? null : JsonSerializer.Deserialize<RoundResults>(json, Json);
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

    private GroupResults BuildGroup(RespondentGroup group, SurveyVersion version, Respondent[] ordered, Dictionary<int, int> enrolment, GroupResults? previous, int? previousYear)
    {
        var definition = catalog.Definition(version);
        var layout = catalog.Layout(version);
        var municipalitySlices = Slices(ordered, r => r.Unit.MunicipalityCode);
        var unitSlices = Slices(ordered, r => r.Unit.Id.ToString(CultureInfo.InvariantCulture));
        var column = new byte[ordered.Length];

        var agreementItems = definition.Items.Where(i => i.Type == ItemType.Agreement && !i.Background).ToList();
        var items = new List<ItemResults>();
        foreach (var item in agreementItems)
        {
            var slot = layout.SlotOf(item.Id)!.Index;
            for (var i = 0; i < ordered.Length; i++)
            {
                column[i] = ordered[i].Answers[slot];
            }

            var unitCounts = unitSlices.Select(u => (Slice: u, ordered[u.Start].Unit, Counts: Comparison.CountBytes(column.AsSpan(u.Start, u.Length)))).ToList();
            var comparison = Comparison.Compare(municipalitySlices
                .Select(s => new CountedCell<string>(s.Key, ordered[s.Start].Unit.Municipality!.NameFi, Comparison.CountBytes(column.AsSpan(s.Start, s.Length))))
                .ToList());
            var before = previous?.Items.FirstOrDefault(p => p.ItemId == item.Id || (item.Comparable && p.ItemId == item.Replaces));
            var region = comparison.Total.N < Disclosure.MinimumN
                ? new Cell("region", Region.NameFi, null, true, "n<5", null)
                : new Cell("region", Region.NameFi, null, false, null, FiguresOf(comparison.Total, comparison.TotalScaleCounts) with { Weighted = WeightedOf(unitCounts.Select(u => (u.Unit, u.Counts)), enrolment) }, null, ChangeOf(comparison.Total, comparison.TotalScaleCounts, before?.Region, previousYear));
            var municipalities = comparison.Cells
                .Select(c => ToCell(c, c.Key, before?.Municipalities.FirstOrDefault(m => m.Key == c.Key), previousYear))
                .Select(c => c.Figures is { } f
                    ? c with { Figures = f with { Weighted = WeightedOf(unitCounts.Where(u => u.Unit.MunicipalityCode == c.Key).Select(u => (u.Unit, u.Counts)), enrolment) } }
                    : c)
                .ToList();

            // Units are disclosed and compared within their municipality, against the rest of it.
            var unitCells = unitCounts
                .GroupBy(u => u.Unit.MunicipalityCode)
                .SelectMany(g => Comparison.Compare(g
                        .Select(u => new CountedCell<string>(u.Slice.Key, u.Unit.Name, u.Counts))
                        .ToList()).Cells
                    .Select(c => ToCell(c, g.Key, null, null)))
                .ToList();
            var kruskalWallis = comparison.KruskalWallis is { } kw ? new KruskalWallisFigures(kw.H, kw.Df, kw.P) : null;
            var history = before is null ? null : (IReadOnlyList<HistoryPoint>)[.. before.History ?? [], HistoryOf(before, previousYear!.Value)];
            items.Add(new ItemResults(item.Id, item.Area, item.Text.Values, region, municipalities, unitCells, kruskalWallis, history));
        }

        var areas = agreementItems.Where(i => i.Area.Length > 0).GroupBy(i => i.Area)
            .Select(area => BuildArea(area.Key, [.. area.Select(i => layout.SlotOf(i.Id)!.Index)], ordered, municipalitySlices, unitSlices))
            .ToList();
        var filters = definition.Items.Where(i => i.Background && i.Type == ItemType.SingleChoice && i.Options.Count > 0)
            .Select(background => BuildFilter(background, layout, agreementItems, items, ordered, municipalitySlices))
            .ToList();
        return new GroupResults(group, definition.Id, version.Id, items, areas, filters);
    }

    /// <summary>
    /// The items for each option of one background question, per municipality and for the region, disclosed with
    /// <see cref="Disclosure.DecideTable"/> so that no filtered cell, and no difference of a filtered cell from a published
    /// total, shows fewer than ten answers. Those who left the question unanswered are counted but never shown.
    /// </summary>
    private static FilterResults BuildFilter(SurveyItem background, AnswerLayout layout, List<SurveyItem> agreementItems, List<ItemResults> results, Respondent[] ordered, List<Slice> municipalities)
    {
        var backgroundSlot = layout.SlotOf(background.Id)!.Index;
        var options = background.Options.Count;
        var municipalityOf = new int[ordered.Length];
        for (var m = 0; m < municipalities.Count; m++)
        {
            Array.Fill(municipalityOf, m, municipalities[m].Start, municipalities[m].Length);
        }

        var filtered = Enumerable.Range(0, options).Select(_ => new List<FilteredItem>()).ToList();
        foreach (var item in agreementItems)
        {
            var slot = layout.SlotOf(item.Id)!.Index;

            // counts[municipality][column][answer byte]; the last column is "did not answer the background question".
            var counts = new int[municipalities.Count][][];
            for (var m = 0; m < counts.Length; m++)
            {
                counts[m] = [.. Enumerable.Range(0, options + 1).Select(_ => new int[Likert.CantSay + 1])];
            }

            foreach (var (respondent, index) in ordered.Select((r, i) => (r, i)))
            {
                var choice = respondent.Answers[backgroundSlot];
                var column = choice is >= 1 && choice <= options ? choice - 1 : options;
                counts[municipalityOf[index]][column][respondent.Answers[slot]]++;
            }

            var unfiltered = results.First(r => r.ItemId == item.Id);
            var n = counts.Select(row => (IReadOnlyList<int>)[.. row.Select(ScaleN)]).ToList();
            var shownColumns = Enumerable.Range(0, options + 1).Select(c => c < options).ToList();
            var shown = Disclosure.DecideTable(n, shownColumns, [.. municipalities.Select(s => unfiltered.Municipalities.Any(c => c.Key == s.Key && !c.Suppressed))]);
            var regionCounts = Enumerable.Range(0, options + 1).Select(c => Sum(counts.Select(row => row[c]))).ToList();
            var regionShown = Disclosure.DecideTable([[.. regionCounts.Select(ScaleN)]], shownColumns, [!unfiltered.Region.Suppressed])[0];
            for (var o = 0; o < options; o++)
            {
                var cells = municipalities.Select((s, m) => FilteredCell(s.Key, ordered[s.Start].Unit.Municipality!.NameFi, s.Key, counts[m][o], shown[m][o])).ToList();
                filtered[o].Add(new FilteredItem(item.Id, FilteredCell("region", Region.NameFi, null, regionCounts[o], regionShown[o]), cells));
            }
        }

        return new FilterResults(background.Id, background.Text.Values,
            [.. background.Options.Select((option, o) => new FilterOption(option.Id, option.Label.Values, filtered[o]))]);
    }

    private static Cell FilteredCell(string key, string name, string? municipalityCode, int[] counts, bool shown)
    {
        if (!shown || ScaleN(counts) == 0)
        {
            return new Cell(key, name, municipalityCode, true, ScaleN(counts) == 0 ? "n=0" : "n<10", null);
        }

        int[] scale = [counts[1], counts[2], counts[3], counts[4], counts[5]];
        return new Cell(key, name, municipalityCode, false, null, FiguresOf(Likert.SummarizeCounts(scale, counts[Likert.CantSay]), scale));
    }

    private static int ScaleN(int[] counts) => counts[1] + counts[2] + counts[3] + counts[4] + counts[5];

    private static int[] Sum(IEnumerable<int[]> counts)
    {
        var total = new int[Likert.CantSay + 1];
        foreach (var c in counts)
        {
            for (var b = 0; b < total.Length; b++)
            {
                total[b] += c[b];
            }
        }

        return total;
    }

    private static AreaResults BuildArea(string area, int[] slots, Respondent[] ordered, List<Slice> municipalities, List<Slice> units)
    {
        // Respondent-major: respondent r's answer to the area's item i at r * k + i.
        var k = slots.Length;
        var matrix = new byte[ordered.Length * k];
        for (var r = 0; r < ordered.Length; r++)
        {
            for (var i = 0; i < k; i++)
            {
                matrix[(r * k) + i] = ordered[r].Answers[slots[i]];
            }
        }

        var indices = QualityArea.Indices(matrix, k);
        var alpha = QualityArea.CronbachAlpha(matrix, k);
        var total = Descriptive.Summarize(indices);
        var region = total.N < Disclosure.MinimumN
            ? new AreaCell("region", Region.NameFi, null, true, "n<5", null)
            : new AreaCell("region", Region.NameFi, null, false, null, IndexOf(total));
        var municipalityCells = DiscloseAreas(municipalities.Select(s => (s.Key, ordered[s.Start].Unit.Municipality!.NameFi, ordered[s.Start].Unit.MunicipalityCode, Descriptive.Summarize(indices.AsSpan(s.Start, s.Length)))).ToList());
        var unitCells = units.GroupBy(s => ordered[s.Start].Unit.MunicipalityCode)
            .SelectMany(g => DiscloseAreas(g.Select(s => (s.Key, ordered[s.Start].Unit.Name, g.Key, Descriptive.Summarize(indices.AsSpan(s.Start, s.Length)))).ToList()))
            .ToList();
        return new AreaResults(area, k, alpha.Alpha, alpha.CompleteCases, region, municipalityCells, unitCells);
    }

    private static List<AreaCell> DiscloseAreas(List<(string Key, string Name, string MunicipalityCode, MeanSummary Summary)> cells)
    {
        var decisions = Disclosure.Decide(cells.Select(c => new DisclosureCell<string>(c.Key, c.Name, c.Summary.N)).ToList());
        return [.. cells.Zip(decisions, (c, d) => d.Suppressed
            ? new AreaCell(c.Key, c.Name, c.MunicipalityCode, true, ReasonText(d.Reason), null)
            : new AreaCell(c.Key, c.Name, c.MunicipalityCode, false, null, IndexOf(c.Summary)))];
    }

    private static Cell ToCell(ComparedCell<string> c, string municipalityCode, Cell? before, int? previousYear)
    {
        if (c.Suppressed)
        {
            return new Cell(c.Key, c.Name, municipalityCode, true, ReasonText(c.Reason), null);
        }

        var vs = c.VsRest!;
        return new Cell(c.Key, c.Name, municipalityCode, false, null, FiguresOf(c.Summary!, c.ScaleCounts!),
            new RestComparison(vs.AgreeDifference, vs.AgreeDifferenceCi.Lower, vs.AgreeDifferenceCi.Upper, vs.MannWhitneyP, c.HolmP!.Value, vs.CliffsDelta),
            ChangeOf(c.Summary!, c.ScaleCounts!, before, previousYear));
    }

    // Both rounds must show the cell: a hidden cell of either round gives no change.
    private static Change? ChangeOf(LikertSummary now, IReadOnlyList<int> counts, Cell? before, int? previousYear)
    {
        if (before?.Figures is not { N: > 0 } then || previousYear is not { } year || now.N == 0)
        {
            return null;
        }

        var agreeing = counts[3] + counts[4];
        var interval = Newcombe.Interval(agreeing, now.N, then.Agreeing, then.N);
        return new Change(year, then.N, then.AgreeShare, now.AgreeShare - then.AgreeShare, interval.Lower, interval.Upper);
    }

    /// <summary>
    /// The share agreeing post-stratified to the units' enrolment of the group (<see cref="PostStratification.StratifiedShare"/>);
    /// null when a unit with answers has no enrolment figure, since its weight is then unknown.
    /// </summary>
    private static WeightedFigures? WeightedOf(IEnumerable<(Unit Unit, int[] Counts)> units, Dictionary<int, int> enrolment)
    {
        var list = units.ToList();
        var respondents = list.Select(u => ScaleN(u.Counts)).ToArray();
        var agreeing = list.Select(u => u.Counts[4] + u.Counts[5]).ToArray();
        var enrolled = list.Select(u => enrolment.GetValueOrDefault(u.Unit.Id)).ToArray();
        if (respondents.Zip(enrolled).Any(u => u.First > 0 && u.Second <= 0))
        {
            return null;
        }

        return PostStratification.StratifiedShare(respondents, agreeing, enrolled) is { } e
            ? new WeightedFigures(e.Share, e.Ci.Lower, e.Ci.Upper, e.DesignEffect, e.EffectiveN)
            : null;
    }

    private static HistoryPoint HistoryOf(ItemResults item, int year) => new(
        year,
        item.Region.Figures is { } r ? ShareOf(r) : null,
        item.Municipalities.Where(m => m.Figures is not null).ToDictionary(m => m.Key, m => ShareOf(m.Figures!), StringComparer.Ordinal));

    private static ShareFigures ShareOf(Figures f) => new(f.N, f.AgreeShare, f.AgreeLower, f.AgreeUpper);

    private static string ReasonText(SuppressionReason reason) => reason == SuppressionReason.SmallN ? "n<5" : "complementary";

    private static Figures FiguresOf(LikertSummary s, IReadOnlyList<int> counts) =>
        new(s.N, s.CantSay, s.Mean, s.Sd, s.MeanCi.Lower, s.MeanCi.Upper, s.AgreeShare, s.AgreeCi.Lower, s.AgreeCi.Upper, [.. counts]);

    private static IndexFigures IndexOf(MeanSummary s) => new(s.N, s.Mean, s.Sd, s.MeanCi.Lower, s.MeanCi.Upper);

    private static List<Slice> Slices(Respondent[] ordered, Func<Respondent, string> key)
    {
        var slices = new List<Slice>();
        for (var start = 0; start < ordered.Length;)
        {
            var k = key(ordered[start]);
            var end = start;
            while (end < ordered.Length && key(ordered[end]) == k)
            {
                end++;
            }

            slices.Add(new Slice(k, start, end - start));
            start = end;
        }

        return slices;
    }

    private sealed record Respondent(Unit Unit, byte[] Answers);

    private sealed record Slice(string Key, int Start, int Length);
}
