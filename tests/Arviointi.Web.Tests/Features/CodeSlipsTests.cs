using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Codes;
using CsvHelper;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The printable code slips and their CSV. The PDF is read back with PDFsharp alone (text from the content streams,
/// QR modules from the drawn squares), so the tests need no PDF tools on the machine.
/// </summary>
public sealed partial class CodeSlipsTests
{
    private const string PublicUrl = "https://arviointi.example.fi";

    private static readonly string[] SomeCodes =
    [
        "ABCDE-FGHJK", "MNPQR-STUVW", "XYZ23-45678", "9ABCD-EFGHJ", "KMNPQ-RSTUV", "WXYZ2-34567", "89ABC-DEFGH",
        "JKMNP-QRSTU", "VWXYZ-23456", "789AB-CDEFG", "HJKMN-PQRST", "UVWXY-Z2345", "6789A-BCDEF", "GHJKM-NPQRS",
        "TUVWX-YZ234", "56789-ABCDE", "FGHJK-MNPQR", "STUVW-XYZ23", "45678-9ABCD",
    ];

    private static SlipSheet Sheet(IReadOnlyList<SlipCode> codes, IReadOnlyList<string>? languages = null, string unit = "Päiväkoti Kielo") => new(
        PublicUrl,
        "Varhaiskasvatuksen arviointikysely huoltajille",
        "Utvärderingsenkät om småbarnspedagogik för vårdnadshavare",
        unit,
        "Lahti",
        "Lahtis",
        "Huoltajat",
        new DateOnly(2027, 1, 11),
        new DateOnly(2027, 2, 8),
        languages ?? ["fi", "sv"],
        codes);

    private static List<SlipCode> Personal(int count) => SomeCodes.Take(count).Select(c => new SlipCode(c, null)).ToList();

    [Fact]
    public void Nineteen_codes_fill_three_A4_pages_of_eight()
    {
        using var document = Open(CodeSlips.Render(Sheet(Personal(19))));

        Assert.Equal(3, document.PageCount);
        Assert.All(document.Pages.Cast<PdfPage>(), page =>
        {
            Assert.Equal(595, page.Width.Point, 0);
            Assert.Equal(842, page.Height.Point, 0);
        });
        Assert.Equal([8, 8, 3], document.Pages.Cast<PdfPage>().Select(QrSymbolCount));
    }

    [Fact]
    public void Every_font_is_DejaVu_and_embedded_in_the_file()
    {
        using var document = Open(CodeSlips.Render(Sheet(Personal(3))));

        var fonts = document.Pages.Cast<PdfPage>().SelectMany(Fonts).ToList();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, font =>
        {
            Assert.Contains("DejaVu", font.Elements.GetName("/BaseFont"), StringComparison.Ordinal);
            var descriptor = (font.Elements.GetName("/Subtype") == "/Type0"
                ? (PdfDictionary)((PdfReference)font.Elements.GetArray("/DescendantFonts")!.Elements[0]).Value
                : font).Elements.GetDictionary("/FontDescriptor")!;
            var file = descriptor.Elements.GetDictionary("/FontFile2");
            Assert.NotNull(file);
            Assert.True(file.Stream.UnfilteredValue.Length > 1000, "the embedded font program is empty");
        });
        Assert.Contains(fonts, f => f.Elements.GetName("/BaseFont").EndsWith("DejaVu Sans,Bold", StringComparison.Ordinal));
    }

    [Fact]
    public void The_slips_read_in_Finnish_and_Swedish_with_every_code_on_its_page()
    {
        var codes = Personal(19);
        codes[17] = codes[17] with { Uses = 24 };
        using var document = Open(CodeSlips.Render(Sheet(codes)));

        var pages = document.Pages.Cast<PdfPage>().Select(Text).ToList();
        for (var i = 0; i < codes.Count; i++)
        {
            Assert.Contains(codes[i].Code, pages[i / 8], StringComparison.Ordinal);
        }

        var first = pages[0];
        Assert.Contains("Varhaiskasvatuksen arviointikysely huoltajille", first, StringComparison.Ordinal);
        Assert.Contains("Utvärderingsenkät om småbarnspedagogik för vårdnadshavare", first, StringComparison.Ordinal);
        Assert.Contains("Päiväkoti Kielo, Lahti / Lahtis · Huoltajat", first, StringComparison.Ordinal);
        Assert.Contains("Vastausaika · Svarstid 11.1.2027–8.2.2027", first, StringComparison.Ordinal);
        Assert.Contains("Vastaa osoitteessa arviointi.example.fi/vastaa tai lue QR-koodi puhelimella. Vastaaminen on nimetöntä: koodia ei voi yhdistää vastauksiisi.", first, StringComparison.Ordinal);
        Assert.Contains("Svara på arviointi.example.fi/vastaa eller läs QR-koden med telefonen. Svaren är anonyma: koden kan inte kopplas till dina svar.", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Ryhmäkoodi", first, StringComparison.Ordinal);
        Assert.Contains("Ryhmäkoodi: 24 vastausta", pages[2], StringComparison.Ordinal);
        Assert.Contains("Gruppkod: 24 svar", pages[2], StringComparison.Ordinal);
    }

    [Fact]
    public void The_answering_period_ends_on_the_last_Finnish_day_the_round_takes_answers()
    {
        // Closing at midnight in Helsinki (22:00 UTC in winter) leaves the day before as the last; closing at 16:00, that day.
        Assert.Equal(new DateOnly(2027, 2, 8), CodeSlips.LastDay(new DateTimeOffset(2027, 2, 8, 22, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2027, 2, 9), CodeSlips.LastDay(new DateTimeOffset(2027, 2, 9, 14, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_Finnish_only_unit_gets_Finnish_slips_only()
    {
        var codes = Personal(2);
        codes[1] = codes[1] with { Uses = 1 };
        using var document = Open(CodeSlips.Render(Sheet(codes, ["fi"])));

        var text = Text(document.Pages[0]);
        Assert.Contains("Vastaa osoitteessa", text, StringComparison.Ordinal);
        Assert.Contains("Päiväkoti Kielo, Lahti · Huoltajat", text, StringComparison.Ordinal);
        Assert.Contains("Vastausaika 11.1.2027–8.2.2027", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Lahtis", text, StringComparison.Ordinal);
        Assert.Contains("Ryhmäkoodi: 1 vastaus", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Svara", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Gruppkod", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Utvärderingsenkät", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_beyond_Windows_1252_still_render_as_text()
    {
        using var document = Open(CodeSlips.Render(Sheet(Personal(1), unit: "Čuoŋa ja Åkerö skola")));

        Assert.Contains("Čuoŋa ja Åkerö skola, Lahti / Lahtis · Huoltajat", Text(document.Pages[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void The_QR_code_opens_the_survey_with_the_code_in_the_fragment()
    {
        using var document = Open(CodeSlips.Render(Sheet([new SlipCode("abcde fghjk", 12)])));

        var drawn = QrSymbols(document.Pages[0]).Single();
        var link = "https://arviointi.example.fi/vastaa#ABCDE-FGHJK";
        Assert.Equal(link, CodeSlips.Link(PublicUrl + "/", "abcde fghjk"));

        var expected = CodeSlips.QrModules(link);
        var size = expected.Count - 2 * CodeSlips.QuietZone;
        Assert.Equal(size, drawn.Length);
        for (var row = 0; row < size; row++)
        {
            for (var col = 0; col < size; col++)
            {
                Assert.True(expected[row + CodeSlips.QuietZone][col + CodeSlips.QuietZone] == drawn[row][col], $"QR module ({row}, {col}) differs");
            }
        }

        Assert.Equal('M', ErrorCorrectionLevel(drawn));
    }

    [Fact]
    public void The_CSV_lists_each_code_with_its_fragment_link_and_uses()
    {
        var codes = Personal(3);
        codes[2] = codes[2] with { Uses = 25 };

        var csv = CodeSlips.Csv(Sheet(codes));

        using var reader = new CsvReader(new StringReader(csv), CultureInfo.InvariantCulture);
        Assert.True(reader.Read() && reader.ReadHeader());
        Assert.Equal(["code", "link", "uses"], reader.HeaderRecord!);
        var rows = new List<(string Code, string Link, string Uses)>();
        while (reader.Read())
        {
            rows.Add((reader.GetField(0)!, reader.GetField(1)!, reader.GetField(2)!));
        }

        Assert.Equal(
            [
                ("ABCDE-FGHJK", "https://arviointi.example.fi/vastaa#ABCDE-FGHJK", "1"),
                ("MNPQR-STUVW", "https://arviointi.example.fi/vastaa#MNPQR-STUVW", "1"),
                ("XYZ23-45678", "https://arviointi.example.fi/vastaa#XYZ23-45678", "25"),
            ],
            rows);
        Assert.DoesNotContain("?", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sheet_without_codes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CodeSlips.Render(Sheet([])));
        Assert.Throws<ArgumentException>(() => CodeSlips.Render(Sheet([new SlipCode("ABCDE-FGHJK", 0)])));
    }

    [Fact]
    public void Sheets_render_side_by_side_on_many_threads()
    {
        var sizes = new int[8];
        Parallel.For(0, sizes.Length, i => sizes[i] = CodeSlips.Render(Sheet(Personal(i + 1))).Length);

        Assert.All(sizes, size => Assert.True(size > 10_000));
    }

    internal static PdfDocument Open(byte[] pdf)
    {
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        return PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
    }

    private static IEnumerable<PdfDictionary> Fonts(PdfPage page)
    {
        var fonts = page.Resources.Elements.GetDictionary("/Font")!;
        return fonts.Elements.Keys.Select(key => fonts.Elements.GetDictionary(key)!);
    }

    // ---- Text: the strings shown by Tj/TJ, decoded by each font's encoding, joined without breaks per page. ----

    /// <summary>
    /// A page's text in drawing order, a line per text object. Within one, a move down (the next line of a wrapped
    /// paragraph) reads as a space and a move along the line as nothing, so a code drawn letter by letter reads back
    /// whole, "ABCDE-FGHJK".
    /// </summary>
    internal static string Text(PdfPage page)
    {
        var fonts = page.Resources.Elements.GetDictionary("/Font")!;
        var decoders = fonts.Elements.Keys.ToDictionary(key => key, key => Decoder(fonts.Elements.GetDictionary(key)!));
        var text = new StringBuilder();
        Func<string, string> decode = _ => throw new InvalidOperationException("text shown before a font was set");
        foreach (var op in Operators(ContentReader.ReadContent(page)))
        {
            switch (op.OpCode.Name)
            {
                case "Tf":
                    decode = decoders[((CName)op.Operands[0]).Name];
                    break;
                case "Tj":
                    text.Append(decode(((CString)op.Operands[0]).Value));
                    break;
                case "TJ":
                    text.AppendJoin("", ((CArray)op.Operands[0]).OfType<CString>().Select(s => decode(s.Value)));
                    break;
                case "Td" or "TD" when Number((CNumber)op.Operands[1]) != 0:
                case "T*" or "Tm":
                    if (text.Length > 0 && text[^1] is not ('\n' or ' '))
                    {
                        text.Append(' ');
                    }

                    break;
                case "ET":
                    text.Append('\n');
                    break;
            }
        }

        return text.ToString();
    }

    private static IEnumerable<COperator> Operators(CSequence sequence)
    {
        foreach (var item in sequence)
        {
            if (item is COperator op)
            {
                yield return op;
            }
            else if (item is CSequence inner)
            {
                foreach (var nested in Operators(inner))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A simple font's bytes through Windows-1252; a Type0 font's two-byte glyph ids through its ToUnicode map.</summary>
    private static Func<string, string> Decoder(PdfDictionary font)
    {
        if (font.Elements.GetName("/Subtype") == "/Type0")
        {
            var map = ToUnicode(font.Elements.GetDictionary("/ToUnicode")
                ?? throw new InvalidOperationException("a Type0 font without a ToUnicode map cannot be read back"));
            return s => string.Concat(Enumerable.Range(0, s.Length / 2).Select(i => map[(s[2 * i] << 8) | s[2 * i + 1]]));
        }

        Assert.Equal("/WinAnsiEncoding", font.Elements.GetName("/Encoding"));
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        return s => windows1252.GetString(s.Select(c => checked((byte)c)).ToArray());
    }

    private static Dictionary<int, string> ToUnicode(PdfDictionary cmap)
    {
        var map = new Dictionary<int, string>();
        var body = Encoding.ASCII.GetString(cmap.Stream.UnfilteredValue);
        foreach (Match block in BfChar().Matches(body))
        {
            foreach (Match pair in HexPair().Matches(block.Groups[1].Value))
            {
                map[Hex(pair.Groups[1].Value)] = Utf16(pair.Groups[2].Value);
            }
        }

        foreach (Match block in BfRange().Matches(body))
        {
            foreach (Match range in HexRange().Matches(block.Groups[1].Value))
            {
                var (from, to, first) = (Hex(range.Groups[1].Value), Hex(range.Groups[2].Value), Hex(range.Groups[3].Value));
                for (var code = from; code <= to; code++)
                {
                    map[code] = char.ConvertFromUtf32(first + code - from);
                }
            }
        }

        return map;

        static int Hex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        static string Utf16(string hex) => Encoding.BigEndianUnicode.GetString(Convert.FromHexString(hex));
    }

    [GeneratedRegex(@"beginbfchar(.*?)endbfchar", RegexOptions.Singleline)]
    private static partial Regex BfChar();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex HexPair();

    [GeneratedRegex(@"beginbfrange(.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex BfRange();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex HexRange();

    // ---- QR codes: the black filled squares, grouped by symbol and turned back into module matrices. ----

    private static int QrSymbolCount(PdfPage page) => QrSymbols(page).Count;

    /// <summary>
    /// Every QR symbol on a page as rows of modules (true = dark). The renderer fills each symbol as one black path
    /// of axis-aligned rectangles, one per run of dark modules in a row; nothing else on a slip is filled black.
    /// </summary>
    private static List<bool[][]> QrSymbols(PdfPage page)
    {
        var symbols = new List<bool[][]>();
        var fill = "";
        var rects = new List<(double Left, double Top, double Right, double Bottom)>();
        var points = new List<(double X, double Y)>();
        foreach (var op in Operators(ContentReader.ReadContent(page)))
        {
            var name = op.OpCode.Name;
            switch (name)
            {
                case "rg":
                    fill = string.Join(" ", op.Operands.Cast<CNumber>().Select(Number));
                    break;
                case "m":
                    points.Clear();
                    points.Add((Number((CNumber)op.Operands[0]), Number((CNumber)op.Operands[1])));
                    break;
                case "l":
                    points.Add((Number((CNumber)op.Operands[0]), Number((CNumber)op.Operands[1])));
                    break;
                case "re":
                    var (x, y, w, h) = (Number((CNumber)op.Operands[0]), Number((CNumber)op.Operands[1]), Number((CNumber)op.Operands[2]), Number((CNumber)op.Operands[3]));
                    rects.Add((Math.Min(x, x + w), Math.Max(y, y + h), Math.Max(x, x + w), Math.Min(y, y + h)));
                    break;
                case "h" when points.Count == 4:
                    rects.Add((points.Min(p => p.X), points.Max(p => p.Y), points.Max(p => p.X), points.Min(p => p.Y)));
                    break;
                case "f" or "f*" or "F":
                    if (fill == "0 0 0" && rects.Count > 0)
                    {
                        symbols.Add(Modules(rects));
                    }

                    rects.Clear();
                    break;
                case "n" or "S" or "s" or "B" or "B*" or "b" or "b*":
                    rects.Clear();
                    break;
            }
        }

        return symbols;
    }

    private static bool[][] Modules(List<(double Left, double Top, double Right, double Bottom)> rects)
    {
        var module = rects.Min(r => r.Top - r.Bottom);
        var (left, top) = (rects.Min(r => r.Left), rects.Max(r => r.Top));
        var size = (int)Math.Round((rects.Max(r => r.Right) - left) / module);
        var modules = Enumerable.Range(0, size).Select(_ => new bool[size]).ToArray();
        foreach (var rect in rects)
        {
            Assert.Equal(module, rect.Top - rect.Bottom, 3);
            var row = (int)Math.Round((top - rect.Top) / module);
            var first = (int)Math.Round((rect.Left - left) / module);
            var last = (int)Math.Round((rect.Right - left) / module);
            for (var col = first; col < last; col++)
            {
                modules[row][col] = true;
            }
        }

        return modules;
    }

    /// <summary>The error correction level from the symbol's format information beside the top-left finder (ISO/IEC 18004, 7.9).</summary>
    private static char ErrorCorrectionLevel(bool[][] modules)
    {
        // Bits 14..0: row 8 at columns 0-5, 7, 8; then column 8 at rows 7, 5, 4, 3, 2, 1, 0.
        (int Row, int Col)[] cells = [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8), (7, 8), (5, 8), (4, 8), (3, 8), (2, 8), (1, 8), (0, 8)];
        var bits = cells.Aggregate(0, (acc, c) => (acc << 1) | (modules[c.Row][c.Col] ? 1 : 0)) ^ 0b101010000010010;
        return (bits >> 13) switch
        {
            0b01 => 'L',
            0b00 => 'M',
            0b11 => 'Q',
            _ => 'H',
        };
    }

    private static double Number(CNumber number) => number switch
    {
        CInteger i => i.Value,
        CReal r => r.Value,
        _ => throw new InvalidOperationException(number.GetType().Name),
    };
}
