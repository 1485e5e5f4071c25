namespace Arviointi.Audit;

/// <summary>The level of a cell in the region's hierarchy.</summary>
public enum Level
{
    /// <summary>The whole region.</summary>
    Region,

    /// <summary>One municipality (key: its code).</summary>
    Municipality,

    /// <summary>One unit (key: the unit's id).</summary>
    Unit,
}

/// <summary>Which respondents a cell covers: the region, a municipality or a unit.</summary>
/// <param name="Level">The level.</param>
/// <param name="Key">"region", a municipality code or a unit key.</param>
public sealed record CellRef(Level Level, string Key)
{
    /// <summary>The whole region.</summary>
    public static readonly CellRef Region = new(Level.Region, "region");

    /// <inheritdoc/>
    public override string ToString() => Level == Level.Region ? "region" : $"{Level.ToString().ToLowerInvariant()} {Key}";
}

/// <summary>The family of figures a hidden cell belongs to.</summary>
public enum Family
{
    /// <summary>An item's answers per region, municipality or unit.</summary>
    Item,

    /// <summary>A quality area's index.</summary>
    Area,

    /// <summary>An item's answers among those who chose one option of a background question.</summary>
    Filter,

    /// <summary>Respondents (response rates).</summary>
    Rate,
}

/// <summary>A hidden cell as the reader names it, so that whoever decides the hiding can act on the audit.</summary>
/// <param name="Family">Which figures.</param>
/// <param name="Group">Respondent group.</param>
/// <param name="Cell">Region, municipality or unit.</param>
/// <param name="Item">The item (or quality area) id; null for response rates.</param>
/// <param name="Option">The background option of a filtered cell.</param>
/// <param name="Background">The background question of a filtered cell.</param>
public sealed record HiddenCell(Family Family, string Group, CellRef Cell, string? Item = null, string? Option = null, string? Background = null);

/// <summary>How published figures are rounded; the reader widens each into the interval it stands for.</summary>
/// <param name="SharePercentDecimals">Decimals of a share in per cent (0: whole per cent).</param>
/// <param name="MeanDecimals">Decimals of a mean.</param>
/// <param name="DesignEffectDecimals">Decimals of a design effect.</param>
public sealed record Precision(int SharePercentDecimals = 0, int MeanDecimals = 2, int DesignEffectDecimals = 2)
{
    /// <summary>Half of the last published digit of a share (as a fraction).</summary>
    public double ShareHalfUnit => 0.5 * Math.Pow(10, -SharePercentDecimals) / 100;

    /// <summary>Half of the last published digit of a mean.</summary>
    public double MeanHalfUnit => 0.5 * Math.Pow(10, -MeanDecimals);

    /// <summary>Half of the last published digit of a design effect.</summary>
    public double DesignEffectHalfUnit => 0.5 * Math.Pow(10, -DesignEffectDecimals);
}

/// <summary>
/// Everything one viewer can fetch of a round, in the terms a reader of pages, charts, reports, the API, response
/// rates and exports has: which units answered, and every published figure. Cells out of the viewer's scope are left
/// out; hidden cells are present with no figures.
/// </summary>
/// <param name="Viewer">Who is looking, e.g. "director 398".</param>
/// <param name="Precision">How figures are rounded.</param>
/// <param name="Groups">One per respondent group of the round.</param>
public sealed record Publication(string Viewer, Precision Precision, IReadOnlyList<PublishedGroup> Groups);

/// <summary>One respondent group's published figures.</summary>
/// <param name="Group">The group's code.</param>
/// <param name="Units">The units with respondents in the group, with their municipality and enrolment where known.</param>
/// <param name="Items">Each item's cells.</param>
public sealed record PublishedGroup(string Group, IReadOnlyList<PublishedUnit> Units, IReadOnlyList<PublishedItem> Items)
{
    /// <summary>Quality-area indices.</summary>
    public IReadOnlyList<PublishedArea> Areas { get; init; } = [];

    /// <summary>Items by the options of background questions.</summary>
    public IReadOnlyList<PublishedFilter> Filters { get; init; } = [];

    /// <summary>Response rates, if the viewer can see them.</summary>
    public PublishedRates? Rates { get; init; }

    /// <summary>The research dataset, if the viewer can download it, as the counts its rows reveal.</summary>
    public PublishedDataset? Dataset { get; init; }

    /// <summary>The lists of open answers the viewer can read, as the numbers of answers they show.</summary>
    public IReadOnlyList<PublishedOpenList> OpenLists { get; init; } = [];
}

/// <summary>
/// A list of answers to an open question, read as its number of answers: a unit's, or a municipality's holding the
/// answers of <paramref name="Units"/>. The reader is given the units a list holds and every answer withheld from it
/// counted in, as if it knew them: stronger than a real reader, who sees only the texts.
/// </summary>
/// <param name="ItemId">The open question.</param>
/// <param name="Cell">Whose list: a unit or a municipality.</param>
/// <param name="Units">The units whose answers it holds.</param>
/// <param name="Answers">Their number of answers.</param>
/// <param name="LeftOut">
/// For a municipality's list that leaves out the answers of its small units (the page says so): those units, whose
/// answers are then between 1 and 9 together.
/// </param>
public sealed record PublishedOpenList(string ItemId, CellRef Cell, IReadOnlyList<string> Units, int Answers, IReadOnlyList<string>? LeftOut = null);

/// <summary>A unit with respondents.</summary>
/// <param name="Key">The unit's id.</param>
/// <param name="Municipality">Its municipality's code.</param>
/// <param name="Enrolment">Its enrolment of the group, when known to the reader.</param>
public sealed record PublishedUnit(string Key, string Municipality, int? Enrolment);

/// <summary>A shown cell's figures.</summary>
/// <param name="N">Answers 1–5.</param>
/// <param name="CantSay">"Can't say" answers, when shown.</param>
/// <param name="Counts">Answers 1–5 one by one, when shown (distribution charts).</param>
/// <param name="AgreeShare">Share of answers 4–5, rounded as <see cref="Precision"/> says.</param>
/// <param name="Mean">Mean of answers 1–5, rounded.</param>
/// <param name="Weighted">The share weighted to enrolment, when shown.</param>
public sealed record PublishedFigures(int N, int? CantSay, IReadOnlyList<int>? Counts, double? AgreeShare, double? Mean, PublishedWeighting? Weighted = null);

/// <summary>A post-stratified share and its design effect, with the strata it was computed over.</summary>
/// <param name="Share">Weighted share agreeing, rounded.</param>
/// <param name="DesignEffect">Kish's design effect, rounded.</param>
/// <param name="Strata">Unit keys of each stratum (hidden units are pooled into one).</param>
public sealed record PublishedWeighting(double Share, double DesignEffect, IReadOnlyList<IReadOnlyList<string>> Strata);

/// <summary>A cell of an item; <paramref name="Figures"/> null when hidden.</summary>
public sealed record PublishedCell(CellRef Cell, PublishedFigures? Figures);

/// <summary>An item's cells.</summary>
public sealed record PublishedItem(string ItemId, IReadOnlyList<PublishedCell> Cells);

/// <summary>A quality area's index cells; the index is each respondent's mean over the area's items, given to those who answered at least half of them.</summary>
public sealed record PublishedArea(string Area, IReadOnlyList<string> ItemIds, IReadOnlyList<PublishedAreaCell> Cells);

/// <summary>A quality-area cell: respondents with an index and their mean index; both null when hidden.</summary>
public sealed record PublishedAreaCell(CellRef Cell, int? N, double? Mean);

/// <summary>Items by the options of one background question, for the region and municipalities.</summary>
/// <param name="BackgroundItemId">The background question.</param>
/// <param name="Options">Its options (those who did not answer it form one more, never shown, group).</param>
/// <param name="Cells">Published cells.</param>
public sealed record PublishedFilter(string BackgroundItemId, IReadOnlyList<string> Options, IReadOnlyList<PublishedFilterCell> Cells);

/// <summary>One item among one option's respondents in the region or a municipality; <paramref name="Figures"/> null when hidden.</summary>
public sealed record PublishedFilterCell(string ItemId, string Option, CellRef Cell, PublishedFigures? Figures);

/// <summary>Response rates: respondents per cell and, for some cells, their daily development.</summary>
public sealed record PublishedRates(IReadOnlyList<PublishedRate> Cells, IReadOnlyList<PublishedSeries> Series);

/// <summary>A cell's respondents (null when hidden), and whether it is marked as under half of its enrolment.</summary>
public sealed record PublishedRate(CellRef Cell, int? Respondents, bool UnderHalf = false);

/// <summary>A cell's cumulative respondents per day of the round (null where not shown), days aligned to the end; no day exceeds the final count.</summary>
public sealed record PublishedSeries(CellRef Cell, IReadOnlyList<int?> Days);

/// <summary>
/// The research dataset (one row per respondent, its quasi-identifiers k-anonymised, values blanked where the pages hide
/// them) as the counts its rows reveal: rows tallied by what their columns say of the cells they fall in — their
/// municipality, their unit (one, the units of a size class, or any of the municipality's where it is suppressed), each
/// background question's option (one, several merged, or any) — and by each item's value.
/// </summary>
/// <param name="Units">Rows and values by municipality and unit.</param>
/// <param name="Options">Rows and values by municipality and the option of a background question.</param>
public sealed record PublishedDataset(IReadOnlyList<DatasetTally> Units, IReadOnlyList<DatasetOptionTally> Options);

/// <summary>Rows whose municipality and unit columns say the same, and, for an item, those of them with one value.</summary>
/// <param name="Municipality">The municipality's code; null where it is suppressed.</param>
/// <param name="Units">The units the rows can be of (one, or a size class's); null where the unit is suppressed.</param>
/// <param name="ItemId">The item whose values are counted; null to count the rows.</param>
/// <param name="Byte">The value as an answer byte (0 none, 1–5, 6 can't say), or <see cref="Blanked"/>.</param>
/// <param name="Rows">How many rows.</param>
public sealed record DatasetTally(string? Municipality, IReadOnlyList<string>? Units, string? ItemId, int Byte, int Rows)
{
    /// <summary>The value is blanked (suppressed, or hidden by the publication).</summary>
    public const int Blanked = -1;
}

/// <summary>Rows whose municipality and answer to one background question say the same, and, for an item, those with one value.</summary>
/// <param name="Municipality">The municipality's code; null where it is suppressed.</param>
/// <param name="BackgroundItemId">The background question.</param>
/// <param name="Options">The options the answer can be (one, or those merged into "other"); empty: not answered; null: suppressed.</param>
/// <param name="ItemId">The item whose values are counted; null to count the rows.</param>
/// <param name="Byte">The value as an answer byte, or <see cref="DatasetTally.Blanked"/>.</param>
/// <param name="Rows">How many rows.</param>
public sealed record DatasetOptionTally(string? Municipality, string BackgroundItemId, IReadOnlyList<string>? Options, string? ItemId, int Byte, int Rows);
