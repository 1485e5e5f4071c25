using Arviointi.Surveys;

namespace Arviointi.Web.Features.Results;

/// <summary>The stored results of one round: what pages, reports and exports show, computed once when the round closes.</summary>
/// <param name="Previous">The sector's previous round whose snapshot the changes are measured against, if any.</param>
internal sealed record RoundResults(int RoundId, DateTimeOffset ComputedAt, IReadOnlyList<GroupResults> Groups, PreviousRound? Previous = null);

internal sealed record PreviousRound(int RoundId, int Year);

internal sealed record GroupResults(RespondentGroup Group, string SurveyId, int SurveyVersionId, IReadOnlyList<ItemResults> Items, IReadOnlyList<AreaResults>? Areas = null, IReadOnlyList<FilterResults>? Filters = null);

/// <summary>The items again for the respondents who chose each option of a background question; no cell under ten answers.</summary>
internal sealed record FilterResults(string BackgroundItemId, IReadOnlyDictionary<string, string> Text, IReadOnlyList<FilterOption> Options);

internal sealed record FilterOption(string OptionId, IReadOnlyDictionary<string, string> Label, IReadOnlyList<FilteredItem> Items);

/// <param name="Region">The option's respondents across the region; hidden cells carry no figures, as everywhere.</param>
internal sealed record FilteredItem(string ItemId, Cell Region, IReadOnlyList<Cell> Municipalities);

/// <param name="KruskalWallis">Differences across the visible municipalities; null with fewer than two.</param>
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
/// One figure set for the region, a municipality or a unit. A suppressed cell carries its reason and
/// no figures at all, not even n, so nothing hidden can leak through the stored JSON.
/// </summary>
/// <param name="VsRest">A municipality against the rest of the region (a unit against the rest of its municipality).</param>
/// <param name="Change">The change in the share agreeing since the previous round, when both rounds show the cell.</param>
internal sealed record Cell(
    string Key,
    string Name,
    string? MunicipalityCode,
    bool Suppressed,
    string? SuppressionReason,
    Figures? Figures,
    RestComparison? VsRest = null,
    Change? Change = null);

/// <param name="Counts">Answers 1–5 (index 0–4), for the distribution charts.</param>
/// <param name="Weighted">The share agreeing weighted to the units' enrolment (region and municipalities; null where a unit lacks its figure).</param>
internal sealed record Figures(int N, int CantSay, double Mean, double Sd, double MeanLower, double MeanUpper, double AgreeShare, double AgreeLower, double AgreeUpper, IReadOnlyList<int>? Counts = null, WeightedFigures? Weighted = null)
{
    /// <summary>Answers 4–5: stored counts when there are, otherwise recovered from the share (exact: it was computed from them).</summary>
    public int Agreeing => Counts is { Count: 5 } c ? c[3] + c[4] : (int)Math.Round(AgreeShare * N);
}

/// <summary>
/// The share agreeing with each unit's answers weighted to its enrolment, with a Wilson interval at Kish's effective
/// sample size; a design effect well above 1 means response activity differed much between units.
/// </summary>
internal sealed record WeightedFigures(double Share, double Lower, double Upper, double DesignEffect, double EffectiveN);

/// <summary>Difference of shares agreeing (this minus the rest) with Newcombe's interval, Mann–Whitney p, its Holm adjustment and Cliff's delta.</summary>
internal sealed record RestComparison(double AgreeDiff, double Lower, double Upper, double MannWhitneyP, double HolmP, double CliffsDelta)
{
    public const double Alpha = 0.05;

    /// <summary>The cell differs from the rest when the Holm-adjusted p is under 0.05.</summary>
    public bool Differs => HolmP < Alpha;
}

/// <summary>Share agreeing now minus in <see cref="PreviousYear"/>, with Newcombe's interval for independent samples.</summary>
internal sealed record Change(int PreviousYear, int PreviousN, double PreviousShare, double Diff, double Lower, double Upper)
{
    public bool Significant => Lower > 0 || Upper < 0;
}

internal sealed record KruskalWallisFigures(double H, int Df, double P);

/// <summary>A share agreeing with its Wilson interval, as kept for trends.</summary>
internal sealed record ShareFigures(int N, double Share, double Lower, double Upper);

internal sealed record HistoryPoint(int Year, ShareFigures? Region, IReadOnlyDictionary<string, ShareFigures> Municipalities);

/// <summary>A quality area's index (each respondent's mean over the area's items) and its reliability.</summary>
internal sealed record AreaResults(string Area, int Items, double Alpha, int CompleteCases, AreaCell Region, IReadOnlyList<AreaCell> Municipalities, IReadOnlyList<AreaCell> Units);

internal sealed record AreaCell(string Key, string Name, string? MunicipalityCode, bool Suppressed, string? SuppressionReason, IndexFigures? Figures);

internal sealed record IndexFigures(int N, double Mean, double Sd, double Lower, double Upper);

/// <summary>One municipality's unit cells of every item and quality area, stored as a <see cref="ResultSnapshotPart"/>.</summary>
internal sealed record MunicipalityUnits(IReadOnlyList<UnitItemCells> Items, IReadOnlyList<UnitAreaCells> Areas);

internal sealed record UnitItemCells(RespondentGroup Group, string ItemId, IReadOnlyList<Cell> Units);

internal sealed record UnitAreaCells(RespondentGroup Group, string Area, IReadOnlyList<AreaCell> Units);
