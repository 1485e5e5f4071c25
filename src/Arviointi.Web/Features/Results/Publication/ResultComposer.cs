using Arviointi.Statistics;
using Arviointi.Surveys;
using Arviointi.Web.Features.Organisation;

namespace Arviointi.Web.Features.Results.Publication;

/// <summary>A unit's daily respondents as the rate recorder stored them.</summary>
internal sealed record DailyCount(int UnitId, DateOnly Date, int Responses);

/// <summary>
/// Makes a group's published figures from its counts and the publication model's decisions: nothing here decides what
/// is hidden, and everything here is rounded as published (<see cref="Published"/>).
/// </summary>
internal static class ResultComposer
{
    public static GroupResults Compose(GroupCounts counts, GroupDecisions decisions, GroupResults? previous, int? previousYear, IReadOnlyList<DailyCount> daily)
    {
        var items = counts.Items.Select(item => ComposeItem(counts, item, decisions.Items[item.Id], previous, previousYear)).ToList();
        var areas = counts.Areas.Select(area => ComposeArea(counts, area, decisions.Areas[area.Area])).ToList();
        var filters = counts.Backgrounds.Select(b => ComposeFilter(counts, b, decisions)).ToList();
        return new GroupResults(counts.Group, counts.Definition.Id, counts.Version.Id, items, areas, filters, ComposeRates(counts, decisions.Rates, daily));
    }

    private static ItemResults ComposeItem(GroupCounts counts, SurveyItem item, LineDecision hidden, GroupResults? previous, int? previousYear)
    {
        var before = previous?.Items.FirstOrDefault(p => p.ItemId == item.Id || (item.Comparable && p.ItemId == item.Replaces));
        var municipalityCells = counts.Municipalities.Select(m => new CountedCell<string>(m.Key, counts.MunicipalityOf(m).NameFi, counts.Sum(item.Id, counts.UnitsOf(m.Key)), hidden.Municipalities.Contains(m.Key))).ToList();
        var comparison = Compare(municipalityCells);
        Cell region;
        if (hidden.Region)
        {
            region = new Cell("region", Region.NameFi, null, true, null);
        }
        else
        {
            var figures = FiguresOf(comparison.Total, comparison.TotalScaleCounts) with { Weighted = RegionWeightedOf(counts, item.Id, hidden) };
            region = new Cell("region", Region.NameFi, null, false, figures, null, ChangeOf(comparison.Total, comparison.TotalScaleCounts, before?.Region, previousYear));
        }

        var municipalities = comparison.Cells.Select(c => ToCell(c, c.Key, before?.Municipalities.FirstOrDefault(m => m.Key == c.Key), previousYear)).Select(c => c.Figures is { } f
            ? c with { Figures = f with { Weighted = WeightedOf(counts, item.Id, [.. counts.UnitsOf(c.Key)], u => hidden.Units.Contains(counts.Units[u].Key)) } }
            : c).ToList();

        // Units are compared within their municipality, against the rest of it.
        var units = counts.Municipalities.SelectMany(m => Compare([.. counts.UnitsOf(m.Key).Select(u => new CountedCell<string>(counts.Units[u].Key, counts.UnitOf(counts.Units[u]).Name, counts.UnitCounts[item.Id][u], hidden.Units.Contains(counts.Units[u].Key)))])
            .Cells.Select(c => ToCell(c, m.Key, null, null))).ToList();
        var history = before is null ? null : (IReadOnlyList<HistoryPoint>)[.. before.History ?? [], HistoryOf(before, previousYear!.Value)];
        return new ItemResults(item.Id, item.Area, item.Text.Values, region, municipalities, units, comparison.KruskalWallis, history);
    }

    /// <summary>
    /// <see cref="Comparison.Compare"/> with the model's hidden cells, and the rank tests (Mann–Whitney, Holm, Kruskal–Wallis)
    /// only among cells of at least <see cref="Figures.DetailMinimumN"/> answers, whose distributions are shown.
    /// </summary>
    private static (LikertSummary Total, int[] TotalScaleCounts, IReadOnlyList<ComparedCell<string>> Cells, KruskalWallisFigures? KruskalWallis) Compare(List<CountedCell<string>> cells)
    {
        var comparison = Comparison.Compare(cells);
        var hiddenByModel = cells.Where(c => c.Forced).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var hiddenByComparison = comparison.Cells.Where(c => c.Suppressed).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        if (!hiddenByComparison.SetEquals(hiddenByModel))
        {
            throw new InvalidOperationException($"The comparison hid {string.Join(", ", hiddenByComparison)} where the publication model hid {string.Join(", ", hiddenByModel)}.");
        }

        var detailed = comparison.Cells.Where(c => !c.Suppressed && c.Summary!.N >= Figures.DetailMinimumN).ToList();
        var holm = Holm.Adjust(detailed.Select(c => c.VsRest!.MannWhitneyP).ToArray());
        var holmOf = detailed.Select((c, i) => (c.Key, P: holm[i])).ToDictionary(p => p.Key, p => p.P, StringComparer.Ordinal);
        var result = comparison.Cells.Select(c => c.Suppressed ? c : c with
        {
            VsRest = holmOf.ContainsKey(c.Key) ? c.VsRest : c.VsRest! with { MannWhitneyP = double.NaN, CliffsDelta = double.NaN },
            HolmP = holmOf.TryGetValue(c.Key, out var p) ? p : double.NaN,
        }).ToList();
        var kw = detailed.Count >= 2 ? KruskalWallis.Test(detailed.Select(c => c.ScaleCounts!.ToArray()).ToArray()) : null;
        return (comparison.Total, comparison.TotalScaleCounts.ToArray(), result, kw is null ? null : new KruskalWallisFigures(kw.H, kw.Df, kw.P));
    }

    private static Cell ToCell(ComparedCell<string> c, string municipalityCode, Cell? before, int? previousYear)
    {
        if (c.Suppressed)
        {
            return new Cell(c.Key, c.Name, municipalityCode, true, null);
        }

        var vs = c.VsRest!;
        return new Cell(c.Key, c.Name, municipalityCode, false, FiguresOf(c.Summary!, c.ScaleCounts!),
            new RestComparison(Published.Share(vs.AgreeDifference), Published.Share(vs.AgreeDifferenceCi.Lower), Published.Share(vs.AgreeDifferenceCi.Upper), vs.MannWhitneyP, c.HolmP ?? double.NaN, Published.Decimal(vs.CliffsDelta)),
            ChangeOf(c.Summary!, c.ScaleCounts!, before, previousYear));
    }

    /// <summary>A shown cell's figures as published; a small cell shows n, share agreeing with its interval, and mean only.</summary>
    private static Figures FiguresOf(LikertSummary s, IReadOnlyList<int> counts)
    {
        if (s.N < Figures.DetailMinimumN)
        {
            return new Figures(s.N, null, Published.Decimal(s.Mean), double.NaN, double.NaN, double.NaN, Published.Share(s.AgreeShare), Published.Share(s.AgreeCi.Lower), Published.Share(s.AgreeCi.Upper));
        }

        return new Figures(s.N, s.CantSay, Published.Decimal(s.Mean), Published.Decimal(s.Sd), Published.Decimal(s.MeanCi.Lower), Published.Decimal(s.MeanCi.Upper),
            Published.Share(s.AgreeShare), Published.Share(s.AgreeCi.Lower), Published.Share(s.AgreeCi.Upper), [.. counts]);
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
        return new Change(year, then.N, then.AgreeShare, Published.Share(((double)agreeing / now.N) - ((double)then.Agreeing / then.N)), Published.Share(interval.Lower), Published.Share(interval.Upper));
    }

    /// <summary>
    /// The share agreeing post-stratified to the units' enrolment (<see cref="PostStratification.StratifiedShare"/>), each
    /// shown unit a stratum of its own and the hidden units one stratum together, so that the weighting cannot tell hidden
    /// units apart. Null when a unit with answers has no enrolment figure, since its weight is then unknown. The interval
    /// is made from the published share and design effect, so it tells nothing more.
    /// </summary>
    private static WeightedFigures? WeightedOf(GroupCounts counts, string itemId, List<int> units, Func<int, bool> hidden)
    {
        if (units.Any(u => GroupCounts.ScaleN(counts.UnitCounts[itemId][u]) > 0 && counts.Enrolment.GetValueOrDefault(counts.UnitOf(counts.Units[u]).Id) <= 0))
        {
            return null;
        }

        // Every hidden unit joins the pooled stratum, with answers or without: which hidden unit had none is hidden too.
        var strata = units.Where(u => !hidden(u) && GroupCounts.ScaleN(counts.UnitCounts[itemId][u]) > 0).Select(u => (IReadOnlyList<int>)[u]).ToList();
        var pooled = units.Where(u => hidden(u) && counts.Enrolment.GetValueOrDefault(counts.UnitOf(counts.Units[u]).Id) > 0).ToList();
        if (pooled.Count > 0 && pooled.Sum(u => GroupCounts.ScaleN(counts.UnitCounts[itemId][u])) > 0)
        {
            strata.Add(pooled);
        }

        var respondents = strata.Select(s => s.Sum(u => GroupCounts.ScaleN(counts.UnitCounts[itemId][u]))).ToArray();
        var agreeing = strata.Select(s => s.Sum(u => counts.UnitCounts[itemId][u][4] + counts.UnitCounts[itemId][u][5])).ToArray();
        var enrolled = strata.Select(s => s.Sum(u => counts.Enrolment.GetValueOrDefault(counts.UnitOf(counts.Units[u]).Id))).ToArray();
        if (PostStratification.StratifiedShare(respondents, agreeing, enrolled) is not { } estimate)
        {
            return null;
        }

        var share = Published.Share(estimate.Share);
        var designEffect = Published.Decimal(estimate.DesignEffect);
        var effectiveN = Math.Round(respondents.Sum() / designEffect);
        var ci = Wilson.Interval(share, effectiveN);
        return new WeightedFigures(share, Published.Share(ci.Lower), Published.Share(ci.Upper), designEffect, effectiveN,
            [.. strata.Select(s => (IReadOnlyList<string>)[.. s.Select(u => counts.Units[u].Key)])]);
    }

    /// <summary>
    /// The region's share agreeing post-stratified by municipality: each shown municipality a stratum weighted by its
    /// units' enrolment, the hidden municipalities one stratum together. Stratifying by unit here would tie every hidden
    /// unit of the region into one equation with every other; by municipality it tells nothing the municipalities'
    /// own figures do not.
    /// </summary>
    private static WeightedFigures? RegionWeightedOf(GroupCounts counts, string itemId, LineDecision hidden)
    {
        var all = counts.Units.Select((u, i) => (Unit: counts.UnitOf(u), Index: (int?)i)).Concat(counts.Silent.Select(u => (Unit: u, Index: (int?)null))).ToList();
        if (all.Any(u => u.Index is { } i && GroupCounts.ScaleN(counts.UnitCounts[itemId][i]) > 0 && counts.Enrolment.GetValueOrDefault(u.Unit.Id) <= 0))
        {
            return null;
        }

        var strata = all.GroupBy(u => hidden.Municipalities.Contains(u.Unit.MunicipalityCode) ? "" : u.Unit.MunicipalityCode, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToList()).ToList();
        int[] Counts(List<(Organisation.Unit Unit, int? Index)> stratum) => counts.Sum(itemId, stratum.Where(u => u.Index is not null).Select(u => u.Index!.Value));
        var respondents = strata.Select(s => GroupCounts.ScaleN(Counts(s))).ToArray();
        var agreeing = strata.Select(s => Counts(s)[4] + Counts(s)[5]).ToArray();
        var enrolled = strata.Select(s => s.Sum(u => counts.Enrolment.GetValueOrDefault(u.Unit.Id))).ToArray();
        if (respondents.Zip(enrolled).Any(p => p.First > 0 && p.Second <= 0) || PostStratification.StratifiedShare(respondents, agreeing, enrolled) is not { } estimate)
        {
            return null;
        }

        var share = Published.Share(estimate.Share);
        var designEffect = Published.Decimal(estimate.DesignEffect);
        var effectiveN = Math.Round(respondents.Sum() / designEffect);
        var ci = Wilson.Interval(share, effectiveN);
        return new WeightedFigures(share, Published.Share(ci.Lower), Published.Share(ci.Upper), designEffect, effectiveN,
            [.. strata.Where((s, i) => respondents[i] > 0).Select(s => (IReadOnlyList<string>)[.. s.Select(u => u.Unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))])]);
    }

    private static HistoryPoint HistoryOf(ItemResults item, int year) => new(
        year,
        item.Region.Figures is { } r ? ShareOf(r) : null,
        item.Municipalities.Where(m => m.Figures is not null).ToDictionary(m => m.Key, m => ShareOf(m.Figures!), StringComparer.Ordinal));

    private static ShareFigures ShareOf(Figures f) => new(f.N, f.AgreeShare, f.AgreeLower, f.AgreeUpper);

    private static AreaResults ComposeArea(GroupCounts counts, AreaIndex area, LineDecision hidden)
    {
        AreaCell Of(string key, string name, string? municipality, bool isHidden, ReadOnlySpan<double> indices) =>
            isHidden ? new AreaCell(key, name, municipality, true, null) : new AreaCell(key, name, municipality, false, IndexOf(Descriptive.Summarize(indices)));
        var region = Of("region", Region.NameFi, null, hidden.Region, area.Indices);
        var municipalities = counts.Municipalities.Select(m => Of(m.Key, counts.MunicipalityOf(m).NameFi, m.Key, hidden.Municipalities.Contains(m.Key), area.Indices.AsSpan(m.Start, m.Length))).ToList();
        var units = counts.Units.Select(u => Of(u.Key, counts.UnitOf(u).Name, counts.UnitOf(u).MunicipalityCode, hidden.Units.Contains(u.Key), area.Indices.AsSpan(u.Start, u.Length))).ToList();
        return new AreaResults(area.Area, area.ItemIds.Count, Published.Decimal(area.Alpha.Alpha), area.Alpha.CompleteCases, region, municipalities, units);
    }

    private static IndexFigures IndexOf(MeanSummary s) =>
        new(s.N, Published.Decimal(s.Mean), Published.Decimal(s.Sd), Published.Decimal(s.MeanCi.Lower), Published.Decimal(s.MeanCi.Upper));

    private static FilterResults ComposeFilter(GroupCounts counts, SurveyItem background, GroupDecisions decisions)
    {
        var options = background.Options.Count;
        var filtered = Enumerable.Range(0, options).Select(_ => new List<FilteredItem>()).ToList();
        foreach (var item in counts.Items)
        {
            var decision = decisions.Filters[(background.Id, item.Id)];
            var byteCounts = counts.FilterCounts(background, item.Id);
            for (var o = 0; o < options; o++)
            {
                var regionCounts = new int[Likert.CantSay + 1];
                foreach (var row in byteCounts)
                {
                    for (var b = 0; b < regionCounts.Length; b++)
                    {
                        regionCounts[b] += row[o][b];
                    }
                }

                // Filtered results are published for the region only (docs/privacy.md): a municipality's respondents of one
                // option are too few to protect across every item.
                filtered[o].Add(new FilteredItem(item.Id, FilteredCell("region", Region.NameFi, null, regionCounts, decision.RegionShown[o]), []));
            }
        }

        return new FilterResults(background.Id, background.Text.Values, [.. background.Options.Select((option, o) => new FilterOption(option.Id, option.Label.Values, filtered[o]))]);
    }

    /// <summary>A filtered cell: hidden, an explicit zero (no answers, which reveals nobody), or figures of at least ten answers.</summary>
    private static Cell FilteredCell(string key, string name, string? municipalityCode, int[] counts, bool shown)
    {
        if (!shown)
        {
            return new Cell(key, name, municipalityCode, true, null);
        }

        int[] scale = [counts[1], counts[2], counts[3], counts[4], counts[5]];
        var n = GroupCounts.ScaleN(counts);
        return n == 0
            ? new Cell(key, name, municipalityCode, false, new Figures(0, null, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN))
            : new Cell(key, name, municipalityCode, false, FiguresOf(Likert.SummarizeCounts(scale, counts[Likert.CantSay]), scale));
    }

    private static RateResults ComposeRates(GroupCounts counts, LineDecision hidden, IReadOnlyList<DailyCount> daily) =>
        ResponseRates.RatePublisher.Compose(
            [.. counts.Units.Select(u => counts.UnitOf(u)).Select((unit, i) => new ResponseRates.RateUnit(unit, counts.Units[i].Length, counts.Enrolment.TryGetValue(unit.Id, out var e) ? e : null)),
             .. counts.Silent.Select(unit => new ResponseRates.RateUnit(unit, 0, counts.Enrolment.TryGetValue(unit.Id, out var e) ? e : null))],
            hidden,
            daily);
}

/// <summary>The precision every published figure has, on pages, in charts, the PDF and the API alike.</summary>
internal static class Published
{
    /// <summary>A share (or difference of shares) to whole per cent.</summary>
    public static double Share(double share) => double.IsFinite(share) ? Math.Round(share, 2, MidpointRounding.AwayFromZero) : share;

    /// <summary>A mean, deviation or coefficient to two decimals.</summary>
    public static double Decimal(double value) => double.IsFinite(value) ? Math.Round(value, 2, MidpointRounding.AwayFromZero) : value;
}
