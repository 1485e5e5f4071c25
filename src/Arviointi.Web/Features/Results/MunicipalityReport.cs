using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Results.Charts;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Fonts;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Arviointi.Web.Features.Results;

/// <summary>A municipality's response rate in one respondent group, with the region's for comparison.</summary>
internal sealed record ReportRate(RespondentGroup Group, RateRow Municipality, RateRow Region);

/// <summary>One block of the report, in reading order: what is said is decided apart from how it is drawn, and tested so.</summary>
internal abstract record ReportBlock;

internal sealed record HeadingBlock(string Text, double Size) : ReportBlock;

internal sealed record ParagraphBlock(string Text, bool Muted = false, bool Bold = false) : ReportBlock;

internal sealed record BulletBlock(string Text) : ReportBlock;

internal sealed record TableBlock(IReadOnlyList<string> Headings, IReadOnlyList<string[]> Rows) : ReportBlock;

internal sealed record ChartBlock(IReadOnlyList<LikertBar> Bars) : ReportBlock;

internal sealed record PageBreakBlock : ReportBlock;

/// <summary>
/// The municipality report for the board's agenda (PDF, A4, Finnish): key findings, response rates, each quality area's
/// answer distribution as a chart and its index against the region, and a short methods section in plain Finnish.
/// Everything comes from the stored snapshot, with its disclosure already applied.
/// </summary>
internal static class MunicipalityReport
{
    private const double Margin = 56;
    private const double LineHeight = 1.3;
    private static readonly CultureInfo Finnish = CultureInfo.GetCultureInfo("fi");

    public static byte[] Create(EvaluationRound round, RoundResults results, Municipality municipality, IReadOnlyList<ReportRate> rates, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(municipality);
        PdfSetup.Ensure();
        using var document = new PdfDocument();
        document.Info.Title = $"Arviointiraportti: {municipality.NameFi} {round.Year}";
        document.Info.Author = "Päijät-Hämeen arviointi";
        using (var flow = new Flow(document))
        {
            foreach (var block in Content(round, results, municipality, rates, now))
            {
                flow.Draw(block);
            }
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>The report's blocks: key findings, response rates, each group's quality areas and the methods.</summary>
    public static IReadOnlyList<ReportBlock> Content(EvaluationRound round, RoundResults results, Municipality municipality, IReadOnlyList<ReportRate> rates, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(municipality);
        ArgumentNullException.ThrowIfNull(rates);
        var flow = new List<ReportBlock>();
        flow.Heading($"Arviointiraportti: {municipality.NameFi}", 20);
        flow.Paragraph($"{Names.Of(round.Sector)}, {round.Year}. Painopiste: {round.FocusTheme}.");
        flow.Paragraph($"Laadittu {Region.Day(now).ToString("d.M.yyyy", Finnish)} Päijät-Hämeen arviointipalvelusta. Tulokset julkaistiin {Region.LocalText(round.PublishAt)}.", muted: true);
        if (round.IsDemo)
        {
            flow.Paragraph("Demoaineisto: synteettiset vastaukset, eivät oikeita tuloksia.", bold: true);
        }

        Findings(flow, results, municipality);
        Rates(flow, rates);
        foreach (var group in results.Groups)
        {
            Group(flow, round, group, municipality);
        }

        Methods(flow, results);
        return flow;
    }

    private static void Findings(List<ReportBlock> flow, RoundResults results, Municipality municipality)
    {
        flow.Heading("Keskeiset havainnot", 14);
        var differing = results.Groups
            .SelectMany(g => g.Items.Select(i => (Group: g.Group, Item: i, Cell: i.Municipalities.FirstOrDefault(m => m.Key == municipality.Code))))
            .Where(f => f.Cell?.VsRest?.Differs == true)
            .OrderByDescending(f => f.Cell!.VsRest!.AgreeDiff)
            .ToList();
        if (differing.Count == 0)
        {
            flow.Paragraph("Kunnan tulokset eivät missään kysymyksessä eroa tilastollisesti merkitsevästi muun alueen tuloksista.");
        }

        foreach (var (group, item, cell) in differing)
        {
            var vs = cell!.VsRest!;
            flow.Bullet($"{(vs.AgreeDiff > 0 ? "Parempi" : "Heikompi")} kuin muu alue – {Names.Of(group)}: {Text(item)} "
                + $"Samaa mieltä {Format.Percent(cell.Figures!.AgreeShare)}, ero muuhun alueeseen {Format.Points(vs.AgreeDiff)} %-yksikköä ({Format.PointsInterval(vs.Lower, vs.Upper)}).");
        }

        var changes = results.Groups
            .SelectMany(g => g.Items.Select(i => (Group: g.Group, Item: i, Cell: i.Municipalities.FirstOrDefault(m => m.Key == municipality.Code))))
            .Where(f => f.Cell?.Change?.Significant == true)
            .OrderByDescending(f => Math.Abs(f.Cell!.Change!.Diff))
            .ToList();
        if (results.Previous is { } previous)
        {
            flow.Heading($"Muutokset vuodesta {previous.Year}", 12);
            if (changes.Count == 0)
            {
                flow.Paragraph($"Yksikään kunnan tulos ei muuttunut merkitsevästi vuodesta {previous.Year}.");
            }

            foreach (var (group, item, cell) in changes.Take(15))
            {
                var change = cell!.Change!;
                flow.Bullet($"{(change.Diff > 0 ? "Nousi" : "Laski")} – {Names.Of(group)}: {Text(item)} {Format.Percent(change.PreviousShare)} → {Format.Percent(cell.Figures!.AgreeShare)} ({Format.Points(change.Diff)} %-yksikköä).");
            }
        }
    }

    private static void Rates(List<ReportBlock> flow, IReadOnlyList<ReportRate> rates)
    {
        flow.Heading("Vastausaktiivisuus", 14);
        if (rates.Count == 0)
        {
            flow.Paragraph("Osallistujamääriä ei tuotu, joten vastausasteita ei voi laskea.");
            return;
        }

        flow.Table(
            ["Vastaajaryhmä", "Vastauksia", "Osallistujia", "Vastausaste", "Alueella"],
            [.. rates.Select(r => new[]
            {
                Names.Of(r.Group), r.Municipality.Responses is { } responses ? responses.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("fi")) : "piilotettu", r.Municipality.Enrolment is { } e ? RateRow.ShowEnrolment(e) : "–",
                r.Municipality.Rate is { } rate ? Format.Percent(rate) : "–", r.Region.Rate is { } regionRate ? Format.Percent(regionRate) : "–",
            })]);
    }

    private static void Group(List<ReportBlock> flow, EvaluationRound round, GroupResults group, Municipality municipality)
    {
        flow.NewPage();
        flow.Heading(Names.Of(group.Group), 16);
        var order = QualityAreas.Of(round.Sector).ToList();
        foreach (var area in group.Items.GroupBy(i => i.Area).OrderBy(g => order.IndexOf(g.Key) is >= 0 and var i ? i : int.MaxValue))
        {
            flow.Heading(Names.Area(area.Key), 12);
            if (group.Areas?.FirstOrDefault(a => a.Area == area.Key) is { } index)
            {
                var own = index.Municipalities.FirstOrDefault(m => m.Key == municipality.Code);
                flow.Paragraph(own?.Figures is { } f && index.Region.Figures is { } r
                    ? $"Laatualueen indeksi {Format.Mean(f.Mean)} ({Format.Mean(f.Lower)}–{Format.Mean(f.Upper)}), alue {Format.Mean(r.Mean)}; n = {f.N}, Cronbachin alfa {Format.Decimal(index.Alpha)}."
                    : "Laatualueen indeksiä ei näytetä: vastaajia on liian vähän.", muted: true);
            }

            var bars = area.Select(i => (Item: i, Cell: i.Municipalities.FirstOrDefault(m => m.Key == municipality.Code)))
                .Where(x => x.Cell?.Figures?.Counts is not null)
                .Select(x => new LikertBar(Text(x.Item), x.Cell!.Figures!.Counts!, false))
                .ToList();
            if (bars.Count == 0)
            {
                flow.Paragraph("Tuloksia ei näytetä: alle viisi vastausta.");
                continue;
            }

            flow.Add(new ChartBlock(bars));
        }
    }

    private static void Methods(List<ReportBlock> flow, RoundResults results)
    {
        flow.NewPage();
        flow.Heading("Näin tulokset on laskettu", 14);
        flow.Paragraph("Kysymyksiin vastattiin asteikolla 1–5 (täysin eri mieltä – täysin samaa mieltä). ”En osaa sanoa” -vastaukset eivät ole mukana luvuissa. Samaa mieltä olevien osuus tarkoittaa vastauksia 4 ja 5 kaikista asteikon vastauksista.");
        flow.Paragraph("Jokaisen luvun epävarmuus on kerrottu 95 %:n luottamusvälinä (osuuksille Wilsonin väli). Väli kertoo, millä vaihteluvälillä tulos olisi todennäköisesti, jos kysely toistettaisiin.");
        flow.Paragraph("Kuntaa verrataan muihin alueen kuntiin yhdessä. Ero on merkitty paremmaksi tai heikommaksi vain, kun se on tilastollisesti merkitsevä: Mann–Whitneyn testi, jonka p-arvot on korjattu Holmin menetelmällä kaikkien kuntien vertailujen yli (p < 0,05). Osuuksien eron luottamusväli on Newcomben menetelmällä laskettu.");
        flow.Paragraph(results.Previous is { } previous
            ? $"Muutosta verrataan saman sektorin edelliseen kierrokseen vuonna {previous.Year}; merkitsevä muutos on sellainen, jonka luottamusväli ei sisällä nollaa."
            : "Aiempaa vertailukelpoista kierrosta ei ole, joten muutoksia ei ole laskettu.");
        flow.Paragraph("Laatualueen indeksi on vastaajan keskiarvo alueen kysymyksistä, kun vastaaja on vastannut vähintään puoleen niistä. Cronbachin alfa kertoo, mittaavatko alueen kysymykset samaa asiaa (yli 0,7 on tavallisesti hyvä).");
        flow.Paragraph("Yksityisyys: alle viiden vastauksen tuloksia ei näytetä. Jos vain yksi kunta tai yksikkö jäisi piiloon, myös seuraavaksi pienin piilotetaan, jottei piilotettua voi laskea muista luvuista. Alueen kokonaisluvuissa ja testeissä ovat mukana kaikki vastaukset.");
    }

    private static readonly ChartTexts Texts = new(
        ScaleLabels.Agreement, "Samaa mieltä (%)", "Vastauksia (n)", Region.NameFi, "95 %:n rajat", "99,8 %:n rajat", "Vuosi");

    private static void Heading(this List<ReportBlock> blocks, string text, double size) => blocks.Add(new HeadingBlock(text, size));

    private static void Paragraph(this List<ReportBlock> blocks, string text, bool muted = false, bool bold = false) => blocks.Add(new ParagraphBlock(text, muted, bold));

    private static void Bullet(this List<ReportBlock> blocks, string text) => blocks.Add(new BulletBlock(text));

    private static void Table(this List<ReportBlock> blocks, IReadOnlyList<string> headings, IReadOnlyList<string[]> rows) => blocks.Add(new TableBlock(headings, rows));

    private static void NewPage(this List<ReportBlock> blocks) => blocks.Add(new PageBreakBlock());

    private static string Text(ItemResults item) => item.Text.GetValueOrDefault("fi") ?? item.ItemId;

    /// <summary>Top-to-bottom layout over A4 pages: headings, wrapped paragraphs, bullets, tables and images.</summary>
    private sealed class Flow(PdfDocument document) : IDisposable
    {
        private static readonly XFont Body = new(DejaVuFontResolver.Family, 10);
        private static readonly XFont Bold = new(DejaVuFontResolver.Family, 10, XFontStyleEx.Bold);
        private PdfPage? page;
        private XGraphics? gfx;
        private double y;

        private double Width => page!.Width.Point - (2 * Margin);

        public void Draw(ReportBlock block)
        {
            switch (block)
            {
                case HeadingBlock h:
                    Heading(h.Text, h.Size);
                    break;
                case ParagraphBlock p:
                    Paragraph(p.Text, p.Muted, p.Bold);
                    break;
                case BulletBlock b:
                    Bullet(b.Text);
                    break;
                case TableBlock t:
                    Table(t.Headings, t.Rows);
                    break;
                case ChartBlock c:
                    Image(ResultCharts.LikertPng(c.Bars, Texts, 640, scale: 2));
                    break;
                default:
                    NewPage();
                    break;
            }
        }

        public void Heading(string text, double size)
        {
            var font = new XFont(DejaVuFontResolver.Family, size, XFontStyleEx.Bold);
            // A heading is kept with what follows it (a paragraph and the top of a chart).
            Ensure((size * 2.5) + 150);
            y += size * 0.6;
            Lines(text, font, XBrushes.Black, Margin, Width);
            y += size * 0.3;
        }

        public void Paragraph(string text, bool muted = false, bool bold = false)
        {
            Ensure(Body.Size * 2);
            Lines(text, bold ? Bold : Body, muted ? XBrushes.DimGray : XBrushes.Black, Margin, Width);
            y += Body.Size * 0.6;
        }

        public void Bullet(string text)
        {
            Ensure(Body.Size * 2);
            gfx!.DrawString("•", Body, XBrushes.Black, Margin, y, XStringFormats.TopLeft);
            Lines(text, Body, XBrushes.Black, Margin + 12, Width - 12);
            y += Body.Size * 0.4;
        }

        public void Table(IReadOnlyList<string> headings, IReadOnlyList<string[]> rows)
        {
            var column = Width / headings.Count;
            var rowHeight = Body.Size * 1.8;
            Ensure(rowHeight * (rows.Count + 1));
            for (var c = 0; c < headings.Count; c++)
            {
                gfx!.DrawString(headings[c], Bold, XBrushes.Black, Margin + (c * column), y, XStringFormats.TopLeft);
            }

            y += rowHeight;
            foreach (var row in rows)
            {
                gfx!.DrawLine(XPens.LightGray, Margin, y - 4, Margin + Width, y - 4);
                for (var c = 0; c < row.Length; c++)
                {
                    gfx.DrawString(row[c], Body, XBrushes.Black, Margin + (c * column), y, XStringFormats.TopLeft);
                }

                y += rowHeight;
            }

            y += Body.Size;
        }

        public void Image(byte[] png)
        {
            using var stream = new MemoryStream(png);
            using var image = XImage.FromStream(stream);
            var height = Width * image.PixelHeight / image.PixelWidth;
            Ensure(height + 8);
            gfx!.DrawImage(image, Margin, y, Width, height);
            y += height + 8;
        }

        public void NewPage()
        {
            gfx?.Dispose();
            page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            gfx = XGraphics.FromPdfPage(page);
            y = Margin;
            var number = document.PageCount.ToString(Finnish);
            gfx.DrawString(number, new XFont(DejaVuFontResolver.Family, 8), XBrushes.DimGray, page.Width.Point - Margin, page.Height.Point - (Margin / 2), XStringFormats.BottomRight);
        }

        public void Dispose() => gfx?.Dispose();

        private void Ensure(double height)
        {
            if (page is null || y + height > page.Height.Point - Margin)
            {
                NewPage();
            }
        }

        private void Lines(string text, XFont font, XBrush brush, double x, double width)
        {
            foreach (var line in PdfText.Wrap(gfx!, text, font, width))
            {
                Ensure(font.Size * LineHeight);
                gfx!.DrawString(line, font, brush, x, y, XStringFormats.TopLeft);
                y += font.Size * LineHeight;
            }
        }
    }
}
