using System.Text.Json.Serialization;
using Arviointi.Surveys;

namespace Arviointi.Web.Features.Results;

/// <summary>
/// The stored results of one round: everything pages, charts, reports, the API, response rates and exports show of it,
/// decided together by the publication model and audited when the round closes (docs/privacy.md). After retention it
/// is the only record of the round, so its shape is a contract: <see cref="Format"/> says which, and
/// <see cref="SnapshotFormat"/> upgrades every earlier one.
/// </summary>
/// <param name="Previous">The sector's previous round whose snapshot the changes are measured against, if any.</param>
/// <param name="Format">The stored shape's version (<see cref="SnapshotFormat.Current"/> when made now).</param>
/// <param name="Audit">What the disclosure audit found when the snapshot was made.</param>
internal sealed record RoundResults(int RoundId, DateTimeOffset ComputedAt, IReadOnlyList<GroupResults> Groups, PreviousRound? Previous = null, int Format = SnapshotFormat.Current, AuditFigures? Audit = null)
{
    /// <summary>The format the snapshot was stored in, before any upgrade on reading (its parts have the same).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int StoredFormat { get; init; } = SnapshotFormat.Current;
}

internal sealed record PreviousRound(int RoundId, int Year);

/// <summary>The disclosure audit of the whole publication (every viewer's figures together, the strongest reader).</summary>
/// <param name="HiddenCells">Cells hidden, over all figure families.</param>
/// <param name="NarrowestSize">The narrowest range a reader can pin a hidden cell's n or respondents to; null when nothing is hidden.</param>
/// <param name="NarrowestCount">The narrowest range of a hidden answer count that does not reach down to zero; null when there is none.</param>
/// <param name="AddedCover">Cells hidden on the audit's finding, beyond the rules.</param>
/// <param name="Seconds">Time the audit took.</param>
internal sealed record AuditFigures(int HiddenCells, double? NarrowestSize, double? NarrowestCount, int AddedCover, double Seconds);

/// <param name="Rates">Respondents per region, municipality and unit with enrolment, as the response-rate page shows them.</param>
internal sealed record GroupResults(RespondentGroup Group, string SurveyId, int SurveyVersionId, IReadOnlyList<ItemResults> Items, IReadOnlyList<AreaResults>? Areas = null, IReadOnlyList<FilterResults>? Filters = null, RateResults? Rates = null);

/// <summary>The items again for the respondents who chose each option of a background question; no cell under ten answers.</summary>
internal sealed record FilterResults(string BackgroundItemId, IReadOnlyDictionary<string, string> Text, IReadOnlyList<FilterOption> Options);

internal sealed record FilterOption(string OptionId, IReadOnlyDictionary<string, string> Label, IReadOnlyList<FilteredItem> Items);

/// <param name="Region">The option's respondents across the region; hidden cells carry no figures, as everywhere.</param>
internal sealed record FilteredItem(string ItemId, Cell Region, IReadOnlyList<Cell> Municipalities);

/// <param name="KruskalWallis">Differences across the visible municipalities of at least ten answers; null with fewer than two.</param>
/// <param name="History">The item's regional and municipal shares in the sector's earlier rounds, oldest first.</param>
internal sealed record ItemResults(
    string ItemId,
    string Area,
    IReadOnlyDictionary<string, string> Text,
    Cell Region,
    IReadOnlyList<Cell> Municipalities,
    IReadOnlyList<Cell> Units,
    KruskalWallisFigures? KruskalWallis = null,
    IReadOnlyList<HistoryPoint>? History = null);

/// <summary>
/// One figure set for the region, a municipality or a unit. A hidden cell carries no figures at all, not even n, and
/// no reason: whether it is small or hidden to cover another would itself narrow it.
/// </summary>
/// <param name="VsRest">A municipality against the rest of the region (a unit against the rest of its municipality).</param>
/// <param name="Change">The change in the share agreeing since the previous round, when both rounds show the cell.</param>
internal sealed record Cell(
    string Key,
    string Name,
    string? MunicipalityCode,
    bool Suppressed,
    Figures? Figures,
    RestComparison? VsRest = null,
    Change? Change = null);

/// <summary>
/// A shown cell's figures, rounded as published: shares to whole per cent, means and deviations to two decimals. A
/// cell of fewer than <see cref="Figures.DetailMinimumN"/> answers shows only n, the share agreeing with its interval
/// and the mean: its distribution, deviation and can't-say count are NaN or null (docs/privacy.md).
/// </summary>
/// <param name="Counts">Answers 1–5 (index 0–4), for the distribution charts; null for a small cell.</param>
/// <param name="Weighted">The share agreeing weighted to the units' enrolment (region and municipalities; null where a unit lacks its figure).</param>
internal sealed record Figures(int N, int? CantSay, double Mean, double Sd, double MeanLower, double MeanUpper, double AgreeShare, double AgreeLower, double AgreeUpper, IReadOnlyList<int>? Counts = null, WeightedFigures? Weighted = null)
{
    /// <summary>Below this many answers a shown cell's distribution is not shown.</summary>
    public const int DetailMinimumN = 10;

    /// <summary>Answers 4–5: stored counts when there are, otherwise recovered from the share (exact under 50 answers).</summary>
    [JsonIgnore]
    public int Agreeing => Counts is { Count: 5 } c ? c[3] + c[4] : N == 0 ? 0 : (int)Math.Round(AgreeShare * N);
}

/// <summary>
/// The share agreeing with each unit's answers weighted to its enrolment, with a Wilson interval at Kish's effective
/// sample size; a design effect well above 1 means response activity differed much between units. Hidden units form
/// one stratum together, so the weighting adds nothing about any one of them.
/// </summary>
/// <param name="Strata">The unit ids of each stratum.</param>
internal sealed record WeightedFigures(double Share, double Lower, double Upper, double DesignEffect, double EffectiveN, IReadOnlyList<IReadOnlyList<string>>? Strata = null);

/// <summary>Difference of shares agreeing (this minus the rest) with Newcombe's interval, Mann–Whitney p, its Holm adjustment and Cliff's delta (NaN for a cell under ten answers).</summary>
internal sealed record RestComparison(double AgreeDiff, double Lower, double Upper, double MannWhitneyP, double HolmP, double CliffsDelta)
{
    public const double Alpha = 0.05;

    /// <summary>The cell differs from the rest when the Holm-adjusted p is under 0.05.</summary>
    [JsonIgnore]
    public bool Differs => HolmP < Alpha;
}

/// <summary>Share agreeing now minus in <see cref="PreviousYear"/>, with Newcombe's interval for independent samples.</summary>
internal sealed record Change(int PreviousYear, int PreviousN, double PreviousShare, double Diff, double Lower, double Upper)
{
    [JsonIgnore]
    public bool Significant => Lower > 0 || Upper < 0;
}

internal sealed record KruskalWallisFigures(double H, int Df, double P);

/// <summary>A share agreeing with its Wilson interval, as kept for trends.</summary>
internal sealed record ShareFigures(int N, double Share, double Lower, double Upper);

internal sealed record HistoryPoint(int Year, ShareFigures? Region, IReadOnlyDictionary<string, ShareFigures> Municipalities);

/// <summary>A quality area's index (each respondent's mean over the area's items) and its reliability.</summary>
internal sealed record AreaResults(string Area, int Items, double Alpha, int CompleteCases, AreaCell Region, IReadOnlyList<AreaCell> Municipalities, IReadOnlyList<AreaCell> Units);

internal sealed record AreaCell(string Key, string Name, string? MunicipalityCode, bool Suppressed, IndexFigures? Figures);

internal sealed record IndexFigures(int N, double Mean, double Sd, double Lower, double Upper);

/// <summary>Respondents of the group per region, municipality and unit, as the response-rate page shows them once the round has closed.</summary>
/// <param name="Series">Cumulative respondents per day for the region and, when no municipality is hidden, each municipality.</param>
internal sealed record RateResults(IReadOnlyList<RateCell> Cells, IReadOnlyList<RateSeries> Series);

/// <summary>One row of response rates; <paramref name="Respondents"/> is null when hidden.</summary>
/// <param name="Key">"region", a municipality code or a unit id.</param>
/// <param name="UnderHalf">Marked as under half of the enrolment (for a hidden unit only where that leaves its count at least five wide).</param>
internal sealed record RateCell(string Key, string Name, string? MunicipalityCode, bool IsUnit, bool Suppressed, int? Respondents, int? Enrolment, bool UnderHalf);

internal sealed record RateSeries(string Key, IReadOnlyList<RateDay> Days);

internal sealed record RateDay(DateOnly Date, int Respondents);

/// <summary>One municipality's unit cells of every item and quality area, stored as a <see cref="ResultSnapshotPart"/>.</summary>
internal sealed record MunicipalityUnits(IReadOnlyList<UnitItemCells> Items, IReadOnlyList<UnitAreaCells> Areas);

internal sealed record UnitItemCells(RespondentGroup Group, string ItemId, IReadOnlyList<Cell> Units);

internal sealed record UnitAreaCells(RespondentGroup Group, string Area, IReadOnlyList<AreaCell> Units);
