using System.Buffers.Binary;
using System.Globalization;
using System.Xml.Linq;
using Arviointi.Statistics;
using Arviointi.Web.Features.Results.Charts;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The result charts: SVG that is safe and accessible inline in a page, drawn in the shipped DejaVu Sans, with the
/// Likert split and the funnel limits right; PNG of the requested size for the PDF report.
/// </summary>
public sealed class ChartTests
{
    private const string Script = "<script>alert(1)</script>";

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly ChartTexts Texts = new(
        ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin samaa mieltä", "Täysin samaa mieltä"],
        "Samaa mieltä (%)",
        "Vastauksia (n)",
        "Päijät-Häme 72 %",
        "95 %:n rajat",
        "99,8 %:n rajat",
        "Vuosi");

    private static readonly LikertBar[] Bars =
    [
        new("Kärkölä", [3, 5, 8, 20, 14], true),
        new("Hämeenkoski", [1, 2, 6, 11, 9], false),
        new("Gustav Adolfs", [2, 4, 4, 9, 6], false),
        new(Script, [1, 1, 1, 1, 1], false),
    ];

    private static readonly ShareRow[] Rows =
    [
        new("Kärkölä", 0.78, 0.70, 0.85, true, true),
        new("Hämeenkoski", 0.66, 0.55, 0.76, false, false),
        new("Gustav Adolfs", 0.58, 0.45, 0.70, false, true),
        new(Script, 0.72, 0.60, 0.82, false, false),
    ];

    private static readonly FunnelPoint[] Points =
    [
        new("Kärkölä", 120, 0.78, true),
        new("Hämeenkoski", 45, 0.66, false),
        new("Gustav Adolfs", 30, 0.58, false),
        new("Lahti", 900, 0.73, false),
        new(Script, 200, 0.70, false),
    ];

    private static readonly TrendSeries[] Series =
    [
        new("Kärkölä", [new(2023, 0.61, 0.52, 0.70), new(2024, 0.66, 0.57, 0.74), new(2027, 0.74, 0.66, 0.81)], true),
        new("Hämeenkoski", [new(2024, 0.70, 0.60, 0.79), new(2025, 0.71, 0.62, 0.80)], false),
        new("Gustav Adolfs", [new(2025, 0.62, 0.48, 0.75), new(2027, 0.68, 0.55, 0.80)], false),
        new(Script, [new(2023, 0.5, 0.4, 0.6)], false),
    ];

    private static readonly string[] ChartNames = ["likert", "shares", "funnel", "trend"];

    public static TheoryData<string> Charts => new(ChartNames);

    private static string Render(string chart) => chart switch
    {
        "likert" => ResultCharts.LikertSvg(Bars, Texts, "Vastaukset kunnittain"),
        "shares" => ResultCharts.SharesSvg(Rows, 0.72, Texts, "Samaa mieltä kunnittain"),
        "funnel" => ResultCharts.FunnelSvg(Points, 0.72, Texts, "Suppilokuvio"),
        "trend" => ResultCharts.TrendSvg(Series, Texts, "Kehitys vuosittain"),
        _ => throw new ArgumentOutOfRangeException(nameof(chart)),
    };

    private static string Description(string chart) => chart switch
    {
        "likert" => "Vastaukset kunnittain",
        "shares" => "Samaa mieltä kunnittain",
        "funnel" => "Suppilokuvio",
        _ => "Kehitys vuosittain",
    };

    private static List<string> TextsOf(XElement root) =>
        root.Descendants(Svg + "text").Select(t => t.Value.Trim()).ToList();

    [Theory]
    [MemberData(nameof(Charts))]
    public void Each_chart_is_an_inline_svg_image_with_its_description(string chart)
    {
        var markup = Render(chart);

        Assert.StartsWith("<svg", markup, StringComparison.Ordinal);
        Assert.DoesNotContain("<?xml", markup, StringComparison.Ordinal);
        Assert.DoesNotContain("<!DOCTYPE", markup, StringComparison.OrdinalIgnoreCase);
        var root = XElement.Parse(markup);
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal(Description(chart), (string?)root.Attribute("aria-label"));
        Assert.Equal(Description(chart), root.Elements(Svg + "title").Single().Value);
        Assert.Same(root.Elements().First(), root.Elements(Svg + "title").Single());
        Assert.NotNull(root.Attribute("viewBox"));
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public void Finnish_and_Swedish_labels_appear_verbatim_in_DejaVu_Sans(string chart)
    {
        var root = XElement.Parse(Render(chart));

        var texts = TextsOf(root);
        Assert.Contains(texts, t => t.Contains("Kärkölä", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Hämeenkoski", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Gustav Adolfs", StringComparison.Ordinal));
        Assert.All(root.Descendants(Svg + "text"), t =>
        {
            var family = (string?)t.Attribute("font-family");
            Assert.Equal("'DejaVu Sans', sans-serif", family);
        });
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public void A_label_with_markup_stays_text(string chart)
    {
        var markup = Render(chart);

        Assert.DoesNotContain("<script", markup, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", markup, StringComparison.Ordinal);
        var root = XElement.Parse(markup);
        Assert.DoesNotContain(root.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(TextsOf(root), t => t.Contains(Script, StringComparison.Ordinal));
    }

    [Fact]
    public void Charts_without_data_still_render()
    {
        Assert.All(
            new[]
            {
                ResultCharts.LikertSvg([], Texts, "Ei vastauksia"),
                ResultCharts.LikertSvg([new LikertBar("Kärkölä", [], false)], Texts, "Luvut piilotettu"),
                ResultCharts.SharesSvg([], double.NaN, Texts, "Ei vastauksia"),
                ResultCharts.FunnelSvg([], 0.72, Texts, "Ei vastauksia"),
                ResultCharts.TrendSvg([], Texts, "Ei vastauksia"),
            },
            svg => Assert.Equal("img", (string?)XElement.Parse(svg).Attribute("role")));
    }

    [Theory]
    [InlineData(320, 13)]
    [InlineData(720, 12)]
    public void No_text_is_smaller_than_12_px_and_a_phone_drawing_has_13_px(int width, double smallest)
    {
        var texts = Texts with { Title = "Huoltajien vastaukset, Orimattila" };
        var charts = new[]
        {
            ResultCharts.LikertSvg(Bars, texts, "Vastaukset", width),
            ResultCharts.SharesSvg(Rows, 0.72, texts, "Samaa mieltä", width),
            ResultCharts.FunnelSvg(Points, 0.72, texts, "Suppilo", width),
            ResultCharts.TrendSvg(Series, texts, "Kehitys", width),
        };

        Assert.All(charts, svg =>
        {
            var root = XElement.Parse(svg);
            Assert.Equal(width, Number(root, "width"));
            Assert.Contains("Huoltajien vastaukset, Orimattila", TextsOf(root));
            Assert.Equal(smallest, root.Descendants(Svg + "text").Min(t => Number(t, "font-size")));
        });
    }

    [Fact]
    public void Question_labels_stand_whole_above_their_bars_wrapped_to_a_phone()
    {
        const string question = "Varhaiskasvatuksen henkilöstö kertoo minulle riittävästi lapseni päivästä ja oppimisesta, myös silloin kun asiat eivät suju.";
        var root = XElement.Parse(ResultCharts.LikertSvg([new LikertBar(question, [3, 5, 8, 20, 14], false), new LikertBar("Lapseni viihtyy.", [0, 1, 2, 10, 20], false)], Texts, "Vastaukset", 320));

        var lines = TextsOf(root).Where(t => question.Contains(t, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 3, $"{lines.Count} lines");
        Assert.Equal(question, string.Join(' ', lines));
        Assert.DoesNotContain(TextsOf(root), t => t.Contains('…', StringComparison.Ordinal));

        // Each label's lines stand above its bar: the first bar's top is below the question's last line.
        var lastLine = root.Descendants(Svg + "text").Last(t => t.Value.Trim() == lines[^1]);
        var firstBar = FilledRects(root, "#CA0020").MinBy(r => r.Y);
        Assert.True(firstBar.Y > Translation(lastLine).Y, "the bar overlaps its label");
    }

    [Fact]
    public void Ids_differ_between_charts_so_several_can_share_a_page()
    {
        var ids = ChartNames.Select(c => XElement.Parse(Render(c)))
            .SelectMany(root => root.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>())
            .ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void The_region_line_is_labelled()
    {
        var root = XElement.Parse(ResultCharts.SharesSvg(Rows, 0.72, Texts, "Samaa mieltä kunnittain"));

        Assert.Contains("Päijät-Häme 72 %", TextsOf(root));
    }

    [Fact]
    public void Likert_spans_split_the_middle_answer_across_zero()
    {
        Assert.Equal(
            [new(-45, -35), new(-35, -15), new(-15, 15), new(15, 55), new(55, 55)],
            ResultCharts.LikertSpans([1, 2, 3, 4, 0]));
    }

    [Fact]
    public void Likert_spans_of_only_extremes_are_equal_on_both_sides()
    {
        Assert.Equal(
            [new(-50, 0), new(0, 0), new(0, 0), new(0, 0), new(0, 50)],
            ResultCharts.LikertSpans([10, 0, 0, 0, 10]));
    }

    [Fact]
    public void Likert_spans_of_a_bar_without_answers_are_empty()
    {
        Assert.All(ResultCharts.LikertSpans([0, 0, 0, 0, 0]), s => Assert.Equal(new ResultCharts.Span(0, 0), s));
        Assert.All(ResultCharts.LikertSpans([]), s => Assert.Equal(new ResultCharts.Span(0, 0), s));
        Assert.Equal(5, ResultCharts.LikertSpans([]).Length);
    }

    [Fact]
    public void Likert_spans_need_five_non_negative_counts()
    {
        Assert.Throws<ArgumentException>(() => ResultCharts.LikertSpans([1, 2, 3, 4]));
        Assert.Throws<ArgumentException>(() => ResultCharts.LikertSpans([1, 2, -3, 4, 5]));
    }

    [Fact]
    public void Each_Likert_bar_draws_one_segment_per_answer_plus_one_legend_key_per_answer()
    {
        var root = XElement.Parse(ResultCharts.LikertSvg(Bars, Texts, "Vastaukset"));

        foreach (var color in new[] { "#CA0020", "#F4A582", "#D9D9D9", "#92C5DE", "#0571B0" })
        {
            Assert.Equal(Bars.Length + 1, FilledRects(root, color).Count);
        }
    }

    [Fact]
    public void Only_extreme_answers_in_equal_numbers_draw_equal_bars_meeting_at_zero()
    {
        var root = XElement.Parse(ResultCharts.LikertSvg([new LikertBar("Kärkölä", [10, 0, 0, 0, 10], false)], Texts, "Vastaukset"));

        // The legend keys sit below the bars, so the topmost rectangle of a colour is the bar's segment.
        var disagree = FilledRects(root, "#CA0020").MinBy(r => r.Y);
        var agree = FilledRects(root, "#0571B0").MinBy(r => r.Y);
        Assert.Single(FilledRects(root, "#D9D9D9"));
        Assert.Equal(disagree.Width, agree.Width, 3);
        Assert.Equal(disagree.X + disagree.Width, agree.X, 3);
        Assert.Equal(disagree.Y, agree.Y, 3);
    }

    [Fact]
    public void The_percent_axis_of_a_Likert_chart_has_no_minus_signs()
    {
        var texts = TextsOf(XElement.Parse(ResultCharts.LikertSvg(Bars, Texts, "Vastaukset")));

        Assert.Equal(2, texts.Count(t => t == "50\u00a0%"));
        Assert.Equal(2, texts.Count(t => t == "100\u00a0%"));
        Assert.DoesNotContain(texts, t => t.StartsWith('-') || t.StartsWith('\u2212'));
    }

    [Fact]
    public void Long_labels_are_cut_with_an_ellipsis()
    {
        var label = ResultCharts.DisplayLabel("Sosiaali- ja terveyspalvelujen kuntayhtymän Hämeenkosken yksikkö", emphasis: false);

        Assert.Equal(ResultCharts.MaxLabelLength, label.Length);
        Assert.EndsWith("…", label, StringComparison.Ordinal);
        Assert.Equal("Kärkölä", ResultCharts.DisplayLabel("Kärkölä", emphasis: false));
    }

    [Fact]
    public void Trend_ticks_are_the_years_present_only()
    {
        var texts = TextsOf(XElement.Parse(ResultCharts.TrendSvg(Series, Texts, "Kehitys")));

        Assert.Contains("2023", texts);
        Assert.Contains("2024", texts);
        Assert.Contains("2025", texts);
        Assert.Contains("2027", texts);
        Assert.DoesNotContain("2026", texts);
        Assert.DoesNotContain(texts, t => t.StartsWith("2023.", StringComparison.Ordinal) || t.StartsWith("2024.", StringComparison.Ordinal));
    }

    [Fact]
    public void Funnel_curves_are_the_limits_of_Funnel_Limits_at_each_n()
    {
        var curves = ResultCharts.FunnelLimitCurves(0.7, 10, 1000);

        Assert.Equal(10, curves.Ns[0]);
        Assert.Equal(1000, curves.Ns[^1]);
        Assert.True(curves.Ns.Zip(curves.Ns.Skip(1)).All(p => p.First < p.Second));
        for (int i = 0; i < curves.Ns.Length; i++)
        {
            int n = (int)curves.Ns[i];
            var warning = Funnel.Limits(0.7, n, Funnel.Warning);
            var control = Funnel.Limits(0.7, n, Funnel.Control);
            Assert.Equal(100 * warning.Lower, curves.Lower95[i]);
            Assert.Equal(100 * warning.Upper, curves.Upper95[i]);
            Assert.Equal(100 * control.Lower, curves.Lower998[i]);
            Assert.Equal(100 * control.Upper, curves.Upper998[i]);
        }
    }

    [Fact]
    public void Funnel_limits_at_n_100_match_the_normal_approximation()
    {
        // p0 ± z·√(p0(1 − p0)/n) at p0 = 0.7, n = 100, z = 1.959964 and 3.090232 (the 95 % and 99.8 % quantiles).
        var curves = ResultCharts.FunnelLimitCurves(0.7, 20, 100);

        Assert.Equal(100, curves.Ns[^1]);
        Assert.Equal(61.01832, curves.Lower95[^1], 4);
        Assert.Equal(78.98168, curves.Upper95[^1], 4);
        Assert.Equal(55.83878, curves.Lower998[^1], 4);
        Assert.Equal(84.16122, curves.Upper998[^1], 4);
    }

    [Theory]
    [InlineData("shares", 600, 300, 1.0)]
    [InlineData("funnel", 1440, 840, 2.0)]
    [InlineData("trend", 800, 360, 1.0)]
    public void Png_variants_have_the_requested_size(string chart, int width, int height, double scale)
    {
        var png = chart switch
        {
            "shares" => ResultCharts.SharesPng(Rows, 0.72, Texts, width, height, scale),
            "funnel" => ResultCharts.FunnelPng(Points, 0.72, Texts, width, height, scale),
            _ => ResultCharts.TrendPng(Series, Texts, width, height, scale),
        };

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public void ScottPlot_draws_with_the_shipped_DejaVu_Sans()
    {
        var fonts = ChartFonts.EnsureRegistered();

        Assert.Equal("DejaVu Sans", fonts.Regular.FamilyName);
        Assert.Equal("DejaVu Sans", fonts.Bold.FamilyName);
        Assert.Equal(700, fonts.Bold.FontWeight);
        Assert.Same(fonts.Regular, ScottPlot.Fonts.GetTypeface(ChartFonts.Family, bold: false, italic: false));
        Assert.Same(fonts.Bold, ScottPlot.Fonts.GetTypeface(ChartFonts.Family, bold: true, italic: false));
        Assert.True(fonts.Regular.ContainsGlyphs("äöåÄÖÅ"));
    }

    [Fact]
    public void Charts_render_concurrently()
    {
        var svgs = new string[16];
        Parallel.For(0, svgs.Length, i => svgs[i] = Render(ChartNames[i % 4]));

        Assert.All(svgs, s => Assert.Equal("img", (string?)XElement.Parse(s).Attribute("role")));
        Assert.Equal(svgs[0], svgs[4]);
    }

    private static List<(double X, double Y, double Width, double Height)> FilledRects(XElement root, string color) =>
        root.Descendants(Svg + "rect")
            .Where(r => string.Equals((string?)r.Attribute("fill"), color, StringComparison.OrdinalIgnoreCase))
            .Select(r => (Number(r, "x"), Number(r, "y"), Number(r, "width"), Number(r, "height")))
            .ToList();

    /// <summary>Where Skia places a text: its <c>transform="translate(x y)"</c>.</summary>
    private static (double X, double Y) Translation(XElement text)
    {
        var parts = ((string?)text.Attribute("transform") ?? "translate(0 0)")["translate(".Length..^1].Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static double Number(XElement element, string attribute) =>
        double.Parse((string?)element.Attribute(attribute) ?? "0", CultureInfo.InvariantCulture);
}
