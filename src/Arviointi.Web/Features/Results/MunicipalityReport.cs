using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Results.Charts;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Fonts;
using Microsoft.Extensions.Localization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.UniversalAccessibility;

namespace Arviointi.Web.Features.Results;

/// <summary>A municipality's response rate in one respondent group, with the region's for comparison.</summary>
internal sealed record ReportRate(RespondentGroup Group, RateRow Municipality, RateRow Region);

/// <summary>One block of the report, in reading order: what is said is decided apart from how it is drawn, and tested so.</summary>
internal abstract record ReportBlock;

/// <summary>A heading of level 1 (the report's title), 2 (a section) or 3 (a quality area).</summary>
internal sealed record HeadingBlock(string Text, int Level) : ReportBlock;

internal sealed record ParagraphBlock(string Text, bool Muted = false, bool Bold = false) : ReportBlock;

/// <summary>An item of a bulleted list; consecutive bullets make one list.</summary>
internal sealed record BulletBlock(string Text) : ReportBlock;

internal sealed record TableBlock(IReadOnlyList<string> Headings, IReadOnlyList<string[]> Rows) : ReportBlock;

/// <summary>A quality area's answer distribution; <paramref name="Title"/> says whose answers, <paramref name="Alt"/> gives its figures in words.</summary>
internal sealed record ChartBlock(IReadOnlyList<LikertBar> Bars, string Title, string Alt) : ReportBlock;

internal sealed record PageBreakBlock : ReportBlock;

/// <summary>
/// The municipality report for the board's agenda (PDF, A4, in the reader's language): key findings, response rates,
/// each quality area's answer distribution as a chart and its index against the region, and a short methods section
/// in plain language. Everything comes from the stored snapshot, with its disclosure already applied: counts and
/// figures only, never an answer's text.
/// </summary>
/// <remarks>
/// A tagged PDF (PDFsharp's UniversalAccessibility): headings H1–H3, paragraphs, lists, tables and each chart a Figure
/// with its alternative text, in reading order, the document's language in /Lang, page numbers as artifacts. A heading
/// is kept on the page of what follows it.
/// </remarks>
internal static class MunicipalityReport
{
    private const double Margin = 56;
    private const double LineHeight = 1.3;

    /// <summary>Charts are laid out 640 px wide, so their 12 px text is 9 pt on the page, and drawn at twice that for print.</summary>
    private const int ChartWidth = 640;

    public static byte[] Create(EvaluationRound round, RoundResults results, Municipality municipality, IReadOnlyList<ReportRate> rates, DateTimeOffset now, IStringLocalizer t, string language)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(municipality);
        ArgumentNullException.ThrowIfNull(t);
        PdfSetup.Ensure();
        using var document = new PdfDocument();
        document.Info.Title = t["Arviointiraportti: {0} {1}", municipality.Name(language), round.Year];
        document.Info.Author = t["Päijät-Hämeen arviointi"];
        var accessibility = UAManager.ForDocument(document);
        accessibility.SetDocumentLanguage(language);
        using (var flow = new Flow(document, accessibility.StructureBuilder, ChartEndpoints.Texts(t, double.NaN)))
        {
            flow.Draw(Content(round, results, municipality, rates, now, t, language));
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>The report's blocks: key findings, response rates, each group's quality areas and the methods.</summary>
    public static IReadOnlyList<ReportBlock> Content(EvaluationRound round, RoundResults results, Municipality municipality, IReadOnlyList<ReportRate> rates, DateTimeOffset now, IStringLocalizer t, string language)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(municipality);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(t);
        var flow = new List<ReportBlock>();
        flow.Heading(t["Arviointiraportti: {0}", municipality.Name(language)], 1);
        flow.Paragraph($"{t[Names.Of(round.Sector)]}, {round.Year}. {t["Painopiste"]}: {round.Theme(language)}.");
        flow.Paragraph(t["Laadittu {0} Päijät-Hämeen arviointipalvelusta. Tulokset julkaistiin {1}.", Region.Day(now).ToString("d.M.yyyy", CultureInfo.InvariantCulture), Region.LocalText(round.PublishAt)], muted: true);
        if (round.IsDemo)
        {
            flow.Paragraph(t["Demoaineisto: synteettiset vastaukset, eivät oikeita tuloksia."], bold: true);
        }

        Findings(flow, results, municipality, t, language);
        Rates(flow, rates, t);
        foreach (var group in results.Groups)
        {
            Group(flow, round, group, municipality, t, language);
        }

        Methods(flow, results, t);
        return flow;
    }

    private static void Findings(List<ReportBlock> flow, RoundResults results, Municipality municipality, IStringLocalizer t, string language)
    {
        flow.Heading(t["Keskeiset havainnot"], 2);
        var differing = results.Groups
            .SelectMany(g => g.Items.Select(i => (Group: g.Group, Item: i, Cell: i.Municipalities.FirstOrDefault(m => m.Key == municipality.Code))))
            .Where(f => f.Cell?.VsRest?.Differs == true)
            .OrderByDescending(f => f.Cell!.VsRest!.AgreeDiff)
            .ToList();
        if (differing.Count == 0)
        {
            flow.Paragraph(t["Kunnan tulokset eivät missään kysymyksessä eroa tilastollisesti merkitsevästi muun alueen tuloksista."]);
        }

        foreach (var (group, item, cell) in differing)
        {
            var vs = cell!.VsRest!;
            flow.Bullet(t["{0} – {1}: {2} Samaa mieltä {3}, ero muuhun alueeseen {4} %-yksikköä ({5}).",
                t[vs.AgreeDiff > 0 ? "Parempi kuin muu alue" : "Heikompi kuin muu alue"], t[Names.Of(group)], Text(item, language),
                Format.Percent(cell.Figures!.AgreeShare), Format.Points(vs.AgreeDiff), Format.PointsInterval(vs.Lower, vs.Upper)]);
        }

        if (results.Previous is not { } previous)
        {
            return;
        }

        var changes = results.Groups
            .SelectMany(g => g.Items.Select(i => (Group: g.Group, Item: i, Cell: i.Municipalities.FirstOrDefault(m => m.Key == municipality.Code))))
            .Where(f => f.Cell?.Change?.Significant == true)
            .OrderByDescending(f => Math.Abs(f.Cell!.Change!.Diff))
            .ToList();
        flow.Heading(t["Muutokset vuodesta {0}", previous.Year], 2);
        if (changes.Count == 0)
        {
            flow.Paragraph(t["Yksikään kunnan tulos ei muuttunut merkitsevästi vuodesta {0}.", previous.Year]);
        }

        foreach (var (group, item, cell) in changes.Take(15))
        {
            var change = cell!.Change!;
            flow.Bullet(t["{0} – {1}: {2} {3} → {4} ({5} %-yksikköä).",
                t[change.Diff > 0 ? "Nousi" : "Laski"], t[Names.Of(group)], Text(item, language),
                Format.Percent(change.PreviousShare), Format.Percent(cell.Figures!.AgreeShare), Format.Points(change.Diff)]);
        }
    }

    private static void Rates(List<ReportBlock> flow, IReadOnlyList<ReportRate> rates, IStringLocalizer t)
    {
        flow.Heading(t["Vastausaktiivisuus"], 2);
        if (rates.Count == 0)
        {
            flow.Paragraph(t["Osallistujamääriä ei tuotu, joten vastausasteita ei voi laskea."]);
            return;
        }

        flow.Add(new TableBlock(
            [t["Vastaajaryhmä"], t["Vastauksia"], t["Osallistujia"], t["Vastausaste"], t["Alueella"]],
            [.. rates.Select(r => new[]
            {
                t[Names.Of(r.Group)].Value, r.Municipality.Responses is { } responses ? responses.ToString("N0", CultureInfo.CurrentCulture) : t["piilotettu"],
                r.Municipality.Enrolment is { } e ? RateRow.ShowEnrolment(e) : "–",
                r.Municipality.Rate is { } rate ? Format.Percent(rate) : "–", r.Region.Rate is { } regionRate ? Format.Percent(regionRate) : "–",
            })]));
    }

    private static void Group(List<ReportBlock> flow, EvaluationRound round, GroupResults group, Municipality municipality, IStringLocalizer t, string language)
    {
        flow.Add(new PageBreakBlock());
        flow.Heading(t[Names.Of(group.Group)], 2);
        var whose = ChartImage.Whose(t, group.Group, municipality.Name(language));
        var order = QualityAreas.Of(round.Sector).ToList();
        foreach (var area in group.Items.GroupBy(i => i.Area).OrderBy(g => order.IndexOf(g.Key) is >= 0 and var i ? i : int.MaxValue))
        {
            var areaName = t[Names.Area(area.Key)];
            flow.Heading(areaName, 3);
            if (group.Areas?.FirstOrDefault(a => a.Area == area.Key) is { } index)
            {
                var own = index.Municipalities.FirstOrDefault(m => m.Key == municipality.Code);
                flow.Paragraph(own?.Figures is { } f && index.Region.Figures is { } r
                    ? t["Laatualueen indeksi {0} ({1}–{2}), alue {3}; n = {4}, Cronbachin alfa {5}.", Format.Mean(f.Mean), Format.Mean(f.Lower), Format.Mean(f.Upper), Format.Mean(r.Mean), f.N, Format.Decimal(index.Alpha)]
                    : t["Laatualueen indeksiä ei näytetä: vastaajia on liian vähän."], muted: true);
            }

            var bars = area.Select(i => (Item: i, Cell: i.Municipalities.FirstOrDefault(m => m.Key == municipality.Code)))
                .Where(x => x.Cell?.Figures?.Counts is not null)
                .Select(x => new LikertBar(Text(x.Item, language), x.Cell!.Figures!.Counts!, false))
                .ToList();
            if (bars.Count == 0)
            {
                flow.Paragraph(t["Tuloksia ei näytetä: alle viisi vastausta."]);
                continue;
            }

            flow.Add(new ChartBlock(bars, whose, Alt(t, whose, areaName, bars)));
        }
    }

    /// <summary>The chart in words: whose answers, the area, and per question the shares agreeing and disagreeing and n.</summary>
    private static string Alt(IStringLocalizer t, string whose, string area, IReadOnlyList<LikertBar> bars) =>
        $"{whose}: {t["vastausjakaumat, {0}", area]}. " + string.Join(" ", bars.Select(b =>
        {
            double n = b.Counts.Sum();
            return t["{0}: samaa mieltä {1}, eri mieltä {2}, n = {3}.", b.Label, Format.Percent((b.Counts[3] + b.Counts[4]) / n), Format.Percent((b.Counts[0] + b.Counts[1]) / n), n].Value;
        }));

    private static void Methods(List<ReportBlock> flow, RoundResults results, IStringLocalizer t)
    {
        flow.Add(new PageBreakBlock());
        flow.Heading(t["Näin tulokset on laskettu"], 2);
        flow.Paragraph(t["Kysymyksiin vastattiin asteikolla 1–5 (täysin eri mieltä – täysin samaa mieltä). ”En osaa sanoa” -vastaukset eivät ole mukana luvuissa. Samaa mieltä olevien osuus tarkoittaa vastauksia 4 ja 5 kaikista asteikon vastauksista."]);
        flow.Paragraph(t["Jokaisen luvun epävarmuus on kerrottu 95 %:n luottamusvälinä (osuuksille Wilsonin väli). Väli kertoo, millä vaihteluvälillä tulos olisi todennäköisesti, jos kysely toistettaisiin."]);
        flow.Paragraph(t["Kuntaa verrataan muihin alueen kuntiin yhdessä. Ero on merkitty paremmaksi tai heikommaksi vain, kun se on tilastollisesti merkitsevä: Mann–Whitneyn testi, jonka p-arvot on korjattu Holmin menetelmällä kaikkien kuntien vertailujen yli (p < 0,05). Osuuksien eron luottamusväli on Newcomben menetelmällä laskettu."]);
        flow.Paragraph(results.Previous is { } previous
            ? t["Muutosta verrataan saman sektorin edelliseen kierrokseen vuonna {0}; merkitsevä muutos on sellainen, jonka luottamusväli ei sisällä nollaa.", previous.Year]
            : t["Aiempaa vertailukelpoista kierrosta ei ole, joten muutoksia ei ole laskettu."]);
        flow.Paragraph(t["Laatualueen indeksi on vastaajan keskiarvo alueen kysymyksistä, kun vastaaja on vastannut vähintään puoleen niistä. Cronbachin alfa kertoo, mittaavatko alueen kysymykset samaa asiaa (yli 0,7 on tavallisesti hyvä)."]);
        flow.Paragraph(t["Yksityisyys: alle viiden vastauksen tuloksia ei näytetä. Jos vain yksi kunta tai yksikkö jäisi piiloon, myös seuraavaksi pienin piilotetaan, jottei piilotettua voi laskea muista luvuista. Alueen kokonaisluvuissa ja testeissä ovat mukana kaikki vastaukset."]);
    }

    private static void Heading(this List<ReportBlock> blocks, string text, int level) => blocks.Add(new HeadingBlock(text, level));

    private static void Paragraph(this List<ReportBlock> blocks, string text, bool muted = false, bool bold = false) => blocks.Add(new ParagraphBlock(text, muted, bold));

    private static void Bullet(this List<ReportBlock> blocks, string text) => blocks.Add(new BulletBlock(text));

    private static string Text(ItemResults item, string language) => item.Text.GetValueOrDefault(language) ?? item.Text.GetValueOrDefault("fi") ?? item.ItemId;

    /// <summary>Top-to-bottom layout over A4 pages, each block drawn inside its structure element.</summary>
    private sealed class Flow : IDisposable
    {
        private static readonly XFont Body = new(DejaVuFontResolver.Family, 10);
        private static readonly XFont Bold = new(DejaVuFontResolver.Family, 10, XFontStyleEx.Bold);
        private static readonly XFont PageNumber = new(DejaVuFontResolver.Family, 8);
        private readonly PdfDocument document;
        private readonly StructureBuilder structure;
        private readonly ChartTexts texts;
        private readonly Dictionary<ChartBlock, byte[]> charts = [];
        private PdfPage page;
        private XGraphics gfx;
        private double y;

        public Flow(PdfDocument document, StructureBuilder structure, ChartTexts texts)
        {
            this.document = document;
            this.structure = structure;
            this.texts = texts;
            (page, gfx) = AddPage();
        }

        private double Width => page.Width.Point - (2 * Margin);

        private double Bottom => page.Height.Point - Margin;

        public void Draw(IReadOnlyList<ReportBlock> blocks)
        {
            for (var i = 0; i < blocks.Count; i++)
            {
                switch (blocks[i])
                {
                    case HeadingBlock h:
                        // Kept with the start of what follows: a heading is never the last thing on a page.
                        Ensure(KeepHeight(blocks, i));
                        Element(HeadingTag(h.Level), () => Heading(h));
                        break;
                    case ParagraphBlock p:
                        if (i + 1 < blocks.Count && blocks[i + 1] is ChartBlock)
                        {
                            // A note on a chart (the area's index) stays with the chart.
                            Ensure(KeepHeight(blocks, i));
                        }

                        Element(PdfBlockLevelElementTag.Paragraph, () => Lines(p.Text, p.Bold ? Bold : Body, p.Muted ? XBrushes.DimGray : XBrushes.Black, Margin, Width, Body.Size * 0.6));
                        break;
                    case BulletBlock b:
                        if (i == 0 || blocks[i - 1] is not BulletBlock)
                        {
                            structure.BeginElement(PdfBlockLevelElementTag.List);
                        }

                        Element(PdfBlockLevelElementTag.ListItem, () => Bullet(b.Text));
                        if (i == blocks.Count - 1 || blocks[i + 1] is not BulletBlock)
                        {
                            structure.End();
                        }

                        break;
                    case TableBlock t:
                        Ensure(Height(t));
                        Element(PdfBlockLevelElementTag.Table, () => Table(t));
                        break;
                    case ChartBlock c:
                        Chart(c);
                        break;
                    default:
                        NewPage();
                        break;
                }
            }
        }

        public void Dispose()
        {
            structure.EndMarkedContentsWithId();
            gfx.Dispose();
        }

        private static PdfBlockLevelElementTag HeadingTag(int level) => level switch
        {
            1 => PdfBlockLevelElementTag.Heading1,
            2 => PdfBlockLevelElementTag.Heading2,
            _ => PdfBlockLevelElementTag.Heading3,
        };

        private static XFont HeadingFont(int level) => new(DejaVuFontResolver.Family, level switch { 1 => 20, 2 => 15, _ => 12 }, XFontStyleEx.Bold);

        private void Element(PdfBlockLevelElementTag tag, Action draw)
        {
            structure.BeginElement(tag);
            draw();
            structure.End();
        }

        private void Heading(HeadingBlock heading)
        {
            var font = HeadingFont(heading.Level);
            y += font.Size * 0.6;
            Lines(heading.Text, font, XBrushes.Black, Margin, Width, font.Size * 0.3);
        }

        private void Bullet(string text)
        {
            Ensure(Body.Size * LineHeight);
            structure.BeginElement(PdfBlockLevelElementTag.Label);
            gfx.DrawString("•", Body, XBrushes.Black, Margin, y, XStringFormats.TopLeft);
            structure.End();
            Element(PdfBlockLevelElementTag.ListBody, () => Lines(text, Body, XBrushes.Black, Margin + 12, Width - 12, Body.Size * 0.4));
        }

        private void Table(TableBlock table)
        {
            var column = Width / table.Headings.Count;
            var rowHeight = Body.Size * 1.8;
            Row(table.Headings, Bold, PdfBlockLevelElementTag.TableHeaderCell);
            foreach (var row in table.Rows)
            {
                structure.BeginArtifact();
                gfx.DrawLine(XPens.LightGray, Margin, y - 4, Margin + Width, y - 4);
                structure.End();
                Row(row, Body, PdfBlockLevelElementTag.TableDataCell);
            }

            y += Body.Size;

            void Row(IReadOnlyList<string> cells, XFont font, PdfBlockLevelElementTag cellTag)
            {
                structure.BeginElement(PdfBlockLevelElementTag.TableRow);
                for (var c = 0; c < cells.Count; c++)
                {
                    var x = Margin + (c * column);
                    Element(cellTag, () => gfx.DrawString(cells[c], font, XBrushes.Black, x, y, XStringFormats.TopLeft));
                }

                structure.End();
                y += rowHeight;
            }
        }

        private void Chart(ChartBlock chart)
        {
            var png = Png(chart);
            using var stream = new MemoryStream(png);
            using var image = XImage.FromStream(stream);
            var height = Width * image.PixelHeight / image.PixelWidth;
            Ensure(height + 8);
            var box = new XRect(Margin, y, Width, height);
            structure.BeginElement(PdfIllustrationElementTag.Figure, chart.Alt, box);
            gfx.DrawImage(image, box);
            structure.End();
            y += height + 8;
        }

        private byte[] Png(ChartBlock chart)
        {
            if (!charts.TryGetValue(chart, out var png))
            {
                png = ResultCharts.LikertPng(chart.Bars, texts with { Title = chart.Title }, ChartWidth, scale: 2);
                charts[chart] = png;
            }

            return png;
        }

        /// <summary>How much room block <paramref name="i"/> needs on the page it starts on: a heading with the start of what follows it.</summary>
        private double KeepHeight(IReadOnlyList<ReportBlock> blocks, int i)
        {
            if (i >= blocks.Count)
            {
                return 0;
            }

            return blocks[i] switch
            {
                HeadingBlock h => Height(h) + KeepHeight(blocks, i + 1),
                ParagraphBlock p when i + 1 < blocks.Count && blocks[i + 1] is ChartBlock => Height(p) + KeepHeight(blocks, i + 1),
                ParagraphBlock or BulletBlock => 2 * Body.Size * LineHeight,
                TableBlock t => Height(t),
                ChartBlock c => Width * ImageSize(Png(c)).Height / ImageSize(Png(c)).Width,
                _ => 0,
            };
        }

        private double Height(HeadingBlock heading)
        {
            var font = HeadingFont(heading.Level);
            return (font.Size * 0.9) + (PdfText.Wrap(gfx, heading.Text, font, Width).Count * font.Size * LineHeight);
        }

        private double Height(ParagraphBlock paragraph) =>
            (PdfText.Wrap(gfx, paragraph.Text, paragraph.Bold ? Bold : Body, Width).Count * Body.Size * LineHeight) + (Body.Size * 0.6);

        private static double Height(TableBlock table) => (Body.Size * 1.8 * (table.Rows.Count + 1)) + Body.Size;

        private static (int Width, int Height) ImageSize(byte[] png)
        {
            using var stream = new MemoryStream(png);
            using var image = XImage.FromStream(stream);
            return (image.PixelWidth, image.PixelHeight);
        }

        private void Lines(string text, XFont font, XBrush brush, double x, double width, double after)
        {
            var lines = PdfText.Wrap(gfx, text, font, width);
            for (var i = 0; i < lines.Count; i++)
            {
                // A wrapped line keeps its space, so that text read from the file has its words apart.
                Ensure(font.Size * LineHeight);
                gfx.DrawString(i < lines.Count - 1 ? lines[i] + " " : lines[i], font, brush, x, y, XStringFormats.TopLeft);
                y += font.Size * LineHeight;
            }

            y += after;
        }

        private void Ensure(double height)
        {
            if (y + height > Bottom && y > Margin)
            {
                NewPage();
            }
        }

        private void NewPage()
        {
            // What is open on this page is closed here, with this page's graphics, before the next page begins.
            structure.EndMarkedContentsWithId();
            gfx.Dispose();
            (page, gfx) = AddPage();
        }

        private (PdfPage Page, XGraphics Graphics) AddPage()
        {
            var added = document.AddPage();
            added.Size = PdfSharp.PageSize.A4;
            var graphics = XGraphics.FromPdfPage(added);
            y = Margin;
            structure.BeginArtifact();
            graphics.DrawString(document.PageCount.ToString(CultureInfo.InvariantCulture), PageNumber, XBrushes.DimGray, added.Width.Point - Margin, added.Height.Point - (Margin / 2), XStringFormats.BottomRight);
            structure.End();
            return (added, graphics);
        }
    }
}
