using System.Collections;
using System.Globalization;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Fonts;
using CsvHelper;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Arviointi.Web.Features.Codes;

/// <summary>One code to hand out.</summary>
/// <param name="Code">The code as generated, e.g. "ABCDE-FGHJK" (any form <see cref="AccessCodes.Normalize"/> accepts).</param>
/// <param name="Uses">Null for a personal code (one answer); n for a group code good for n answers.</param>
internal sealed record SlipCode(string Code, int? Uses);

/// <summary>What one distribution sheet prints: a unit's codes for one respondent group.</summary>
/// <param name="PublicUrl">The site's public address, e.g. "https://arviointi.example.fi".</param>
/// <param name="MunicipalityFi">The unit's municipality in Finnish, e.g. "Lahti"; <paramref name="MunicipalitySv"/> in Swedish, "Lahtis".</param>
/// <param name="FirstDay">The answering period in Finnish days: the day the round opens to the day it closes (<see cref="CodeSlips.LastDay"/>).</param>
/// <param name="Languages">The unit's languages: "fi", "sv" or both, in the order to print them.</param>
internal sealed record SlipSheet(
    string PublicUrl,
    string SurveyTitleFi,
    string? SurveyTitleSv,
    string UnitName,
    string MunicipalityFi,
    string MunicipalitySv,
    string GroupName,
    DateOnly FirstDay,
    DateOnly LastDay,
    IReadOnlyList<string> Languages,
    IReadOnlyList<SlipCode> Codes);

/// <summary>
/// Printable code slips (A4, 2 × 4 slips a page, dashed cut lines) and the same codes as CSV for a school's
/// own messaging. Each slip's QR code opens <c>{PublicUrl}/vastaa#{CODE}</c>: the code rides in the URL
/// fragment, which browsers never send, so it reaches no server or proxy log; the answering page reads it.
/// </summary>
internal sealed class CodeSlips
{
    public const int Columns = 2;
    public const int Rows = 4;
    public const int SlipsPerPage = Columns * Rows;

    // Points (1/72 in). A4 portrait, margins 10 mm at the sides and 8 mm at top and bottom; slips 134.6 × 99.4 mm.
    internal const double PageWidth = 595.28;
    internal const double PageHeight = 841.89;
    internal const double Margin = 28.35;
    internal const double MarginY = 22.68;
    internal const double SlipWidth = (PageWidth - 2 * Margin) / Columns;
    internal const double SlipHeight = (PageHeight - 2 * MarginY) / Rows;
    private const double Padding = 12;
    private const double QrSize = 68; // the symbol without its quiet zone: 24 mm
    private const double QuietSpace = 10; // more than the QR code's 4-module quiet zone (about 8 pt)
    private const double Gap = 12; // between the text column and the QR code

    /// <summary>The light modules around a QR symbol in QRCoder's matrix, on each side.</summary>
    internal const int QuietZone = 4;

    private static readonly XColor Ink = XColor.FromArgb(0x1A, 0x1A, 0x1A);
    private static readonly XColor Muted = XColor.FromArgb(0x55, 0x55, 0x55);
    private static readonly XColor CutLine = XColor.FromArgb(0x9A, 0x9A, 0x9A);
    private static readonly XColor CodeBox = XColor.FromArgb(0xF1, 0xF1, 0xF1);

    private static readonly Dictionary<string, Texts> TextsByLanguage = new(StringComparer.Ordinal)
    {
        ["fi"] = new(
            address => $"Vastaa osoitteessa {address} tai lue QR-koodi puhelimella. Vastaaminen on nimetöntä: koodia ei voi yhdistää vastauksiisi.",
            n => n == 1 ? "Ryhmäkoodi: 1 vastaus" : $"Ryhmäkoodi: {n} vastausta",
            "Koodi",
            "Vastausaika"),
        ["sv"] = new(
            address => $"Svara på {address} eller läs QR-koden med telefonen. Svaren är anonyma: koden kan inte kopplas till dina svar.",
            n => $"Gruppkod: {n} svar",
            "Kod",
            "Svarstid"),
    };

    private CodeSlips()
    {
    }

    /// <summary>The slips as a PDF document.</summary>
    public static byte[] Render(SlipSheet sheet)
    {
        Validate(sheet);
        EnsurePdfSharp();

        var languages = Languages(sheet);
        var address = DisplayAddress(sheet.PublicUrl);
        var fonts = new Fonts();

        using var document = new PdfDocument();
        document.Info.Title = $"{sheet.SurveyTitleFi} – {sheet.UnitName} – {sheet.GroupName}";
        document.Info.Creator = "Arviointi";
        document.Options.CompressContentStreams = true;

        var pages = (sheet.Codes.Count + SlipsPerPage - 1) / SlipsPerPage;
        for (var p = 0; p < pages; p++)
        {
            var page = document.AddPage();
            page.Size = PageSize.A4;
            page.Orientation = PageOrientation.Portrait;
            using var gfx = XGraphics.FromPdfPage(page);

            var onPage = sheet.Codes.Skip(p * SlipsPerPage).Take(SlipsPerPage).ToList();
            for (var i = 0; i < onPage.Count; i++)
            {
                var x = Margin + (i % Columns) * SlipWidth;
                var y = MarginY + (i / Columns) * SlipHeight;
                DrawSlip(gfx, fonts, sheet, languages, address, onPage[i], x, y);
            }

            DrawCutLines(gfx);
            var footer = string.Create(CultureInfo.InvariantCulture, $"{sheet.UnitName} · {sheet.GroupName} · {p + 1}/{pages}");
            gfx.DrawString(footer, fonts.Footer, new XSolidBrush(Muted), PageWidth - Margin - 4, PageHeight - MarginY / 2, XStringFormats.CenterRight);
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void EnsurePdfSharp() => Shared.PdfSetup.Ensure();

    /// <summary>One row per code with the QR code's link, for sending the codes through the school's own messaging.</summary>
    public static string Csv(SlipSheet sheet)
    {
        Validate(sheet);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            csv.WriteField("code");
            csv.WriteField("link");
            csv.WriteField("uses");
            csv.NextRecord();
            foreach (var code in sheet.Codes)
            {
                csv.WriteField(AccessCodes.Display(code.Code));
                csv.WriteField(Link(sheet.PublicUrl, code.Code));
                csv.WriteField((code.Uses ?? 1).ToString(CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
        }

        return writer.ToString();
    }

    /// <summary>The address that opens the survey with the code filled in: the code is in the fragment only.</summary>
    public static string Link(string publicUrl, string code) => $"{SurveyAddress(publicUrl)}#{AccessCodes.Display(code)}";

    /// <summary>What the QR code of a link holds (error correction M; the matrix includes the 4-module quiet zone).</summary>
    internal static IReadOnlyList<BitArray> QrModules(string link)
    {
        using var data = QRCodeGenerator.GenerateQrCode(link, QRCodeGenerator.ECCLevel.M);
        return data.ModuleMatrix.Select(row => new BitArray(row)).ToList();
    }

    private static string SurveyAddress(string publicUrl) => $"{publicUrl.Trim().TrimEnd('/')}/vastaa";

    /// <summary>The address to print and type: without "https://", which browsers add by themselves.</summary>
    private static string DisplayAddress(string publicUrl)
    {
        var address = SurveyAddress(publicUrl);
        return address.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? address["https://".Length..] : address;
    }

    private static List<string> Languages(SlipSheet sheet)
    {
        var languages = sheet.Languages
            .Select(l => l.Trim().ToLowerInvariant())
            .Where(TextsByLanguage.ContainsKey)
            .Distinct()
            .ToList();
        return languages.Count == 0 ? ["fi"] : languages;
    }

    private static void Validate(SlipSheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentException.ThrowIfNullOrWhiteSpace(sheet.PublicUrl);
        ArgumentNullException.ThrowIfNull(sheet.Languages);
        ArgumentNullException.ThrowIfNull(sheet.Codes);
        if (sheet.Codes.Count == 0)
        {
            throw new ArgumentException("A sheet needs at least one code.", nameof(sheet));
        }

        foreach (var code in sheet.Codes)
        {
            if (string.IsNullOrEmpty(AccessCodes.Normalize(code.Code)))
            {
                throw new ArgumentException("A code is empty.", nameof(sheet));
            }

            if (code.Uses is < 1)
            {
                throw new ArgumentException($"A group code's uses must be at least 1, not {code.Uses}.", nameof(sheet));
            }
        }
    }

    private static void DrawSlip(XGraphics gfx, Fonts fonts, SlipSheet sheet, List<string> languages, string address, SlipCode code, double left, double top)
    {
        var ink = new XSolidBrush(Ink);
        var muted = new XSolidBrush(Muted);
        var x = left + Padding;
        var width = SlipWidth - 2 * Padding;

        // Heading: the survey's title in each of the unit's languages, then unit and group.
        var y = top + Padding;
        foreach (var title in Titles(sheet, languages))
        {
            y = DrawWrapped(gfx, title, fonts.Title, ink, x, y, width, maxLines: 2);
        }

        y = DrawWrapped(gfx, $"{sheet.UnitName}, {Municipality(sheet, languages)} · {sheet.GroupName}", fonts.Unit, muted, x, y + 1, width, maxLines: 1);

        // When to answer: the slip may be handed out days before the survey opens, and kept until after it closes.
        var days = string.Create(CultureInfo.InvariantCulture, $"{sheet.FirstDay:d.M.yyyy}–{sheet.LastDay:d.M.yyyy}");
        var period = $"{string.Join(" · ", languages.Select(l => TextsByLanguage[l].Period))} {days}";
        var periodFont = FitFont(gfx, period, fonts.Period, width);
        gfx.DrawString(period, periodFont, ink, x, y + 1, XStringFormats.TopLeft);
        y += 1 + periodFont.Size * LineHeight + 5;

        // At the bottom: the code in a box; above it a label, which for a group code tells how many may answer with it.
        var codeBoxHeight = fonts.Code.Size * 1.5;
        var codeTop = top + SlipHeight - Padding - codeBoxHeight;
        DrawCode(gfx, fonts, AccessCodes.Display(code.Code), x, codeTop, codeBoxHeight);

        var (label, labelFont, labelBrush) = code.Uses is { } uses
            ? (string.Join("  ·  ", languages.Select(l => TextsByLanguage[l].GroupCode(uses))), fonts.Group, ink)
            : (string.Join(" · ", languages.Select(l => TextsByLanguage[l].CodeLabel)).ToUpperInvariant(), fonts.Label, muted);
        labelFont = FitFont(gfx, label, labelFont, width);
        var labelTop = codeTop - labelFont.Size * LineHeight - 1;
        gfx.DrawString(label, labelFont, labelBrush, x, labelTop, XStringFormats.TopLeft);

        // Between them: the QR code at the right, clear of the lines above and below by its quiet zone (4 modules);
        // instructions, then the address, at the left.
        var bodyBottom = labelTop - 4;
        var qrTop = y + 4;
        var qrSize = Math.Min(QrSize, labelTop - QuietSpace - qrTop);
        DrawQr(gfx, Link(sheet.PublicUrl, code.Code), left + SlipWidth - Padding - qrSize, qrTop, qrSize);

        var textWidth = width - qrSize - Gap;
        var addressFont = FitFont(gfx, address, fonts.Address, textWidth);
        var addressTop = bodyBottom - addressFont.Size * LineHeight;
        var instructions = languages.Select(l => TextsByLanguage[l].Instructions(address)).ToList();
        var font = fonts.Instructions.FirstOrDefault(f => InstructionsHeight(gfx, instructions, f, textWidth) <= addressTop - 2 - y)
            ?? fonts.Instructions[^1];
        foreach (var text in instructions)
        {
            y = DrawWrapped(gfx, text, font, ink, x, y, textWidth, maxLines: 6) + font.Size * ParagraphGap;
        }

        gfx.DrawString(address, addressFont, ink, x, Math.Max(y, addressTop), XStringFormats.TopLeft);
    }

    /// <summary>The municipality as each of the slip's languages names it, once where the names agree: "Lahti / Lahtis", "Hollola".</summary>
    private static string Municipality(SlipSheet sheet, List<string> languages) =>
        string.Join(" / ", languages.Select(l => l == "sv" ? sheet.MunicipalitySv : sheet.MunicipalityFi).Distinct(StringComparer.Ordinal));

    /// <summary>The last Finnish day a round closing at <paramref name="closesAt"/> takes answers: at midnight, the day before.</summary>
    public static DateOnly LastDay(DateTimeOffset closesAt) => Organisation.Region.Day(closesAt.AddTicks(-1));

    private static IEnumerable<string> Titles(SlipSheet sheet, List<string> languages)
    {
        var titles = languages
            .Select(l => l == "sv" && !string.IsNullOrWhiteSpace(sheet.SurveyTitleSv) ? sheet.SurveyTitleSv : sheet.SurveyTitleFi)
            .Distinct(StringComparer.Ordinal);
        return titles;
    }

    /// <summary>
    /// The code in large bold letters on a grey box, each letter centred in a cell of equal width, so that it reads
    /// like a typewriter's with wide spacing.
    /// </summary>
    private static void DrawCode(XGraphics gfx, Fonts fonts, string code, double x, double top, double height)
    {
        var cell = AccessCodes.Alphabet.Average(c => gfx.MeasureString(c.ToString(), fonts.Code).Width) * 1.3;
        const double inset = 7;
        gfx.DrawRoundedRectangle(new XSolidBrush(CodeBox), x, top, cell * code.Length + 2 * inset, height, 5, 5);
        var ink = new XSolidBrush(Ink);
        for (var i = 0; i < code.Length; i++)
        {
            var centre = x + inset + cell * (i + 0.5);
            gfx.DrawString(code[i].ToString(), fonts.Code, ink, centre, top + height / 2, XStringFormats.Center);
        }
    }

    /// <summary>
    /// The QR code as filled squares (crisp at any printer resolution), one rectangle per run of dark modules.
    /// The symbol fills the box; its white quiet zone lies around the box, in the slip's padding and gap.
    /// </summary>
    private static void DrawQr(XGraphics gfx, string link, double left, double top, double size)
    {
        var modules = QrModules(link);
        var module = size / (modules.Count - 2 * QuietZone);
        var x = left - QuietZone * module;
        var y = top - QuietZone * module;
        var runs = new List<XRect>();
        for (var row = 0; row < modules.Count; row++)
        {
            var bits = modules[row];
            for (var col = 0; col < bits.Length; col++)
            {
                if (!bits[col])
                {
                    continue;
                }

                var start = col;
                while (col + 1 < bits.Length && bits[col + 1])
                {
                    col++;
                }

                runs.Add(new XRect(x + start * module, y + row * module, (col - start + 1) * module, module));
            }
        }

        // One path for the whole symbol: no hairline seams between modules on screen.
        var path = new XGraphicsPath { FillMode = XFillMode.Winding };
        foreach (var run in runs)
        {
            path.AddRectangle(run);
        }

        gfx.DrawPath(XBrushes.Black, path);
    }

    /// <summary>Dashed lines along every slip edge, reaching into the page margins to guide a paper cutter.</summary>
    private static void DrawCutLines(XGraphics gfx)
    {
        var pen = new XPen(CutLine, 0.6) { DashStyle = XDashStyle.Custom, DashPattern = [5, 3] };
        for (var c = 0; c <= Columns; c++)
        {
            var x = Margin + c * SlipWidth;
            gfx.DrawLine(pen, x, MarginY / 3, x, PageHeight - MarginY);
        }

        for (var r = 0; r <= Rows; r++)
        {
            var y = MarginY + r * SlipHeight;
            gfx.DrawLine(pen, Margin / 3, y, PageWidth - Margin / 3, y);
        }
    }

    private static double InstructionsHeight(XGraphics gfx, List<string> texts, XFont font, double width) =>
        texts.Sum(t => Wrap(gfx, t, font, width).Count * font.Size * LineHeight + font.Size * ParagraphGap);

    private const double LineHeight = 1.22;
    private const double ParagraphGap = 0.5;

    private static double DrawWrapped(XGraphics gfx, string text, XFont font, XBrush brush, double x, double y, double width, int maxLines)
    {
        var lines = Wrap(gfx, text, font, width);
        if (lines.Count > maxLines)
        {
            lines = lines.Take(maxLines).ToList();
            lines[^1] = Ellipsize(gfx, lines[^1], font, width);
        }

        foreach (var line in lines)
        {
            gfx.DrawString(line, font, brush, x, y, XStringFormats.TopLeft);
            y += font.Size * LineHeight;
        }

        return y;
    }

    private static List<string> Wrap(XGraphics gfx, string text, XFont font, double width) => Shared.PdfText.Wrap(gfx, text, font, width);

    private static string Ellipsize(XGraphics gfx, string line, XFont font, double width)
    {
        while (line.Length > 1 && gfx.MeasureString(line + "…", font).Width > width)
        {
            line = line[..^1];
        }

        return line.TrimEnd() + "…";
    }

    private static XFont FitFont(XGraphics gfx, string text, XFont font, double width)
    {
        var size = font.Size;
        while (size > 6 && gfx.MeasureString(text, new XFont(font.FontFamily.Name, size, font.Style)).Width > width)
        {
            size -= 0.5;
        }

        return size == font.Size ? font : new XFont(font.FontFamily.Name, size, font.Style);
    }

    private sealed record Texts(Func<string, string> Instructions, Func<int, string> GroupCode, string CodeLabel, string Period);

    private sealed class Fonts
    {
        public XFont Title { get; } = new(DejaVuFontResolver.Family, 9, XFontStyleEx.Bold);
        public XFont Unit { get; } = new(DejaVuFontResolver.Family, 8);
        public XFont Period { get; } = new(DejaVuFontResolver.Family, 8, XFontStyleEx.Bold);
        public XFont[] Instructions { get; } = [.. new[] { 8.5, 8, 7.5, 7, 6.5 }.Select(s => new XFont(DejaVuFontResolver.Family, s))];
        public XFont Address { get; } = new(DejaVuFontResolver.Family, 8.5, XFontStyleEx.Bold);
        public XFont Label { get; } = new(DejaVuFontResolver.Family, 6.5, XFontStyleEx.Bold);
        public XFont Code { get; } = new(DejaVuFontResolver.Family, 16, XFontStyleEx.Bold);
        public XFont Group { get; } = new(DejaVuFontResolver.Family, 7.5, XFontStyleEx.Bold);
        public XFont Footer { get; } = new(DejaVuFontResolver.Family, 7);
    }
}
