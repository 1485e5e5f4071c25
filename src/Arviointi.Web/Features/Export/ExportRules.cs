using Arviointi.Audit;
using Arviointi.Surveys;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Results.Publication;

namespace Arviointi.Web.Features.Export;

/// <summary>
/// What the respondent-level export carries, read from the round's stored publication so that it can never show what
/// the pages hide: a municipality's rows only where its respondents are shown, an item's values of a municipality only
/// where the municipality's cell of the item is shown, and no unit, background answer or conditionally shown item
/// (whose blanks would tell the background answer).
/// </summary>
internal static class ExportRules
{
    /// <summary>The items whose values are exported.</summary>
    public static IReadOnlyList<SurveyItem> Items(SurveyDefinition definition) =>
        [.. definition.Items.Where(i => i.Type == ItemType.Agreement && !i.Background && i.ShowIf is null)];

    /// <summary>The municipalities whose rows are exported: those whose respondents the response rates show.</summary>
    public static IReadOnlySet<string> Municipalities(GroupResults group) =>
        (group.Rates?.Cells.Where(c => !c.IsUnit && c.Key != "region" && !c.Suppressed).Select(c => c.Key) ?? []).ToHashSet(StringComparer.Ordinal);

    /// <summary>The municipalities whose values of an item are exported: those whose cell of the item is shown.</summary>
    public static IReadOnlySet<string> ShownOn(GroupResults group, string itemId) =>
        (group.Items.FirstOrDefault(i => i.ItemId == itemId)?.Municipalities.Where(m => !m.Suppressed).Select(m => m.Key) ?? []).ToHashSet(StringComparer.Ordinal);

    /// <summary>The export as the counts it reveals, for the disclosure audit.</summary>
    public static PublishedExport Counts(GroupCounts counts, GroupResults group)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var municipalities = Municipalities(group);
        var rows = counts.Municipalities.Where(m => municipalities.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Length, StringComparer.Ordinal);
        var items = Items(counts.Definition).Where(i => counts.UnitCounts.ContainsKey(i.Id)).Select(item =>
        {
            var shown = ShownOn(group, item.Id);
            return new ExportedItem(item.Id, [.. rows.Keys.Select(m => new ExportedCell(m, shown.Contains(m) ? counts.Sum(item.Id, counts.UnitsOf(m)) : null))]);
        }).ToList();
        return new PublishedExport(rows, items);
    }
}
