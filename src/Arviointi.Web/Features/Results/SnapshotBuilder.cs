using System.Text.Json;
using Arviointi.Statistics;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Results;

/// <summary>Computes a round's results from its raw answers and stores them as the round's snapshot.</summary>
internal sealed class SnapshotBuilder(AppDbContext db, SurveyCatalog catalog, TimeProvider time)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public async Task<RoundResults> BuildAsync(int roundId, CancellationToken ct = default)
    {
        var units = await db.Units.AsNoTracking().Include(u => u.Municipality).ToDictionaryAsync(u => u.Id, ct);
        var roundSurveys = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion)
            .Where(s => s.RoundId == roundId).OrderBy(s => s.Group).ToListAsync(ct);

        var groups = new List<GroupResults>();
        foreach (var roundSurvey in roundSurveys)
        {
            var version = roundSurvey.SurveyVersion!;
            var definition = catalog.Definition(version);
            var layout = catalog.Layout(version);
            var rows = await db.Responses.AsNoTracking()
                .Where(r => r.RoundId == roundId && r.Group == roundSurvey.Group && r.SurveyVersionId == version.Id)
                .Select(r => new { r.UnitId, r.Answers })
                .ToListAsync(ct);

            // Sorting by municipality and unit makes every municipality and unit one contiguous slice of each item's column.
            var ordered = rows
                .Select(r => (Unit: units[r.UnitId], r.Answers))
                .OrderBy(r => r.Unit.MunicipalityCode, StringComparer.Ordinal).ThenBy(r => r.Unit.Id)
                .ToArray();
            var column = new byte[ordered.Length];
            var municipalitySlices = Slices(ordered, r => r.Unit.MunicipalityCode);
            var unitSlices = Slices(ordered, r => r.Unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

            var items = new List<ItemResults>();
            foreach (var item in definition.Items.Where(i => i.Type == ItemType.Agreement && !i.Background))
            {
                var slot = layout.SlotOf(item.Id)!.Index;
                for (var i = 0; i < ordered.Length; i++)
                {
                    column[i] = ordered[i].Answers[slot];
                }

                var regionSummary = Likert.Summarize(column);
                var region = regionSummary.N < Disclosure.MinimumN
                    ? new Cell("region", Region.NameFi, null, true, "n<5", null)
                    : new Cell("region", Region.NameFi, null, false, null, FiguresOf(regionSummary));
                var municipalities = Disclose(municipalitySlices.Select(s =>
                {
                    var municipality = ordered[s.Start].Unit.Municipality!;
                    return (Key: municipality.Code, municipality.NameFi, MunicipalityCode: municipality.Code, Summary: Likert.Summarize(column.AsSpan(s.Start, s.Length)));
                }).ToList());
                var unitCells = unitSlices
                    .Select(s => (Slice: s, Unit: ordered[s.Start].Unit))
                    .GroupBy(s => s.Unit.MunicipalityCode)
                    .SelectMany(g => Disclose(g.Select(s => (Key: s.Slice.Key, s.Unit.Name, MunicipalityCode: s.Unit.MunicipalityCode, Summary: Likert.Summarize(column.AsSpan(s.Slice.Start, s.Slice.Length)))).ToList()))
                    .ToList();
                items.Add(new ItemResults(item.Id, item.Area, item.Text.Values, region, municipalities, unitCells));
            }

            groups.Add(new GroupResults(roundSurvey.Group, definition.Id, version.Id, items));
        }

        return new RoundResults(roundId, time.GetUtcNow(), groups);
    }

    /// <summary>Computes and stores the snapshot, replacing an earlier one of the same round.</summary>
    public async Task StoreAsync(int roundId, CancellationToken ct = default)
    {
        var results = await BuildAsync(roundId, ct);
        var json = JsonSerializer.Serialize(results, Json);
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

        await db.SaveChangesAsync(ct);
    }

    public async Task<RoundResults?> LoadAsync(int roundId, CancellationToken ct = default)
    {
        var json = await db.ResultSnapshots.AsNoTracking().Where(s => s.RoundId == roundId).Select(s => s.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : JsonSerializer.Deserialize<RoundResults>(json, Json);
    }

    private static List<Cell> Disclose(List<(string Key, string Name, string MunicipalityCode, LikertSummary Summary)> cells)
    {
        var decisions = Disclosure.Decide(cells.Select(c => new DisclosureCell<string>(c.Key, c.Name, c.Summary.N)).ToList());
        return cells.Zip(decisions, (c, d) => d.Suppressed
            ? new Cell(c.Key, c.Name, c.MunicipalityCode, true, d.Reason == SuppressionReason.SmallN ? "n<5" : "complementary", null)
            : new Cell(c.Key, c.Name, c.MunicipalityCode, false, null, FiguresOf(c.Summary))).ToList();
    }

    private static Figures FiguresOf(LikertSummary s) =>
        new(s.N, s.CantSay, s.Mean, s.Sd, s.MeanCi.Lower, s.MeanCi.Upper, s.AgreeShare, s.AgreeCi.Lower, s.AgreeCi.Upper);

    private static List<(string Key, int Start, int Length)> Slices<T>(T[] ordered, Func<T, string> key)
    {
        var slices = new List<(string, int, int)>();
        for (var start = 0; start < ordered.Length;)
        {
            var k = key(ordered[start]);
            var end = start;
            while (end < ordered.Length && key(ordered[end]) == k)
            {
                end++;
            }

            slices.Add((k, start, end - start));
            start = end;
        }

        return slices;
    }
}
