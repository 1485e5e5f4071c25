using System.Globalization;
using Arviointi.Statistics;
using ScottPlot;

namespace Arviointi.Web.Features.Results.Charts;

/// <summary>
/// The result charts, drawn with ScottPlot in DejaVu Sans: SVG markup for inline use in Razor pages (with
/// role="img", an aria-label and a title from the caller's <c>description</c>) and PNG for the PDF report.
/// Each call builds and disposes its own plot, so pages may render charts concurrently.
/// </summary>
/// <remarks>
/// PNG variants render at exactly <c>width</c> × <c>height</c> pixels; a <c>scale</c> above 1 draws text and
/// lines that much larger (e.g. 2 for print at twice the screen density, with width and height doubled too). The
/// Likert chart is laid out at <c>width</c> and drawn <c>scale</c> times larger, its height following from its bars.
/// </remarks>
internal static class ResultCharts
{
    /// <summary>Longer row labels beside a bar (unit names) are cut to this many characters with an ellipsis.</summary>
    public const int MaxLabelLength = 40;

    /// <summary>
    /// A chart narrower than this is drawn for a phone, with 13 px text: drawn 320 px wide it is shown at its own size
    /// on a 360 px phone, and at 296 px on a 320 px one its text is still 12 px.
    /// </summary>
    public const int CompactBelow = 480;

    private const int PixelsPerRow = 28;
    private const float TitleSize = 14;
    private const char Nbsp = '\u00a0';

    // ColorBrewer RdBu 5, safe for the common colour-vision deficiencies; answer 1 is red, answer 5 blue.
    private static readonly Color[] LikertColors =
        [.. new[] { "#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0" }.Select(Color.FromHex)];

    // Okabe & Ito's palette, distinguishable with any colour vision; the yellow is left out for contrast on white.
    private static readonly Color[] SeriesColors =
        [.. new[] { "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000" }.Select(Color.FromHex)];

    private static readonly Color Ink = Color.FromHex("#222222");
    private static readonly Color Muted = Color.FromHex("#555555");
    private static readonly Color Reference = Color.FromHex("#777777");
    private static readonly Color Highlight = Color.FromHex("#0571b0");
    private static readonly Color HighlightBand = Color.FromHex("#e8f1f8");

    /// <summary>A left-to-right span of one answer's segment in a diverging bar, in percent of the bar's total.</summary>
    internal readonly record struct Span(double Start, double End);

    /// <summary>The 95 % and 99.8 % funnel limits over a range of n, in percent.</summary>
    internal sealed record FunnelCurves(double[] Ns, double[] Lower95, double[] Upper95, double[] Lower998, double[] Upper998);

    /// <summary>
    /// Diverging stacked bars: answers 1–2 left of zero, half of 3 on each side, 4–5 right; percent of each bar.
    /// Short labels (municipalities) stand beside their bars; longer ones (questions) stand above them, wrapped to the
    /// chart's width and never cut. The height follows from the bars and their labels.
    /// </summary>
    /// <param name="bars">The bars from top to bottom.</param>
    /// <param name="texts">Texts in the page's language; the five scale labels make the legend.</param>
    /// <param name="description">What the chart shows, for screen readers (aria-label and title).</param>
    /// <param name="width">Width in CSS pixels; below <see cref="CompactBelow"/> the phone's text size.</param>
    public static string LikertSvg(IReadOnlyList<LikertBar> bars, ChartTexts texts, string description, int width = 720)
    {
        using var plot = NewPlot(width, texts);
        var height = DrawLikert(plot, bars, texts, width);
        return ToSvg(plot, width, height, description);
    }

    /// <summary>The Likert chart of <see cref="LikertSvg"/> as PNG, laid out at <paramref name="width"/> and drawn <paramref name="scale"/> times larger.</summary>
    public static byte[] LikertPng(IReadOnlyList<LikertBar> bars, ChartTexts texts, int width, double scale = 1)
    {
        using var plot = NewPlot(width, texts);
        var height = DrawLikert(plot, bars, texts, width);
        return ToPng(plot, (int)Math.Round(width * scale), (int)Math.Round(height * scale), scale);
    }

    /// <summary>A dot and 95 % interval per row on 0–100 %, with a reference line at the regional share.</summary>
    /// <param name="rows">The rows from top to bottom; <see cref="ShareRow.Differs"/> rows get a diamond.</param>
    /// <param name="regionShare">The regional share, 0–1, labelled with <see cref="ChartTexts.Region"/>; NaN draws no line.</param>
    /// <param name="texts">Texts in the page's language.</param>
    /// <param name="description">What the chart shows, for screen readers (aria-label and title).</param>
    /// <param name="width">Width in CSS pixels; the height gives each row 28 px.</param>
    public static string SharesSvg(IReadOnlyList<ShareRow> rows, double regionShare, ChartTexts texts, string description, int width = 720)
    {
        using var plot = NewPlot(width, texts);
        DrawShares(plot, rows, regionShare, texts, width);
        return ToSvg(plot, width, FigureHeight(plot, width, PixelsPerRow * Math.Max(rows.Count, 1)), description);
    }

    /// <summary>The shares chart of <see cref="SharesSvg"/> as PNG.</summary>
    public static byte[] SharesPng(IReadOnlyList<ShareRow> rows, double regionShare, ChartTexts texts, int width, int height, double scale = 1)
    {
        using var plot = NewPlot((int)(width / scale), texts);
        DrawShares(plot, rows, regionShare, texts, (int)(width / scale));
        return ToPng(plot, width, height, scale);
    }

    /// <summary>Share against n with the regional share and its 95 % and 99.8 % funnel limits (<see cref="Funnel.Limits"/>).</summary>
    /// <param name="points">The units, labelled by name.</param>
    /// <param name="regionShare">The regional share, 0–1: the centre line and the p₀ of the limits (required: else <see cref="ArgumentOutOfRangeException"/>).</param>
    /// <param name="texts">Texts in the page's language.</param>
    /// <param name="description">What the chart shows, for screen readers (aria-label and title).</param>
    /// <param name="width">Width in CSS pixels.</param>
    /// <param name="height">Height in CSS pixels; by default 420, or 380 for a phone.</param>
    public static string FunnelSvg(IReadOnlyList<FunnelPoint> points, double regionShare, ChartTexts texts, string description, int width = 720, int? height = null)
    {
        int h = height ?? (width < CompactBelow ? 380 : 420);
        using var plot = NewPlot(width, texts);
        DrawFunnel(plot, points, regionShare, texts, width, h);
        return ToSvg(plot, width, h, description);
    }

    /// <summary>The funnel plot of <see cref="FunnelSvg"/> as PNG.</summary>
    public static byte[] FunnelPng(IReadOnlyList<FunnelPoint> points, double regionShare, ChartTexts texts, int width, int height, double scale = 1)
    {
        using var plot = NewPlot((int)(width / scale), texts);
        DrawFunnel(plot, points, regionShare, texts, (int)(width / scale), (int)(height / scale));
        return ToPng(plot, width, height, scale);
    }

    /// <summary>Shares over the years with 95 % intervals, a line per series; x ticks only at the years present.</summary>
    /// <param name="series">The lines; the emphasised one is drawn thicker.</param>
    /// <param name="texts">Texts in the page's language.</param>
    /// <param name="description">What the chart shows, for screen readers (aria-label and title).</param>
    /// <param name="width">Width in CSS pixels.</param>
    /// <param name="height">Height in CSS pixels; by default 360, or 320 for a phone.</param>
    public static string TrendSvg(IReadOnlyList<TrendSeries> series, ChartTexts texts, string description, int width = 720, int? height = null)
    {
        using var plot = NewPlot(width, texts);
        DrawTrend(plot, series, texts);
        return ToSvg(plot, width, height ?? (width < CompactBelow ? 320 : 360), description);
    }

    /// <summary>The trend chart of <see cref="TrendSvg"/> as PNG.</summary>
    public static byte[] TrendPng(IReadOnlyList<TrendSeries> series, ChartTexts texts, int width, int height, double scale = 1)
    {
        using var plot = NewPlot((int)(width / scale), texts);
        DrawTrend(plot, series, texts);
        return ToPng(plot, width, height, scale);
    }

    /// <summary>
    /// The five segments of a diverging bar in percent of its total, left to right: answer 1 ends where answer 2
    /// starts, answer 3 is centred on zero. A bar without answers (all zero, or no counts at all, as for hidden
    /// figures) has five empty spans at zero.
    /// </summary>
    internal static Span[] LikertSpans(IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if ((counts.Count != 5 && counts.Count != 0) || counts.Any(c => c < 0))
        {
            throw new ArgumentException("A Likert bar needs five non-negative counts, for answers 1 to 5.", nameof(counts));
        }

        double total = counts.Sum(c => (double)c);
        if (total == 0)
        {
            return [.. Enumerable.Repeat(new Span(0, 0), 5)];
        }

        var p = counts.Select(c => 100 * c / total).ToArray();
        double start = -(p[0] + p[1] + (p[2] / 2));
        var spans = new Span[5];
        for (int i = 0; i < 5; i++)
        {
            spans[i] = new Span(start, start + p[i]);
            start += p[i];
        }

        return spans;
    }

    /// <summary>
    /// The funnel limits around <paramref name="p0"/> at about <paramref name="samples"/> whole n from
    /// <paramref name="fromN"/> to <paramref name="toN"/>, denser where the curves bend (small n), from <see cref="Funnel.Limits"/>.
    /// </summary>
    internal static FunnelCurves FunnelLimitCurves(double p0, int fromN, int toN, int samples = 120)
    {
        fromN = Math.Max(1, fromN);
        toN = Math.Max(fromN + 1, toN);
        double a = Math.Sqrt(fromN);
        double b = Math.Sqrt(toN);
        var ns = Enumerable.Range(0, samples)
            .Select(i => (int)Math.Round(Math.Pow(a + ((b - a) * i / (samples - 1)), 2)))
            .Distinct()
            .ToArray();

        var warning = ns.Select(n => Funnel.Limits(p0, n, Funnel.Warning)).ToArray();
        var control = ns.Select(n => Funnel.Limits(p0, n, Funnel.Control)).ToArray();
        return new FunnelCurves(
            [.. ns.Select(n => (double)n)],
            [.. warning.Select(l => 100 * l.Lower)],
            [.. warning.Select(l => 100 * l.Upper)],
            [.. control.Select(l => 100 * l.Lower)],
            [.. control.Select(l => 100 * l.Upper)]);
    }

    /// <summary>The label as drawn: at most <see cref="MaxLabelLength"/> text elements, marked when emphasised.</summary>
    internal static string DisplayLabel(string label, bool emphasis)
    {
        var info = new StringInfo(label ?? "");
        var shortened = info.LengthInTextElements <= MaxLabelLength
            ? info.String
            : info.SubstringByTextElements(0, MaxLabelLength - 1).TrimEnd() + "…";
        return emphasis ? "▶ " + shortened : shortened;
    }

    /// <summary>Draws the Likert chart and returns the figure height its bars and labels need at <paramref name="width"/>.</summary>
    private static int DrawLikert(Plot plot, IReadOnlyList<LikertBar> bars, ChartTexts texts, int width)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.ScaleLabels.Count != 5)
        {
            throw new ArgumentException("The Likert chart needs five scale labels.", nameof(texts));
        }

        var percents = new[] { -100, -50, 0, 50, 100 };
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. percents.Select(p => (double)p)],
            [.. percents.Select(p => Percent(Math.Abs(p)))]);
        plot.Axes.SetLimitsX(-100, 100);
        for (int answer = 0; answer < 5; answer++)
        {
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = texts.ScaleLabels[answer],
                FillColor = LikertColors[answer],
                LabelFontName = ChartFonts.Family,
                LabelFontSize = TextSize(width),
            });
        }

        BottomLegend(plot);

        // On a phone, and wherever a label would not fit beside the bars in a third of the width, labels go above the bars.
        using var font = new SkiaSharp.SKFont(ChartFonts.EnsureRegistered().Bold, TextSize(width));
        bool above = width < CompactBelow || bars.Any(b => font.MeasureText(DisplayLabel(b.Label, b.Emphasis)) > width * 0.35);
        return above ? LikertLabelsAbove(plot, bars, width) : LikertLabelsBeside(plot, bars, width);
    }

    private static int LikertLabelsBeside(Plot plot, IReadOnlyList<LikertBar> bars, int width)
    {
        var rows = new List<(double Y, double Height, LikertBar Bar)>();
        for (int i = 0; i < bars.Count; i++)
        {
            rows.Add((bars.Count - 1 - i, 0.72, bars[i]));
        }

        AddLikertBars(plot, rows);
        var zero = plot.Add.VerticalLine(0, 1, Ink);
        zero.ExcludeFromLegend = true;
        RowTicks(plot, bars.Select(b => DisplayLabel(b.Label, b.Emphasis)).ToList());
        return FigureHeight(plot, width, PixelsPerRow * Math.Max(bars.Count, 1));
    }

    /// <summary>Each bar under its whole label, wrapped to the data area's width; the y axis counts pixels from the top.</summary>
    private static int LikertLabelsAbove(Plot plot, IReadOnlyList<LikertBar> bars, int width)
    {
        const double barHeight = 18;
        const double labelGap = 3;
        const double rowGap = 12;
        float size = TextSize(width);
        double lineHeight = Math.Ceiling(size * 1.3);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([], []);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Left.FrameLineStyle.Width = 0;

        // Room for half of the "100 %" under the left end of the bars.
        plot.Axes.Left.MinimumSize = 24;
        var (dataWidth, _) = DataArea(plot, width, 1000);

        var fonts = ChartFonts.EnsureRegistered();
        var rows = new List<(double Y, double Height, LikertBar Bar)>();
        double y = 4;
        foreach (var bar in bars)
        {
            using var font = new SkiaSharp.SKFont(bar.Emphasis ? fonts.Bold : fonts.Regular, size);
            foreach (var line in Wrap(bar.Emphasis ? "▶ " + bar.Label : bar.Label, font, dataWidth))
            {
                var text = plot.Add.Text(line, -100, y);
                text.LabelFontName = ChartFonts.Family;
                text.LabelFontSize = size;
                text.LabelBold = bar.Emphasis;
                text.LabelFontColor = Ink;
                text.LabelAlignment = Alignment.UpperLeft;
                y += lineHeight;
            }

            y += labelGap;
            rows.Add((y + (barHeight / 2), barHeight, bar));
            var zero = plot.Add.Line(0, y - 2, 0, y + barHeight + 2);
            zero.LineColor = Ink;
            zero.LineWidth = 1;
            zero.MarkerSize = 0;
            y += barHeight + rowGap;
        }

        AddLikertBars(plot, rows);
        double contentHeight = Math.Max(y - rowGap + 4, 30);
        plot.Axes.SetLimitsY(contentHeight, 0);
        return FigureHeight(plot, width, contentHeight);
    }

    private static void AddLikertBars(Plot plot, List<(double Y, double Height, LikertBar Bar)> rows)
    {
        var segments = new List<Bar>();
        foreach (var (y, height, bar) in rows)
        {
            var spans = LikertSpans(bar.Counts);
            for (int answer = 0; answer < 5; answer++)
            {
                if (spans[answer].End <= spans[answer].Start)
                {
                    continue;
                }

                segments.Add(new Bar
                {
                    Position = y,
                    ValueBase = spans[answer].Start,
                    Value = spans[answer].End,
                    Size = height,
                    Orientation = Orientation.Horizontal,
                    FillColor = LikertColors[answer],
                    LineColor = bar.Emphasis ? Ink : Colors.White,
                    LineWidth = bar.Emphasis ? 1.5f : 0.5f,
                });
            }
        }

        if (segments.Count > 0)
        {
            plot.Add.Bars(segments);
        }
    }

    /// <summary>Words onto lines no wider than <paramref name="width"/>; a word wider than a line gets a line of its own.</summary>
    private static List<string> Wrap(string text, SkiaSharp.SKFont font, float width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && font.MeasureText(candidate) > width)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = candidate;
            }
        }

        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static void DrawShares(Plot plot, IReadOnlyList<ShareRow> rows, double regionShare, ChartTexts texts, int width)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(texts);

        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            double y = rows.Count - 1 - i;
            var color = row.Emphasis ? Highlight : Ink;
            if (row.Emphasis)
            {
                var band = plot.Add.Rectangle(0, 100, y - 0.5, y + 0.5);
                band.FillColor = HighlightBand;
                band.LineWidth = 0;
            }

            if (Finite(row.Lower) && Finite(row.Upper))
            {
                var interval = plot.Add.Line(100 * row.Lower, y, 100 * row.Upper, y);
                interval.LineColor = color;
                interval.LineWidth = row.Emphasis ? 2.5f : 1.5f;
                interval.MarkerSize = 0;
            }

            if (Finite(row.Share))
            {
                plot.Add.Marker(
                    100 * row.Share,
                    y,
                    row.Differs ? MarkerShape.FilledDiamond : MarkerShape.FilledCircle,
                    row.Differs ? 13 : 9,
                    color);
            }
        }

        if (Finite(regionShare))
        {
            var region = plot.Add.VerticalLine(100 * regionShare, 1.5f, Reference, LinePattern.Dashed);
            region.Text = texts.Region;
            region.LabelOppositeAxis = true;
            StyleLineLabel(region, TextSize(width));
            plot.Axes.Top.MinimumSize = 24;
        }

        PercentTicks(plot.Axes.Bottom, 0, 100, width < CompactBelow ? 25 : 20);
        plot.Axes.SetLimitsX(0, 100);
        plot.Axes.Bottom.Label.Text = texts.ShareAxis;
        RowTicks(plot, rows.Select(r => DisplayLabel(r.Label, r.Emphasis)).ToList());
    }

    private static void DrawFunnel(Plot plot, IReadOnlyList<FunnelPoint> points, double regionShare, ChartTexts texts, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(texts);

        var shown = points.Where(p => p.N > 0 && Finite(p.Share)).ToList();
        int minN = shown.Count > 0 ? shown.Min(p => p.N) : 1;
        int maxN = shown.Count > 0 ? shown.Max(p => p.N) : 100;
        int fromN = Math.Max(1, minN / 2);
        int toN = (int)Math.Ceiling(maxN * 1.08) + 1;
        var curves = FunnelLimitCurves(regionShare, fromN, toN);

        AddCurve(plot, curves.Ns, curves.Upper998, LinePattern.Solid, texts.Limit998);
        AddCurve(plot, curves.Ns, curves.Lower998, LinePattern.Solid, null);
        AddCurve(plot, curves.Ns, curves.Upper95, LinePattern.Dashed, texts.Limit95);
        AddCurve(plot, curves.Ns, curves.Lower95, LinePattern.Dashed, null);

        var centre = plot.Add.HorizontalLine(100 * regionShare, 1.5f, Ink);
        centre.LegendText = texts.Region;

        // Show the data and the limits where they are informative; not the near-0/100 % tails at the smallest n.
        var ys = shown.Select(p => 100 * p.Share)
            .Concat(curves.Lower998.Skip(curves.Ns.Length / 8))
            .Concat(curves.Upper998.Skip(curves.Ns.Length / 8))
            .Append(100 * regionShare)
            .ToList();
        double low = Math.Max(0, Math.Floor((ys.Min() - 4) / 5) * 5);
        double high = Math.Min(100, Math.Ceiling((ys.Max() + 4) / 5) * 5);
        plot.Axes.SetLimits(0, toN, low, high);

        foreach (var point in shown)
        {
            plot.Add.Marker(point.N, 100 * point.Share, MarkerShape.FilledCircle, point.Emphasis ? 11 : 8, point.Emphasis ? Highlight : Muted);
        }

        PercentTicks(plot.Axes.Left, low, high, high - low > 50 ? 20 : 10);
        plot.Axes.Left.Label.Text = texts.ShareAxis;
        plot.Axes.Bottom.Label.Text = texts.NAxis;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = v => v.ToString("0", CultureInfo.InvariantCulture),
        };
        BottomLegend(plot);

        // The data area in pixels as laid out with the axes and legend above, so labels keep apart where they are drawn.
        var (areaWidth, areaHeight) = DataArea(plot, width, height);
        float size = TextSize(width);
        var fonts = ChartFonts.EnsureRegistered();
        var labelled = shown.OrderByDescending(p => p.Emphasis).ThenBy(p => p.N).ToList();
        var items = labelled.Select(p =>
        {
            using var font = new SkiaSharp.SKFont(p.Emphasis ? fonts.Bold : fonts.Regular, size);
            return new LabelPlacement.Item(
                (float)(areaWidth * p.N / toN),
                (float)(areaHeight * (high - (100 * p.Share)) / (high - low)),
                font.MeasureText(DisplayLabel(p.Label, emphasis: false)),
                size + 2);
        }).ToList();
        var spots = LabelPlacement.Place(items, areaWidth, areaHeight);
        foreach (var (point, spot) in labelled.Zip(spots))
        {
            var label = plot.Add.Text(DisplayLabel(point.Label, emphasis: false), point.N, 100 * point.Share);
            label.LabelFontName = ChartFonts.Family;
            label.LabelFontSize = size;
            label.LabelBold = point.Emphasis;
            label.LabelFontColor = point.Emphasis ? Highlight : Ink;
            label.LabelBackgroundColor = Colors.White.WithAlpha(0.75);
            label.LabelAlignment = spot.Alignment;
            label.OffsetX = spot.OffsetX;
            label.OffsetY = spot.OffsetY;
        }
    }

    private static void DrawTrend(Plot plot, IReadOnlyList<TrendSeries> series, ChartTexts texts)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(texts);

        var years = series.SelectMany(s => s.Points).Select(p => p.Year).Distinct().Order().ToList();
        double dodgeStep = series.Count > 1 ? Math.Min(0.08, 0.4 / series.Count) : 0;
        int colorIndex = 0;
        for (int i = 0; i < series.Count; i++)
        {
            var line = series[i];
            var color = line.Emphasis ? Highlight : SeriesColors[(colorIndex++ + 1) % SeriesColors.Length];
            var pts = line.Points.Where(p => Finite(p.Share)).OrderBy(p => p.Year).ToList();
            double dodge = (i - ((series.Count - 1) / 2.0)) * dodgeStep;
            var xs = pts.Select(p => p.Year + dodge).ToArray();

            foreach (var (p, x) in pts.Zip(xs))
            {
                if (Finite(p.Lower) && Finite(p.Upper))
                {
                    var interval = plot.Add.Line(x, 100 * p.Lower, x, 100 * p.Upper);
                    interval.LineColor = color.WithAlpha(0.7);
                    interval.LineWidth = line.Emphasis ? 2 : 1.2f;
                    interval.MarkerSize = 0;
                }
            }

            var scatter = plot.Add.Scatter(xs, [.. pts.Select(p => 100 * p.Share)], color);
            scatter.LineWidth = line.Emphasis ? 3 : 1.5f;
            scatter.MarkerSize = line.Emphasis ? 9 : 6;
            scatter.LegendText = DisplayLabel(line.Label, emphasis: false);
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. years.Select(y => (double)y)],
            [.. years.Select(y => y.ToString(CultureInfo.InvariantCulture))]);
        double first = years.Count > 0 ? years[0] : 0;
        double last = years.Count > 0 ? years[^1] : first;
        double pad = Math.Max(0.4, (last - first) * 0.06);
        plot.Axes.SetLimitsX(first - pad, last + pad);

        var values = series.SelectMany(s => s.Points)
            .SelectMany(p => new[] { p.Lower, p.Upper, p.Share })
            .Where(Finite)
            .Select(v => 100 * v)
            .DefaultIfEmpty(50)
            .ToList();
        double low = Math.Max(0, Math.Floor((values.Min() - 5) / 10) * 10);
        double high = Math.Min(100, Math.Ceiling((values.Max() + 5) / 10) * 10);
        plot.Axes.SetLimitsY(low, high);
        PercentTicks(plot.Axes.Left, low, high, high - low > 50 ? 20 : 10);
        plot.Axes.Left.Label.Text = texts.ShareAxis;
        plot.Axes.Bottom.Label.Text = texts.YearAxis;
        BottomLegend(plot);
    }

    /// <summary>A white plot in DejaVu Sans with text sized for <paramref name="width"/>, titled with <see cref="ChartTexts.Title"/>.</summary>
    private static Plot NewPlot(int width, ChartTexts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ChartFonts.EnsureRegistered();
        var plot = new Plot();
        float size = TextSize(width);

        // Not plot.Font.Set: in ScottPlot 5.1 it disposes the cached typeface and pins every later label to the
        // regular face (Fonts.DefaultFontStyle), which would also make bold labels regular.
        plot.Axes.Title.Label.FontName = ChartFonts.Family;
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.HideGrid();
        plot.Axes.Top.FrameLineStyle.Width = 0;
        plot.Axes.Right.FrameLineStyle.Width = 0;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = ChartFonts.Family;
            axis.TickLabelStyle.FontName = ChartFonts.Family;
            axis.TickLabelStyle.FontSize = size;
            axis.TickLabelStyle.ForeColor = Ink;
            axis.Label.FontSize = size + 1;
            axis.Label.Bold = false;
            axis.Label.ForeColor = Ink;
            axis.FrameLineStyle.Color = Muted;
            axis.MajorTickStyle.Color = Muted;
            axis.MinorTickStyle.Length = 0;
        }

        // Room for the last tick label ("100 %") at the right edge.
        plot.Axes.Right.MinimumSize = 24;
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = size;
        if (texts.Title is { Length: > 0 } title)
        {
            // Centred on the figure, not the data area, and wrapped, so that a long name never runs off the edge.
            using var font = new SkiaSharp.SKFont(ChartFonts.EnsureRegistered().Bold, TitleSize);
            plot.Axes.Title.FullFigureCenter = true;
            plot.Axes.Title.Label.Text = string.Join('\n', Wrap(title, font, width - 40));
            plot.Axes.Title.Label.FontSize = TitleSize;
            plot.Axes.Title.Label.Bold = true;
            plot.Axes.Title.Label.ForeColor = Ink;
        }

        return plot;
    }

    private static void RowTicks(Plot plot, List<string> labels)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, labels.Count).Select(i => (double)(labels.Count - 1 - i))],
            [.. labels]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Left.FrameLineStyle.Width = 0;
        plot.Axes.SetLimitsY(-0.6, Math.Max(labels.Count, 1) - 0.4);
    }

    private static void PercentTicks(IAxis axis, double from, double to, double step)
    {
        var ticks = new List<double>();
        for (double v = Math.Ceiling(from / step) * step; v <= to + 1e-9; v += step)
        {
            ticks.Add(v);
        }

        axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks], [.. ticks.Select(v => Percent(v))]);
    }

    private static void AddCurve(Plot plot, double[] xs, double[] ys, LinePattern pattern, string? legend)
    {
        var curve = plot.Add.ScatterLine(xs, ys, Reference);
        curve.LineWidth = 1.2f;
        curve.LinePattern = pattern;
        if (legend is not null)
        {
            curve.LegendText = legend;
        }
    }

    private static void StyleLineLabel(ScottPlot.Plottables.AxisLine line, float size)
    {
        line.LabelFontName = ChartFonts.Family;
        line.LabelFontSize = size;
        line.LabelFontColor = Ink;
        line.LabelBackgroundColor = Colors.White;
        line.LabelBold = false;
    }

    private static void BottomLegend(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.ShadowOffset = new PixelOffset(0, 0);
    }

    /// <summary>12 px, or 13 px on a phone (see <see cref="CompactBelow"/>); never less, whatever the chart.</summary>
    private static float TextSize(int width) => width < CompactBelow ? 13 : 12;

    /// <summary>The data area's size at this figure size, with the axes, title and legend as set so far.</summary>
    private static (float Width, float Height) DataArea(Plot plot, int width, int height)
    {
        plot.RenderInMemory(width, height);
        var area = plot.RenderManager.LastRender.DataRect;
        return (area.Width, area.Height);
    }

    /// <summary>The figure height that leaves exactly <paramref name="dataHeight"/> pixels to the data area at this width.</summary>
    private static int FigureHeight(Plot plot, int width, double dataHeight)
    {
        const int probe = 1000;
        var (_, height) = DataArea(plot, width, probe);
        return (int)Math.Ceiling(dataHeight + probe - height);
    }

    private static string Percent(double value) =>
        value.ToString("0", CultureInfo.InvariantCulture) + Nbsp + "%";

    private static bool Finite(double value) => double.IsFinite(value);

    private static string ToSvg(Plot plot, int width, int height, string description) =>
        InlineSvg.From(plot.GetSvgXml(width, height), description, width, height);

    private static byte[] ToPng(Plot plot, int width, int height, double scale)
    {
        plot.ScaleFactor = scale;
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
