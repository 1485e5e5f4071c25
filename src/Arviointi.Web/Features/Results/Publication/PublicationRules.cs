using Arviointi.Audit;
using Arviointi.Statistics;

namespace Arviointi.Web.Features.Results.Publication;

/// <summary>A cell the publication hides whatever its counts, because the audit found it needed to cover another.</summary>
/// <param name="Family">Which figures.</param>
/// <param name="Item">The item, quality area or (for filters) item id; null for response rates.</param>
/// <param name="Option">The background option of a filtered cell.</param>
/// <param name="Cell">Region, municipality or unit.</param>
internal sealed record ForcedCell(Family Family, string? Item, string? Option, CellRef Cell);

/// <summary>A unit in a family's table, with the number it is decided by.</summary>
internal sealed record LineCell(string Key, string Municipality, string MunicipalityName, string Name, int N);

/// <summary>Which cells of one item (or quality area) are hidden at each level.</summary>
internal sealed record LineDecision(bool Region, IReadOnlySet<string> Municipalities, IReadOnlySet<string> Units);

/// <summary>Which cells of an item filtered by a background question are shown: <c>Shown[municipality][option]</c> and the region's per option.</summary>
internal sealed record FilterDecision(bool[][] Shown, bool[] RegionShown);

/// <summary>One group's decisions: what every figure family hides, decided together.</summary>
internal sealed record GroupDecisions(
    LineDecision Rates,
    IReadOnlyDictionary<string, LineDecision> Items,
    IReadOnlyDictionary<string, LineDecision> Areas,
    IReadOnlyDictionary<(string Background, string Item), FilterDecision> Filters);

/// <summary>
/// The publication model's rules: one decision over every figure of a group (response rates, items, quality areas,
/// filters), made top-down so that a hidden figure is hidden everywhere it could be derived from.
/// </summary>
/// <remarks>
/// Respondents (response rates) are decided first, over the region's municipalities and each municipality's units, as
/// every table is (<see cref="Disclosure.Decide{TKey}"/>: fewer than five hidden, partners until the hidden cells are at
/// least two holding at least five). A municipality or unit whose respondents are hidden is hidden on every item and
/// quality area too, and so are the units of a hidden municipality, since the shown units would add up to it. Filtered
/// tables hide whole rows of hidden municipalities. What these rules miss, the audit finds, and
/// <see cref="Cover"/> adds the next smallest cell of the line until nothing can be narrowed (see docs/privacy.md).
/// </remarks>
internal static class PublicationRules
{
    public static GroupDecisions Decide(GroupCounts counts, IReadOnlySet<ForcedCell> forced)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var rates = Line(Cells(counts, Family.Rate, null), Family.Rate, null, forced, null);
        var items = counts.Items.ToDictionary(i => i.Id, i => Line(Cells(counts, Family.Item, i.Id), Family.Item, i.Id, forced, rates), StringComparer.Ordinal);
        var areas = counts.Areas.ToDictionary(a => a.Area, a => Line(Cells(counts, Family.Area, a.Area), Family.Area, a.Area, forced, rates), StringComparer.Ordinal);
        var filters = new Dictionary<(string, string), FilterDecision>();
        foreach (var background in counts.Backgrounds)
        {
            var groups = OptionGroups(counts, background, rates);
            foreach (var item in counts.Items)
            {
                filters[(background.Id, item.Id)] = Filter(counts, background, item.Id, items[item.Id], forced, groups);
            }
        }

        return new GroupDecisions(rates, items, areas, filters);
    }

    /// <summary>
    /// The units of a family's table with the number each is decided by: respondents (units that have an enrolment but
    /// no respondents included, with none), answers 1–5 of an item, or respondents with a quality-area index.
    /// </summary>
    public static List<LineCell> Cells(GroupCounts counts, Family family, string? item)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var cells = counts.Units.Select((slice, u) => new LineCell(slice.Key, counts.UnitOf(slice).MunicipalityCode, counts.UnitOf(slice).Municipality!.NameFi, counts.UnitOf(slice).Name, family switch
        {
            Family.Rate => slice.Length,
            Family.Item => GroupCounts.ScaleN(counts.UnitCounts[item!][u]),
            Family.Area => counts.Areas.First(a => a.Area == item).Indexed(slice),
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Filtered cells are decided as tables."),
        })).ToList();
        if (family == Family.Rate)
        {
            cells.AddRange(counts.Silent.Select(u => new LineCell(u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), u.MunicipalityCode, u.Municipality!.NameFi, u.Name, 0)));
        }

        return cells;
    }

    /// <summary>
    /// Decides one family's hierarchy: the region, its municipalities, each municipality's units. A municipality is
    /// hidden with its units; <paramref name="respondents"/> (the response-rate decision) hides its own cells here too.
    /// </summary>
    public static LineDecision Line(IReadOnlyList<LineCell> units, Family family, string? item, IReadOnlySet<ForcedCell> forced, LineDecision? respondents)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(forced);
        bool Forced(CellRef cell) => forced.Contains(new ForcedCell(family, item, null, cell));
        var region = units.Sum(u => u.N) < Disclosure.MinimumN || Forced(CellRef.Region) || respondents?.Region == true;
        var byMunicipality = units.GroupBy(u => u.Municipality, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        // Respondents are counted over units known to have some: every hidden one holds at least one.
        var nonEmpty = family == Family.Rate;
        var municipalities = Hidden(byMunicipality.Select(m => new DisclosureCell<string>(m.Key, m.First().MunicipalityName, m.Sum(u => u.N),
            region || respondents?.Municipalities.Contains(m.Key) == true || Forced(new CellRef(Level.Municipality, m.Key)))).ToList(), nonEmpty);
        var hiddenUnits = new HashSet<string>(StringComparer.Ordinal);
        foreach (var municipality in byMunicipality)
        {
            var hiddenMunicipality = municipalities.Contains(municipality.Key);
            hiddenUnits.UnionWith(Hidden(municipality.Select(u => new DisclosureCell<string>(u.Key, u.Name, u.N,
                hiddenMunicipality || respondents?.Units.Contains(u.Key) == true || Forced(new CellRef(Level.Unit, u.Key)))).ToList(), nonEmpty));
        }

        return new LineDecision(region, municipalities, hiddenUnits);
    }

    private static HashSet<string> Hidden(List<DisclosureCell<string>> cells, bool knownNonEmpty = false) =>
        new(Disclosure.Decide(cells, knownNonEmpty: knownNonEmpty).Where(d => d.Suppressed).Select(d => d.Key), StringComparer.Ordinal);

    /// <summary>
    /// The option groups of a background question (respondents who chose each option in the region) decided once for
    /// every item: the same respondents answer every item, so a group that is small or covers a small one is hidden on
    /// all items, or another item's cells would show its size. Filtered results are published for the region only.
    /// </summary>
    private static FilterDecision OptionGroups(GroupCounts counts, Arviointi.Surveys.SurveyItem background, LineDecision respondents)
    {
        var options = background.Options.Count;
        var slot = counts.BackgroundSlots[background.Id];
        var sizes = counts.Municipalities.Select(m => (IReadOnlyList<int>)[.. Enumerable.Range(0, options + 1).Select(o => Enumerable.Range(m.Start, m.Length)
            .Count(r => counts.Ordered[r].Answers[slot] is var choice && (o < options ? choice == o + 1 : choice < 1 || choice > options)))]).ToList();
        var shownColumns = Enumerable.Range(0, options + 1).Select(c => c < options).ToList();
        var shown = Disclosure.DecideTable(sizes, shownColumns, [.. counts.Municipalities.Select(m => !respondents.Municipalities.Contains(m.Key))], Disclosure.FilterMinimumN);
        var regionSizes = Enumerable.Range(0, options + 1).Select(o => sizes.Sum(row => row[o])).ToList();
        var regionShown = Disclosure.DecideTable([regionSizes], shownColumns, [!respondents.Region], Disclosure.FilterMinimumN)[0];
        return new FilterDecision(shown, regionShown);
    }

    private static FilterDecision Filter(GroupCounts counts, Arviointi.Surveys.SurveyItem background, string itemId, LineDecision unfiltered, IReadOnlySet<ForcedCell> forced, FilterDecision groups)
    {
        var byteCounts = counts.FilterCounts(background, itemId);
        var options = background.Options.Count;
        var n = byteCounts.Select(row => (IReadOnlyList<int>)[.. row.Select(GroupCounts.ScaleN)]).ToList();
        var shownColumns = Enumerable.Range(0, options + 1).Select(c => c < options).ToList();
        var shown = counts.Municipalities.Select(_ => new bool[options + 1]).ToArray();
        var regionN = Enumerable.Range(0, options + 1).Select(o => n.Sum(row => row[o])).ToList();
        var regionForced = Enumerable.Range(0, options + 1).Select(o => o < options && (!groups.RegionShown[o] || forced.Contains(new ForcedCell(Family.Filter, itemId, background.Options[o].Id, CellRef.Region)))).ToList();
        var regionShown = Disclosure.DecideTable([regionN], shownColumns, [!unfiltered.Region], Disclosure.FilterMinimumN, [regionForced])[0];
        return new FilterDecision(shown, regionShown);
    }

    /// <summary>
    /// Adds to <paramref name="forced"/> the cell that gives a disclosed cell more cover: the smallest shown cell of its
    /// line (its municipality's units, the region's municipalities, a filtered row or column), or its parent when the
    /// line has nothing left to hide. Returns false when nothing can be added.
    /// </summary>
    public static bool Cover(GroupCounts counts, GroupDecisions decisions, HiddenCell disclosed, ISet<ForcedCell> forced)
    {
        ArgumentNullException.ThrowIfNull(disclosed);
        var family = disclosed.Family;
        if (family == Family.Filter)
        {
            return CoverFiltered(counts, decisions, disclosed, forced);
        }

        // An item's or area's cell is no better hidden than its respondents (its n is at most theirs): cover those too.
        var coveredRespondents = family != Family.Rate && disclosed.Cell.Level != Level.Region
            && Cover(counts, decisions, disclosed with { Family = Family.Rate, Item = null }, forced);
        var item = disclosed.Item;
        var line = family switch
        {
            Family.Rate => decisions.Rates,
            Family.Item => decisions.Items[item!],
            _ => decisions.Areas[item!],
        };
        var cells = Cells(counts, family, item);
        var cell = disclosed.Cell;
        if (cell.Level == Level.Unit)
        {
            var municipality = cells.First(u => u.Key == cell.Key).Municipality;
            var partner = cells.Where(u => u.Municipality == municipality && !line.Units.Contains(u.Key) && u.N > 0).MinBy(u => u.N);
            return forced.Add(new ForcedCell(family, item, null, partner is null ? new CellRef(Level.Municipality, municipality) : new CellRef(Level.Unit, partner.Key))) | coveredRespondents;
        }

        if (cell.Level == Level.Municipality)
        {
            var partner = cells.GroupBy(u => u.Municipality).Where(m => !line.Municipalities.Contains(m.Key) && m.Sum(u => u.N) > 0).MinBy(m => m.Sum(u => u.N));
            return forced.Add(new ForcedCell(family, item, null, partner is null ? CellRef.Region : new CellRef(Level.Municipality, partner.Key))) | coveredRespondents;
        }

        return false;
    }

    private static bool CoverFiltered(GroupCounts counts, GroupDecisions decisions, HiddenCell disclosed, ISet<ForcedCell> forced)
    {
        var itemId = disclosed.Item!;
        var decision = decisions.Filters[(disclosed.Background!, itemId)];
        var background = counts.Backgrounds.First(b => b.Id == disclosed.Background);
        var byteCounts = counts.FilterCounts(background, itemId);
        var option = background.Options.ToList().FindIndex(o => o.Id == disclosed.Option);
        var options = background.Options.Count;
        if (disclosed.Cell.Level == Level.Region)
        {
            var regionN = Enumerable.Range(0, options).Select(o => byteCounts.Sum(row => GroupCounts.ScaleN(row[o]))).ToList();
            var partner = Enumerable.Range(0, options).Where(o => decision.RegionShown[o] && regionN[o] > 0).OrderBy(o => regionN[o]).Cast<int?>().FirstOrDefault();
            if (partner is { } p)
            {
                return forced.Add(new ForcedCell(Family.Filter, itemId, background.Options[p].Id, CellRef.Region));
            }

            // Nothing left to hide with it on this item: the background question gives no filtered results at all.
            var added = false;
            foreach (var item in counts.Items)
            {
                foreach (var each in background.Options)
                {
                    added |= forced.Add(new ForcedCell(Family.Filter, item.Id, each.Id, CellRef.Region));
                }
            }

            return added;
        }

        var m = counts.Municipalities.ToList().FindIndex(s => s.Key == disclosed.Cell.Key);
        var inRow = Enumerable.Range(0, options).Where(o => decision.Shown[m][o] && GroupCounts.ScaleN(byteCounts[m][o]) > 0).OrderBy(o => GroupCounts.ScaleN(byteCounts[m][o])).Cast<int?>().FirstOrDefault();
        if (inRow is { } o)
        {
            return forced.Add(new ForcedCell(Family.Filter, itemId, background.Options[o].Id, disclosed.Cell));
        }

        var inColumn = Enumerable.Range(0, counts.Municipalities.Count).Where(r => decision.Shown[r][option] && GroupCounts.ScaleN(byteCounts[r][option]) > 0).OrderBy(r => GroupCounts.ScaleN(byteCounts[r][option])).Cast<int?>().FirstOrDefault();
        if (inColumn is { } r)
        {
            return forced.Add(new ForcedCell(Family.Filter, itemId, disclosed.Option, new CellRef(Level.Municipality, counts.Municipalities[r].Key)));
        }

        // The whole row is hidden already: hide the municipality's unfiltered figures, which the row adds up to.
        return forced.Add(new ForcedCell(Family.Item, itemId, null, disclosed.Cell));
    }
}
