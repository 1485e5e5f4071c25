using Arviointi.Statistics;

namespace Arviointi.Cli.Stats;

/// <summary>Turns the answers of one (item, group) into published figures, hiding small municipalities.</summary>
internal static class ItemAnalysis
{
    public static ItemResult Analyze(ItemGroupAnswers answers)
    {
        var municipalities = answers.Municipalities
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => (Name: m.Key, Counts: m.Value, Summary: Summarize(m.Value)))
            .ToList();
        var decisions = Disclosure.Decide(municipalities.Select(m => new DisclosureCell<string>(m.Name, m.Name, m.Summary.N)).ToList());

        // The region and each "rest" pool every answer: hiding a municipality hides its figures, not its answers.
        var region = new int[Likert.CantSay + 1];
        foreach (var municipality in municipalities)
        {
            for (var b = 0; b < region.Length; b++)
            {
                region[b] += municipality.Counts[b];
            }
        }

        var visible = municipalities.Where((_, i) => !decisions[i].Suppressed).ToList();
        var comparisons = visible.Select(m => Likert.Compare(Scale(m.Counts), Scale(Subtract(region, m.Counts)))).ToList();
        var holm = Holm.Adjust(comparisons.Select(c => c.MannWhitneyP).ToArray());
        var figures = visible
            .Select((m, i) => (m.Name, Figures: new MunicipalityFigures(m.Summary, comparisons[i], holm[i])))
            .ToDictionary(m => m.Name, m => m.Figures, StringComparer.Ordinal);

        var results = municipalities
            .Zip(decisions, (m, d) => new MunicipalityResult(m.Name, figures.GetValueOrDefault(m.Name), d.Reason))
            .ToList();
        var kruskalWallis = visible.Count >= 2
            ? KruskalWallis.Test(visible.Select(m => Scale(m.Counts).ToArray()).ToArray())
            : null;
        return new ItemResult(answers.Item, answers.Group, Summarize(region), results, kruskalWallis);
    }

    private static LikertSummary Summarize(int[] counts) => Likert.SummarizeCounts(Scale(counts), counts[Likert.CantSay]);

    // Counts by answer byte hold the scale counts 1–5 at bytes 1–5.
    private static ReadOnlySpan<int> Scale(int[] counts) => counts.AsSpan(1, Likert.ScalePoints);

    private static int[] Subtract(int[] total, int[] part) => total.Select((t, b) => t - part[b]).ToArray();
}
