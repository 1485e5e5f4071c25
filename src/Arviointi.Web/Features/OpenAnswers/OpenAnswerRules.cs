using Arviointi.Audit;
using Arviointi.Surveys;
using Arviointi.Web.Features.Results;

namespace Arviointi.Web.Features.OpenAnswers;

/// <summary>A unit's number of answers to one open question, withheld ones included.</summary>
internal sealed record OpenAnswered(RespondentGroup Group, string ItemId, string Unit, string Municipality, int Answers);

/// <summary>One unit's answers to one open question, and whether the publication shows the unit's respondents.</summary>
internal sealed record OpenCount(string Unit, string Municipality, int Answers, bool UnitShown);

/// <summary>Whose answers to one open question are shown: units' own lists, and each municipality's list.</summary>
/// <param name="Municipalities">Per municipality, the units whose answers its list holds (all of them, or only those with a list of their own).</param>
internal sealed record OpenDecision(IReadOnlySet<string> Units, IReadOnlyDictionary<string, IReadOnlySet<string>> Municipalities);

/// <summary>
/// The publication model's rule for open answers (docs/privacy.md). A list is shown only where at least
/// <see cref="MinimumAnswers"/> people answered the question, and only for a unit or municipality whose respondents
/// the publication shows (a partner hidden to cover another must not get a lower bound from its answers). A municipality's
/// list holds every unit's answers only if the answers of its units without a list of their own are none or at least
/// ten; otherwise it holds the listed units' answers only, so that no reader of both lists can take one from the other
/// and read a small unit's few answers.
/// </summary>
internal static class OpenAnswerRules
{
    public const int MinimumAnswers = 10;

    public static OpenDecision Decide(IReadOnlyList<OpenCount> counts, IReadOnlySet<string> shownMunicipalities)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(shownMunicipalities);
        var units = counts.Where(c => c.UnitShown && c.Answers >= MinimumAnswers).Select(c => c.Unit).ToHashSet(StringComparer.Ordinal);
        var municipalities = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var municipality in counts.GroupBy(c => c.Municipality))
        {
            if (!shownMunicipalities.Contains(municipality.Key) || municipality.Sum(c => c.Answers) < MinimumAnswers)
            {
                continue;
            }

            var rest = municipality.Where(c => !units.Contains(c.Unit)).Sum(c => c.Answers);
            var listed = municipality.Where(c => units.Contains(c.Unit)).ToList();
            if (rest == 0 || rest >= MinimumAnswers)
            {
                municipalities[municipality.Key] = municipality.Select(c => c.Unit).ToHashSet(StringComparer.Ordinal);
            }
            else if (listed.Sum(c => c.Answers) >= MinimumAnswers)
            {
                municipalities[municipality.Key] = listed.Select(c => c.Unit).ToHashSet(StringComparer.Ordinal);
            }
        }

        return new OpenDecision(units, municipalities);
    }

    /// <summary>The units and municipalities whose respondents the publication shows (their response-rate cells are shown).</summary>
    public static (IReadOnlySet<string> Units, IReadOnlySet<string> Municipalities) Shown(GroupResults group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var rates = group.Rates?.Cells ?? [];
        return (rates.Where(c => c.IsUnit && !c.Suppressed).Select(c => c.Key).ToHashSet(StringComparer.Ordinal),
            rates.Where(c => !c.IsUnit && c.Key != "region" && !c.Suppressed).Select(c => c.Key).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Every list of open answers the rule shows for a group, as the disclosure audit reads them: each list's units and
    /// number of answers (withheld ones counted in, as if the reader knew them), and the small units a municipality's
    /// list leaves out. Every reader's lists are among these (<see cref="Results.Publication.PublicationViews"/>).
    /// </summary>
    public static IReadOnlyList<PublishedOpenList> Lists(GroupResults group, IEnumerable<OpenAnswered> answered)
    {
        ArgumentNullException.ThrowIfNull(answered);
        var (units, municipalities) = Shown(group);
        var lists = new List<PublishedOpenList>();
        foreach (var question in answered.Where(a => a.Group == group.Group).GroupBy(a => a.ItemId, StringComparer.Ordinal).OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            var counts = question.Select(a => new OpenCount(a.Unit, a.Municipality, a.Answers, units.Contains(a.Unit))).ToList();
            var decision = Decide(counts, municipalities);
            lists.AddRange(counts.Where(c => decision.Units.Contains(c.Unit)).OrderBy(c => c.Unit, StringComparer.Ordinal)
                .Select(c => new PublishedOpenList(question.Key, new CellRef(Level.Unit, c.Unit), [c.Unit], c.Answers)));
            foreach (var (municipality, holds) in decision.Municipalities.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                var of = counts.Where(c => c.Municipality == municipality).ToList();
                var leftOut = of.Where(c => !holds.Contains(c.Unit)).Select(c => c.Unit).Order(StringComparer.Ordinal).ToList();
                lists.Add(new PublishedOpenList(question.Key, new CellRef(Level.Municipality, municipality), [.. holds.Order(StringComparer.Ordinal)],
                    of.Where(c => holds.Contains(c.Unit)).Sum(c => c.Answers), leftOut.Count > 0 ? leftOut : null));
            }
        }

        return lists;
    }
}
