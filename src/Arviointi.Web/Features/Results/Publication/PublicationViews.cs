using Arviointi.Audit;
using Arviointi.Surveys;
using Arviointi.Web.Features.OpenAnswers;

namespace Arviointi.Web.Features.Results.Publication;

/// <summary>Who is looking, as far as what they can fetch of a round differs.</summary>
internal enum ViewerKind
{
    /// <summary>
    /// Everything every reader of results can fetch, together (all pages, charts, reports, the API and response rates of
    /// every director and unit leader): the strongest reader of results, and what a regional administrator sees.
    /// </summary>
    Everything,

    /// <summary>A municipality's education director: the region and all municipalities side by side, the own municipality down to its units.</summary>
    Director,

    /// <summary>A unit leader: the region, the own municipality and the own unit.</summary>
    UnitLeader,

    /// <summary>
    /// An analyst with the research dataset (at its finest, with units) and everything every reader of results can fetch:
    /// whoever holds the dataset can be shown any page, so the dataset is audited with all of them.
    /// </summary>
    Analyst,
}

/// <summary>A viewer of a round's results.</summary>
/// <param name="Municipality">A director's or unit leader's municipality code.</param>
/// <param name="Unit">A unit leader's unit id.</param>
internal sealed record Viewer(ViewerKind Kind, string? Municipality = null, string? Unit = null)
{
    public static readonly Viewer Everything = new(ViewerKind.Everything);

    public static readonly Viewer Analyst = new(ViewerKind.Analyst);

    public override string ToString() => Kind switch
    {
        ViewerKind.Director => $"director of {Municipality}",
        ViewerKind.UnitLeader => $"unit leader of {Unit} ({Municipality})",
        ViewerKind.Analyst => "analyst with everything together",
        _ => "everything together",
    };
}

/// <summary>
/// What each viewer can fetch of a stored snapshot, in the terms the disclosure audit reads (<see cref="Arviointi.Audit.Publication"/>).
/// The scopes are those the pages, charts, the PDF report, the results API and the response-rate page apply
/// (<see cref="Identity.Scope"/>); the research dataset is given as the counts its rows reveal.
/// </summary>
internal static class PublicationViews
{
    public static readonly Precision Precision = new(SharePercentDecimals: 0, MeanDecimals: 2, DesignEffectDecimals: 2);

    /// <param name="datasets">Each group's research dataset as its counts (<see cref="Export.DatasetTallies"/>), for the analyst.</param>
    /// <param name="open">Every unit's number of answers to each open question, for the lists of open answers the viewer reads.</param>
    public static Arviointi.Audit.Publication Of(RoundResults results, Viewer viewer, IReadOnlyDictionary<RespondentGroup, PublishedDataset>? datasets = null, IReadOnlyList<OpenAnswered>? open = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(viewer);
        return new Arviointi.Audit.Publication(viewer.ToString(), Precision, [.. results.Groups.Select(g => Group(g, viewer, datasets?.GetValueOrDefault(g.Group), open))]);
    }

    private static PublishedGroup Group(GroupResults group, Viewer viewer, PublishedDataset? dataset, IReadOnlyList<OpenAnswered>? open)
    {
        var kind = viewer.Kind;
        var seesAll = kind is ViewerKind.Everything or ViewerKind.Analyst;
        bool SeesMunicipality(string code) => seesAll || kind == ViewerKind.Director || (kind == ViewerKind.UnitLeader && code == viewer.Municipality);
        bool SeesUnit(string key, string? municipality) => seesAll || (kind == ViewerKind.Director && municipality == viewer.Municipality) || (kind == ViewerKind.UnitLeader && key == viewer.Unit);

        var rates = group.Rates;
        var units = rates is null
            ? group.Items.SelectMany(i => i.Units).DistinctBy(u => u.Key).Select(u => new PublishedUnit(u.Key, u.MunicipalityCode!, null)).ToList()
            : rates.Cells.Where(c => c.IsUnit).Select(c => new PublishedUnit(c.Key, c.MunicipalityCode!, c.Enrolment)).ToList();

        PublishedCell Cell(Cell cell, Level level) => new(new CellRef(level, cell.Key), cell.Figures is { } f ? Figures(f) : null);
        List<PublishedCell> ItemCells(ItemResults item) =>
        [
            Cell(item.Region, Level.Region),
            .. item.Municipalities.Where(m => SeesMunicipality(m.Key)).Select(m => Cell(m, Level.Municipality)),
            .. item.Units.Where(u => SeesUnit(u.Key, u.MunicipalityCode)).Select(u => Cell(u, Level.Unit)),
        ];
        PublishedAreaCell AreaCell(AreaCell cell, Level level) => new(new CellRef(level, cell.Key), cell.Figures?.N, cell.Figures?.Mean);

        var published = new PublishedGroup(group.Group.ToString(), units, [.. group.Items.Select(i => new PublishedItem(i.ItemId, ItemCells(i)))])
        {
            Areas = [.. (group.Areas ?? []).Select(a => new PublishedArea(a.Area, [.. group.Items.Where(i => i.Area == a.Area).Select(i => i.ItemId)],
                [AreaCell(a.Region, Level.Region), .. a.Municipalities.Where(m => SeesMunicipality(m.Key)).Select(m => AreaCell(m, Level.Municipality)), .. a.Units.Where(u => SeesUnit(u.Key, u.MunicipalityCode)).Select(u => AreaCell(u, Level.Unit))]))],
            Filters = [.. (group.Filters ?? []).Select(f => new PublishedFilter(f.BackgroundItemId, [.. f.Options.Select(o => o.OptionId)],
                [.. f.Options.SelectMany(o => o.Items.SelectMany(i => new[] { Filtered(i.ItemId, o.OptionId, i.Region, Level.Region) }
                    .Concat(i.Municipalities.Where(m => SeesMunicipality(m.Key)).Select(m => Filtered(i.ItemId, o.OptionId, m, Level.Municipality)))))]))],
            Rates = rates is not null ? Rates(rates, viewer) : null,
            Dataset = kind == ViewerKind.Analyst ? dataset : null,

            // The open answers' page: the coordinator reads any list, a director the own municipality's, a unit leader the own unit's.
            OpenLists = open is not null
                ? [.. OpenAnswerRules.Lists(group, open).Where(l => seesAll
                    || (kind == ViewerKind.Director && l.Cell == new CellRef(Level.Municipality, viewer.Municipality!))
                    || (kind == ViewerKind.UnitLeader && l.Cell == new CellRef(Level.Unit, viewer.Unit!)))]
                : [],
        };
        return published;
    }

    private static PublishedFilterCell Filtered(string itemId, string option, Cell cell, Level level) =>
        new(itemId, option, new CellRef(level, cell.Key), cell.Figures is { } f ? Figures(f) : null);

    private static PublishedFigures Figures(Figures f) => new(
        f.N,
        f.CantSay,
        f.Counts,
        double.IsFinite(f.AgreeShare) ? f.AgreeShare : null,
        double.IsFinite(f.Mean) ? f.Mean : null,
        f.Weighted is { Strata: { } strata } w ? new PublishedWeighting(w.Share, w.DesignEffect, strata) : null);

    /// <summary>The response-rate rows a viewer sees: an administrator all, a director the own municipality and its units, a unit leader the own unit and municipality.</summary>
    private static PublishedRates Rates(RateResults rates, Viewer viewer)
    {
        bool Sees(RateCell c) => viewer.Kind switch
        {
            ViewerKind.Everything or ViewerKind.Analyst => true,
            ViewerKind.Director => c.Key == "region" || (c.Key == viewer.Municipality && !c.IsUnit) || (c.IsUnit && c.MunicipalityCode == viewer.Municipality),
            ViewerKind.UnitLeader => (c.Key == viewer.Municipality && !c.IsUnit) || (c.IsUnit && c.Key == viewer.Unit),
            _ => false,
        };
        CellRef Ref(RateCell c) => c.Key == "region" ? CellRef.Region : new CellRef(c.IsUnit ? Level.Unit : Level.Municipality, c.Key);

        var cells = rates.Cells.Where(Sees).Select(c => new PublishedRate(Ref(c), c.Respondents, c.UnderHalf)).ToList();
        var visibleKeys = rates.Cells.Where(Sees).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var days = rates.Series.SelectMany(s => s.Days).Select(d => d.Date).Distinct().Order().ToList();
        var series = rates.Series.Where(s => visibleKeys.Contains(s.Key))
            .Select(s => new PublishedSeries(s.Key == "region" ? CellRef.Region : new CellRef(Level.Municipality, s.Key),
                [.. days.Select(d => s.Days.FirstOrDefault(x => x.Date == d)?.Respondents)]))
            .ToList();
        return new PublishedRates(cells, series);
    }
}
