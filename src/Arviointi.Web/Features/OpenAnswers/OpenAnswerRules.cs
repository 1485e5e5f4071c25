namespace Arviointi.Web.Features.OpenAnswers;

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
}
