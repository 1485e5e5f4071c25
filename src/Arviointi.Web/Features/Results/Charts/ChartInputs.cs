namespace Arviointi.Web.Features.Results.Charts;

/// <summary>One bar of a diverging Likert chart: answers 1–5 as Counts[0..4] (can't-say excluded); no counts draws an empty row.</summary>
internal sealed record LikertBar(string Label, IReadOnlyList<int> Counts, bool Emphasis);

/// <summary>A share agreeing (0–1) with its 95 % interval; Differs marks a Holm-adjusted difference from the rest of the region.</summary>
internal sealed record ShareRow(string Label, double Share, double Lower, double Upper, bool Emphasis, bool Differs);

/// <summary>One unit of a funnel plot: its number of answers and share agreeing (0–1).</summary>
internal sealed record FunnelPoint(string Label, int N, double Share, bool Emphasis);

/// <summary>A share agreeing (0–1) in one year with its 95 % interval.</summary>
internal sealed record TrendPoint(int Year, double Share, double Lower, double Upper);

/// <summary>One line of a trend chart.</summary>
internal sealed record TrendSeries(string Label, IReadOnlyList<TrendPoint> Points, bool Emphasis);

/// <summary>Texts in the page's language (Finnish, Swedish or English), given by the caller.</summary>
/// <param name="ScaleLabels">Five labels for answers 1..5.</param>
/// <param name="ShareAxis">E.g. "Samaa mieltä (%)".</param>
/// <param name="NAxis">E.g. "Vastauksia (n)".</param>
/// <param name="Region">Label of the regional reference line, e.g. "Päijät-Häme 72 %".</param>
/// <param name="Limit95">Legend text of the 95 % funnel limits.</param>
/// <param name="Limit998">Legend text of the 99.8 % funnel limits.</param>
/// <param name="YearAxis">E.g. "Vuosi".</param>
/// <param name="Title">Whose answers the chart shows, drawn above it, e.g. "Huoltajien vastaukset, Orimattila".</param>
internal sealed record ChartTexts(
    IReadOnlyList<string> ScaleLabels,
    string ShareAxis,
    string NAxis,
    string Region,
    string Limit95,
    string Limit998,
    string YearAxis,
    string? Title = null);
