using System.Globalization;
using Arviointi.Audit;
using Arviointi.Surveys;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Results.Publication;

namespace Arviointi.Web.Features.Export;

/// <summary>
/// The research dataset as the disclosure audit reads it (<see cref="PublishedDataset"/>): the rows an administrator's
/// download with units would hold — the finest any download gives, since a download without units is the same rows with
/// each unit replaced by its size class — tallied by municipality, unit, background option and each agreement item's value.
/// </summary>
internal static class DatasetTallies
{
    public static PublishedDataset Of(GroupCounts counts, GroupResults published)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var (dataset, answers, units) = ResearchDataset.Plan(counts, published, new DatasetOptions(Units: true));
        var codes = counts.Municipalities.Select(m => m.Key).ToDictionary(c => int.Parse(c, CultureInfo.InvariantCulture));
        var items = dataset.Columns.Select((c, i) => (Column: c, Index: i)).Where(c => c.Column.Role == DatasetRole.Item && c.Column.Item!.Type == ItemType.Agreement).ToList();
        var backgrounds = dataset.Columns.Select((c, i) => (Column: c, Index: i))
            .Where(c => c.Column.Role == DatasetRole.Background && c.Column.Item!.Type == ItemType.SingleChoice && c.Column.Item.Options.Count > 0).ToList();

        var byUnit = new Dictionary<(string? Municipality, int Unit, string? Item, int Byte), int>();
        var byOption = new Dictionary<(string? Municipality, string Question, int Code, string? Item, int Byte), int>();
        void Add<TKey>(Dictionary<TKey, int> tally, TKey key)
            where TKey : notnull => tally[key] = tally.GetValueOrDefault(key) + 1;

        for (var p = 0; p < dataset.RowCount; p++)
        {
            var values = dataset.RowAt(p, units[p], answers[p]);
            string? municipality = values[1] == MissingCodes.Suppressed ? null : codes[values[1]];
            var unit = values[2];
            Add(byUnit, (municipality, unit, (string?)null, 0));
            foreach (var (column, index) in items)
            {
                Add(byUnit, (municipality, unit, column.Item!.Id, Byte(values[index])));
            }

            foreach (var (background, b) in backgrounds)
            {
                Add(byOption, (municipality, background.Item!.Id, values[b], (string?)null, 0));
                foreach (var (column, index) in items)
                {
                    Add(byOption, (municipality, background.Item.Id, values[b], column.Item!.Id, Byte(values[index])));
                }
            }
        }

        var recodings = backgrounds.ToDictionary(b => b.Column.Item!.Id, b => b.Column);
        return new PublishedDataset(
            [.. byUnit.Select(t => new DatasetTally(t.Key.Municipality, t.Key.Unit == MissingCodes.Suppressed ? null : [t.Key.Unit.ToString(CultureInfo.InvariantCulture)], t.Key.Item, t.Key.Byte, t.Value))],
            [.. byOption.Select(t => new DatasetOptionTally(t.Key.Municipality, t.Key.Question, Options(recodings[t.Key.Question], t.Key.Code), t.Key.Item, t.Key.Byte, t.Value))]);
    }

    /// <summary>An agreement value as the audit's answer byte.</summary>
    private static int Byte(int value) => value switch
    {
        MissingCodes.Suppressed => DatasetTally.Blanked,
        MissingCodes.CantSay => Reader.CantSay,
        MissingCodes.NotAnswered or MissingCodes.NotAsked => 0,
        _ => value,
    };

    /// <summary>The options a background value can be: one, those merged into "other", none (not answered), or any (suppressed).</summary>
    private static IReadOnlyList<string>? Options(DatasetColumn column, int code) => code switch
    {
        MissingCodes.Suppressed => null,
        MissingCodes.NotAnswered or MissingCodes.NotAsked => [],
        _ => [.. column.Item!.Options.Where((_, o) => (column.Recoding?.GetValueOrDefault(o + 1, o + 1) ?? o + 1) == code).Select(o => o.Id)],
    };
}
