using Arviointi.Statistics;

namespace Arviointi.Cli.Stats;

/// <summary>Turns the answers of one (item, group) into published figures with the library's one comparison of municipalities.</summary>
internal static class ItemAnalysis
{
    public static ItemResult Analyze(ItemGroupAnswers answers)
    {
        var cells = answers.Municipalities
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new CountedCell<string>(m.Key, m.Key, m.Value))
            .ToList();
        // The command keeps its published contract: an empty municipality is hidden as a small one.
        var comparison = Comparison.Compare(cells, showEmpty: false);
        var results = comparison.Cells
            .Select(c => new MunicipalityResult(c.Name, c.Suppressed ? null : new MunicipalityFigures(c.Summary!, c.VsRest!, c.HolmP!.Value), c.Reason))
            .ToList();
        return new ItemResult(answers.Item, answers.Group, comparison.Total, results, comparison.KruskalWallis);
    }
}
