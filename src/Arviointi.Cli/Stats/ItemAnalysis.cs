using System.Runtime.InteropServices;
using Arviointi.Statistics;

namespace Arviointi.Cli.Stats;

/// <summary>Turns the answers of one (item, group) into published figures, hiding small municipalities.</summary>
internal static class ItemAnalysis
{
    public static ItemResult Analyze(ItemGroupAnswers answers)
    {
        var municipalities = answers.Municipalities
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => (Name: m.Key, Summary: Likert.Summarize(CollectionsMarshal.AsSpan(m.Value))))
            .ToList();
        var decisions = Disclosure.Decide(municipalities.Select(m => new DisclosureCell<string>(m.Name, m.Name, m.Summary.N)).ToList());

        var results = municipalities
            .Zip(decisions, (m, d) => new MunicipalityResult(m.Name, d.Suppressed ? null : m.Summary, d.Reason))
            .ToList();
        var region = Likert.Summarize(CollectionsMarshal.AsSpan(answers.Region));
        return new ItemResult(answers.Item, answers.Group, region, results, KruskalWallis: null);
    }
}
